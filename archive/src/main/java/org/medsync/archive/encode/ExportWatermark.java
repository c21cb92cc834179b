package org.medsync.archive.encode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.media.Probe;
import org.medsync.watermark.mark.Embedder;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;
import org.medsync.watermark.video.VideoMarker;

/**
 * Marks the copy of a recording that a legal export hands to one recipient: the recording's identifier plus a
 * fingerprint of the recipient and the export, so a copy found elsewhere names whom it was given to. The legal
 * export calls {@link #mark} on the file it packages (an {@code ExportMarker} hook wires it) and records the returned
 * payload's {@link Payload#hex()} in its audit entry; the signed manifest then covers the marked copy's SHA-256.
 * The diagnostic master in the archive is never marked: only the copy that leaves.
 */
public final class ExportWatermark {
    private final Layout layout;

    public ExportWatermark(WatermarkKey key) {
        this.layout = Layout.of(key);
    }

    /**
     * Writes {@code out} (MP4, H.264 High 4:2:0 CRF 18, the source's audio as AAC): {@code source} with every frame
     * marked for {@code recipient}.
     *
     * @return the payload hidden in the copy
     */
    public Payload mark(Path source, Path out, String hospitalId, String recordingId, String exportId, String recipient)
            throws IOException, InterruptedException {
        Payload payload = Payload.export(hospitalId, recordingId, exportId, recipient);
        Probe probe = Probe.of(source);
        int width = probe.video().width();
        int height = probe.video().height();
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IOException("cannot mark a video of odd size " + width + "x" + height);
        }
        List<String> encoder = new ArrayList<>(List.of("-i", source.toString(), "-map", "0:v:0"));
        if (probe.audioCodec() != null) {
            encoder.addAll(List.of("-map", "1:a:0", "-c:a", "aac", "-b:a", "160k"));
        }
        encoder.addAll(List.of(
                "-c:v",
                "libx264",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-crf",
                "18",
                "-preset",
                "medium",
                "-movflags",
                "+faststart",
                out.toString()));
        new VideoMarker(FfmpegProgram.ffmpeg()::command)
                .mark(source, width, height, probe.video().fps(), new Embedder(layout, payload), encoder);
        return payload;
    }
}
