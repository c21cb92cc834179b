package org.medsync.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rfc4571FramerTest {

    private static byte[] stream(byte[]... packets) {
        ByteBuffer out = ByteBuffer.allocate(4096);
        for (byte[] p : packets) {
            out.putShort((short) p.length).put(p);
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    private static List<byte[]> feed(byte[] bytes, int chunk) {
        Rfc4571Framer framer = new Rfc4571Framer();
        ByteBuffer buf = ByteBuffer.allocate(bytes.length);
        buf.flip();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            buf.compact().put(bytes, i, Math.min(chunk, bytes.length - i)).flip();
            while (true) {
                int before = buf.position();
                RtpDecodeResult r = framer.next(buf);
                if (r instanceof RtpDecodeResult.NeedMoreBytes) {
                    assertEquals(before, buf.position(), "need-more must not consume");
                    break;
                }
                out.add(r.orThrow().toBytes());
            }
        }
        return out;
    }

    @Test
    void oneByteAtATime_yieldsSamePacketsAsWhole() {
        byte[] s =
                stream(RtpPacketGoldenTest.MINIMAL, RtpPacketGoldenTest.ONE_BYTE_EXT, RtpPacketGoldenTest.TWO_BYTE_EXT);
        for (int chunk : new int[] {1, 2, 3, 7, s.length}) {
            List<byte[]> got = feed(s, chunk);
            assertEquals(3, got.size(), "chunk " + chunk);
            assertArrayEquals(RtpPacketGoldenTest.MINIMAL, got.get(0));
            assertArrayEquals(RtpPacketGoldenTest.ONE_BYTE_EXT, got.get(1));
            assertArrayEquals(RtpPacketGoldenTest.TWO_BYTE_EXT, got.get(2));
        }
    }

    @Test
    void zeroOrOversizedPrefix_isBadFrameLength() {
        assertEquals(
                RtpDecodeResult.Reason.BAD_FRAME_LENGTH,
                assertInstanceOf(
                                RtpDecodeResult.Malformed.class,
                                new Rfc4571Framer().next(ByteBuffer.wrap(new byte[] {0, 0})))
                        .reason());
        assertEquals(
                RtpDecodeResult.Reason.BAD_FRAME_LENGTH,
                assertInstanceOf(
                                RtpDecodeResult.Malformed.class,
                                new Rfc4571Framer(1500).next(ByteBuffer.wrap(new byte[] {0x10, 0})))
                        .reason());
    }

    @Test
    void writeTo_prefixesTheLength() {
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(RtpPacketGoldenTest.MINIMAL));
        ByteBuffer out = ByteBuffer.allocate(100);
        Rfc4571Framer.writeTo(p, out);
        byte[] got = new byte[out.flip().remaining()];
        out.get(got);
        assertArrayEquals(stream(RtpPacketGoldenTest.MINIMAL), got);
    }
}
