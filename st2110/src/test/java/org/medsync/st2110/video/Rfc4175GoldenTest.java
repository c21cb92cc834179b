package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medsync.st2110.timing.FrameRate;

/**
 * A frame small enough to write out: 8x3 pixels, 4:2:2 10 bit (4 pgroups of 5 bytes = 20 bytes
 * a line), MAXUDP 56, so a packet holds 42 payload bytes after the RTP header and extended
 * sequence number: exactly one full line + 6 + a half line, then the rest.
 */
class Rfc4175GoldenTest {

    static final VideoFormat TINY = new VideoFormat(10, 8, 3, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);

    /** Line l, pgroup g: bytes 0xLG repeated 5 times, so every byte says where it belongs. */
    static byte[] frame() {
        byte[] f = new byte[TINY.frameBytes()];
        for (int i = 0; i < f.length; i++) {
            int line = i / 20;
            int pg = i % 20 / 5;
            f[i] = (byte) (line << 4 | pg);
        }
        return f;
    }

    /*
     * Packet 1 (56 bytes, 12 RTP + 2 + 2 x 6 headers + 30 data):
     * |V=2|P=0|X=0|CC=0|M=0|PT=96 | seq low 0xFFFF                |  80 60 FF FF
     * |                timestamp 0x12345678                       |  12 34 56 78
     * |                SSRC 0x0000ABCD                            |  00 00 AB CD
     * | ext seq high 0x0001           | Length 20                 |  00 01 00 14
     * |F=0| Line 0                    |C=1| Offset 0              |  00 00 80 00
     * | Length 10                     |F=0| Line 1                |  00 0A 00 01
     * |C=0| Offset 0                  | line 0: 00x5 01x5 02x5 03x5, line 1: 10x5 11x5
     * Packet 2 (M=1, seq 0x00020000):
     * |V=2|P=0|X=0|CC=0|M=1|PT=96 | seq low 0x0000                |  80 E0 00 00
     * |                timestamp, SSRC as above                   |
     * | ext seq high 0x0002           | Length 10                 |  00 02 00 0A
     * |F=0| Line 1                    |C=1| Offset 4              |  00 01 80 04
     * | Length 20                     |F=0| Line 2                |  00 14 00 02
     * |C=0| Offset 0                  | line 1: 12x5 13x5, line 2: 20x5 21x5 22x5 23x5
     */
    static final String PACKET_1 = "80 60 FF FF 12 34 56 78 00 00 AB CD 00 01 00 14 00 00 80 00 00 0A 00 01 00 00"
            + " 00 00 00 00 00 01 01 01 01 01 02 02 02 02 02 03 03 03 03 03 10 10 10 10 10 11 11 11 11 11";
    static final String PACKET_2 = "80 E0 00 00 12 34 56 78 00 00 AB CD 00 02 00 0A 00 01 80 04 00 14 00 02 00 00"
            + " 12 12 12 12 12 13 13 13 13 13 20 20 20 20 20 21 21 21 21 21 22 22 22 22 22 23 23 23 23 23";

    private static Rfc4175Payloader payloader() {
        return new Rfc4175Payloader(TINY, new Rfc4175Payloader.Options(56, 96, 0xABCD, 3), 0x0001FFFF);
    }

    @Test
    void tinyFrame_isExactlyTheseTwoPackets() {
        Rfc4175Payloader pay = payloader();
        assertEquals(2, pay.packetsPerFrame());
        List<byte[]> packets = TestFrames.packetize(pay, frame(), 0x12345678L);
        HexFormat hex = HexFormat.ofDelimiter(" ").withUpperCase();
        assertEquals(PACKET_1, hex.formatHex(packets.get(0)));
        assertEquals(PACKET_2, hex.formatHex(packets.get(1)));
        assertEquals(0x00020001, pay.nextSequence());
    }

    @Test
    void tinyFrame_depacketizesToTheSameBytes() {
        List<VideoFrame> frames = new ArrayList<>();
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(TINY, Rfc4175Depacketizer.Options.standard(), frames::add);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        depay.push(TestFrames.rtp(hex.parseHex(PACKET_1.toLowerCase())));
        depay.push(TestFrames.rtp(hex.parseHex(PACKET_2.toLowerCase())));
        assertEquals(1, frames.size());
        VideoFrame f = frames.getFirst();
        assertTrue(f.complete());
        assertEquals(0x12345678L, f.rtpTimestamp());
        assertEquals(2, f.packets());
        assertArrayEquals(frame(), f.toByteArray());
    }
}
