package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medsync.rtp.RtpPacket;

/** Deterministic test frames and helpers to run frames through the payloader. */
public final class TestFrames {

    private TestFrames() {}

    /** Pseudo-random bytes: every bit of every sample exercised. */
    public static byte[] random(VideoFormat f, long seed) {
        byte[] b = new byte[f.frameBytes()];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** All datagrams of one frame, each its own array. */
    public static List<byte[]> packetize(Rfc4175Payloader pay, byte[] frame, long ts) {
        List<byte[]> out = new ArrayList<>();
        Rfc4175Payloader.FrameCursor c = pay.frame(ByteBuffer.wrap(frame), ts);
        ByteBuffer buf = ByteBuffer.allocate(pay.options().maxUdpPayload());
        while (c.hasNext()) {
            buf.clear();
            int n = c.writeNext(buf);
            byte[] d = new byte[n];
            buf.flip().get(d);
            out.add(d);
        }
        return out;
    }

    public static RtpPacket rtp(byte[] datagram) {
        return RtpPacket.parse(ByteBuffer.wrap(datagram));
    }
}
