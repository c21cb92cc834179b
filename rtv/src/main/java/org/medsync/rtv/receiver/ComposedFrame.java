package org.medsync.rtv.receiver;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.st2110.video.VideoFormat;

/**
 * One output frame of a receiver: the flows side by side at the SAME RTP timestamp, with the
 * metadata of that frame for each flow (static part merged with the frame's dynamic part, empty
 * until the flow's static part has been seen). What a WebRTC gateway or any other consumer gets.
 *
 * @param concealed per flow: true when the flow's frame of this timestamp was late, broken or
 *                  missing, and its last good frame (black before the first) stands in
 */
public record ComposedFrame(
        long rtpTimestamp,
        long alignmentTaiNanos,
        VideoFormat format,
        ByteBuffer frame,
        List<Optional<Dataset>> metadata,
        List<Boolean> concealed) {

    public ComposedFrame {
        Objects.requireNonNull(format, "format");
        frame = frame.asReadOnlyBuffer();
        metadata = List.copyOf(metadata);
        concealed = List.copyOf(concealed);
    }

    @Override
    public ByteBuffer frame() {
        return frame.duplicate();
    }
}
