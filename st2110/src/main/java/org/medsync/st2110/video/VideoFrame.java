package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A frame put together by the {@link Rfc4175Depacketizer}: packed pgroups in raster order
 * (GStreamer UYVP / UYVY), the RTP timestamp shared by its packets, and whether every byte
 * arrived.
 *
 * @param complete      marker seen, no sequence gap inside the frame, every byte written once
 * @param bytesReceived sample bytes written (frameBytes when complete)
 * @param packets       packets that contributed
 */
public record VideoFrame(long rtpTimestamp, ByteBuffer data, boolean complete, long bytesReceived, int packets) {

    public VideoFrame {
        data = Objects.requireNonNull(data, "data").asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    public byte[] toByteArray() {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        return b;
    }
}
