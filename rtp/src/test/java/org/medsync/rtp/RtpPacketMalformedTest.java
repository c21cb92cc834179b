package org.medsync.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.rtp.RtpDecodeResult.Reason;

/** Each malformed packet maps to exactly one reason; the message text is not part of the contract. */
class RtpPacketMalformedTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("empty datagram", "", Reason.TRUNCATED_HEADER),
                Arguments.of("11 of 12 header bytes", "80 60 00 01 00 00 00 00 00 00 00", Reason.TRUNCATED_HEADER),
                Arguments.of("version 0", "00 60 00 01 00 00 00 00 00 00 00 00", Reason.BAD_VERSION),
                Arguments.of("version 1", "40 60 00 01 00 00 00 00 00 00 00 00", Reason.BAD_VERSION),
                Arguments.of("version 3", "C0 60 00 01 00 00 00 00 00 00 00 00", Reason.BAD_VERSION),
                Arguments.of(
                        "CC=3, one CSRC present",
                        "83 60 00 01 00 00 00 00 00 00 00 00 11 11 11 11",
                        Reason.TRUNCATED_CSRC),
                Arguments.of(
                        "X=1, no extension header",
                        "90 60 00 01 00 00 00 00 00 00 00 00 BE DE",
                        Reason.BAD_EXTENSION_LENGTH),
                Arguments.of(
                        "extension length 2 words, 1 present",
                        "90 60 00 01 00 00 00 00 00 00 00 00 BE DE 00 02 10 AA 00 00",
                        Reason.BAD_EXTENSION_LENGTH),
                Arguments.of(
                        "extension length 0xFFFF words",
                        "90 60 00 01 00 00 00 00 00 00 00 00 BE DE FF FF",
                        Reason.BAD_EXTENSION_LENGTH),
                Arguments.of(
                        "one-byte element of 4 bytes in a 4-byte block",
                        "90 60 00 01 00 00 00 00 00 00 00 00 BE DE 00 01 13 01 02 03",
                        Reason.BAD_EXTENSION_ELEMENT),
                Arguments.of(
                        "two-byte element header cut by block end",
                        "90 60 00 01 00 00 00 00 00 00 00 00 10 00 00 01 00 00 00 05",
                        Reason.BAD_EXTENSION_ELEMENT),
                Arguments.of(
                        "two-byte element length past block",
                        "90 60 00 01 00 00 00 00 00 00 00 00 10 00 00 01 05 09 00 00",
                        Reason.BAD_EXTENSION_ELEMENT),
                Arguments.of("P=1, nothing after header", "A0 60 00 01 00 00 00 00 00 00 00 00", Reason.BAD_PADDING),
                Arguments.of("P=1, count 0", "A0 60 00 01 00 00 00 00 00 00 00 00 41 00", Reason.BAD_PADDING),
                Arguments.of(
                        "P=1, count larger than payload",
                        "A0 60 00 01 00 00 00 00 00 00 00 00 41 05",
                        Reason.BAD_PADDING));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void malformed_mapsToReason(String name, String hex, Reason reason) {
        RtpDecodeResult r = RtpPacket.decode(Hex.bytes(hex));
        assertEquals(
                reason, assertInstanceOf(RtpDecodeResult.Malformed.class, r).reason(), name);
        RtpFormatException e =
                assertThrows(RtpFormatException.class, () -> RtpPacket.parse(ByteBuffer.wrap(Hex.bytes(hex))));
        assertEquals(reason, e.reason());
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void malformedOverTcp_sameReason(String name, String hex, Reason reason) {
        byte[] body = Hex.bytes(hex);
        if (body.length == 0) {
            return; // a zero length prefix is a framing error, tested in Rfc4571FramerTest
        }
        ByteBuffer stream = ByteBuffer.allocate(body.length + 2)
                .putShort((short) body.length)
                .put(body)
                .flip();
        RtpDecodeResult r = new Rfc4571Framer().next(stream);
        assertEquals(
                reason, assertInstanceOf(RtpDecodeResult.Malformed.class, r).reason(), name);
        assertEquals(0, stream.remaining(), "the bad frame is consumed, the stream stays in sync");
    }
}
