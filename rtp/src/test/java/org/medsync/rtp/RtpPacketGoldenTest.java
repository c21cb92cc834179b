package org.medsync.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden packets: each vector is written out against the RFC 3550 diagram and must decode and re-encode exactly. */
class RtpPacketGoldenTest {

    /*
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |V=2|0|0|  0    |1|   PT=96     |     sequence number 0x1234    |   80 E0 12 34
     * |                      timestamp 0xDEADBEEF                     |   DE AD BE EF
     * |                        SSRC 0x01020304                        |   01 02 03 04
     * |                       payload "ABCD"                          |   41 42 43 44
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    static final byte[] MINIMAL = Hex.bytes("80 E0 12 34 | DE AD BE EF | 01 02 03 04 | 41 42 43 44");

    /*
     * |V=2|1|1| CC=2  |0|   PT=96     |     sequence number 0xFFFF    |   B2 60 FF FF
     * |                      timestamp 0                              |   00 00 00 00
     * |                        SSRC 0xCAFEBABE                        |   CA FE BA BE
     * |                        CSRC 0x11111111                        |   11 11 11 11
     * |                        CSRC 0x22222222                        |   22 22 22 22
     * |       0xBE    |    0xDE       |           length=2            |   BE DE 00 02
     * | ID=1  | L=0   |     0xAA      | ID=2  | L=1   |     0xBB      |   10 AA 21 BB
     * |     0xCC      |   padding 0   |   padding 0   |   padding 0   |   CC 00 00 00
     * |          payload 0x0102       |  padding 0    | pad count=2   |   01 02 00 02
     */
    static final byte[] ONE_BYTE_EXT = Hex.bytes("""
            B2 60 FF FF | 00 00 00 00 | CA FE BA BE | 11 11 11 11 | 22 22 22 22
            BE DE 00 02 | 10 AA 21 BB | CC 00 00 00 | 01 02 00 02""");

    /*
     * |V=2|0|1|  0    |1|   PT=104    |     sequence number 7         |   90 E8 00 07
     * |                      timestamp 90000                          |   00 01 5F 90
     * |                        SSRC 0x00000001                        |   00 00 00 01
     * |  0x100        |appbits|  0    |           length=2            |   10 00 00 02
     * |    ID=3       |    L=0        |     ID=200    |     L=3       |   03 00 C8 03
     * |     0x01      |     0x02      |     0x03      |   padding 0   |   01 02 03 00
     * |                       payload 0xFF                            |   FF
     */
    static final byte[] TWO_BYTE_EXT = Hex.bytes("""
            90 E8 00 07 | 00 01 5F 90 | 00 00 00 01 | 10 00 00 02 | 03 00 C8 03 | 01 02 03 00 | FF""");

    @Test
    void minimal_decodesFieldByField() {
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(MINIMAL));
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(0x1234, p.sequenceNumber());
        assertEquals(0xDEADBEEFL, p.timestamp());
        assertEquals(0x01020304L, p.ssrc());
        assertEquals(List.of(), p.csrcs());
        assertEquals(Optional.empty(), p.extension());
        assertEquals(ByteBuffer.wrap("ABCD".getBytes()), p.payload());
        assertEquals(0, p.paddingLength());
        assertArrayEquals(MINIMAL, p.toBytes());
    }

    @Test
    void minimal_isWhatTheFactoryWrites() {
        RtpPacket p = RtpPacket.of(true, 96, 0x1234, 0xDEADBEEFL, 0x01020304L, ByteBuffer.wrap("ABCD".getBytes()));
        assertArrayEquals(MINIMAL, p.toBytes());
        ByteBuffer fixed = ByteBuffer.allocate(12);
        RtpPacket.writeFixedHeader(fixed, true, 96, 0x1234, 0xDEADBEEFL, 0x01020304L);
        assertArrayEquals(java.util.Arrays.copyOf(MINIMAL, 12), fixed.array());
    }

    @Test
    void oneByteExtension_csrcAndPadding() {
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(ONE_BYTE_EXT));
        assertFalse(p.marker());
        assertEquals(0xFFFF, p.sequenceNumber());
        assertEquals(List.of(0x11111111L, 0x22222222L), p.csrcs());
        HeaderExtension ext = p.extension().orElseThrow();
        assertEquals(HeaderExtension.Form.ONE_BYTE, ext.form());
        assertEquals(
                List.of(ExtensionElement.of(1, (byte) 0xAA), ExtensionElement.of(2, (byte) 0xBB, (byte) 0xCC)),
                ext.elements());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), p.payload());
        assertEquals(2, p.paddingLength());
        assertArrayEquals(ONE_BYTE_EXT, p.toBytes());

        RtpPacket built = new RtpPacket(
                false,
                96,
                0xFFFF,
                0,
                0xCAFEBABEL,
                List.of(0x11111111L, 0x22222222L),
                Optional.of(HeaderExtension.oneByte(ext.elements())),
                ByteBuffer.wrap(new byte[] {1, 2}),
                2);
        assertEquals(p, built);
        assertArrayEquals(ONE_BYTE_EXT, built.toBytes());
    }

    @Test
    void twoByteExtension_allowsEmptyAndLargeIds() {
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(TWO_BYTE_EXT));
        assertEquals(104, p.payloadType());
        assertEquals(90000, p.timestamp());
        HeaderExtension ext = p.extension().orElseThrow();
        assertEquals(HeaderExtension.Form.TWO_BYTE, ext.form());
        assertEquals(
                List.of(ExtensionElement.of(3), ExtensionElement.of(200, (byte) 1, (byte) 2, (byte) 3)),
                ext.elements());
        assertEquals(ext, HeaderExtension.twoByte(0, ext.elements()));
        assertArrayEquals(TWO_BYTE_EXT, p.toBytes());
    }

    @Test
    void oneByteExtension_id15StopsParsingButBytesAreKept() {
        byte[] b = Hex.bytes("90 60 00 01 00 00 00 00 00 00 00 00 | BE DE 00 01 | 10 AA F0 21");
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(b));
        assertEquals(
                List.of(ExtensionElement.of(1, (byte) 0xAA)),
                p.extension().orElseThrow().elements());
        assertArrayEquals(b, p.toBytes());
    }

    @Test
    void unknownProfile_isOpaque() {
        byte[] b = Hex.bytes("90 60 00 01 00 00 00 00 00 00 00 00 | AB CD 00 01 | FF FF FF FF");
        HeaderExtension ext = RtpPacket.parse(ByteBuffer.wrap(b)).extension().orElseThrow();
        assertEquals(HeaderExtension.Form.OTHER, ext.form());
        assertEquals(List.of(), ext.elements());
    }

    @Test
    void decodedPayload_isAViewNotACopy() {
        byte[] b = MINIMAL.clone();
        RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(b));
        b[12] = 'Z';
        assertEquals('Z', p.payload().get(0));
        assertTrue(p.payload().isReadOnly());
    }

    @Test
    void decodeRespectsPositionAndLimit() {
        ByteBuffer framed = ByteBuffer.allocate(MINIMAL.length + 8);
        framed.position(4);
        framed.put(MINIMAL);
        framed.flip().position(4);
        RtpDecodeResult r = RtpPacket.decode(framed);
        assertArrayEquals(
                MINIMAL,
                assertInstanceOf(RtpDecodeResult.Decoded.class, r).packet().toBytes());
        assertEquals(4, framed.position());
    }
}
