package org.medsync.gateway.h264;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One access unit out of the encoder: its NAL units without start codes (parameter sets first on a keyframe), and the
 * presentation time it was given (the flow's extended 90 kHz RTP timestamp).
 */
public record EncodedFrame(long pts, boolean keyframe, List<ByteBuffer> nals) {
    public EncodedFrame {
        nals = List.copyOf(nals);
    }

    public int bytes() {
        return nals.stream().mapToInt(ByteBuffer::remaining).sum();
    }
}
