package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.rtp.RtpPacket;
import org.medsync.st2110.video.Rfc4175Payload.Reason;

/**
 * Bad RFC 4175 payloads against the 8x3 10-bit format of {@link Rfc4175GoldenTest}. Row header =
 * Length(16) F|Line(16) C|Offset(16). Each maps to one reason; the depacketizer counts it and
 * still uses the good segments of the same packet.
 */
class Rfc4175MalformedTest {

    static final String PG = " AA AA AA AA AA"; // one 5-byte pgroup

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("7 bytes: header cut", "00 00 00 05 00 00 00", Reason.TRUNCATED_HEADER),
                Arguments.of("C=1 but no second header", "00 00 00 05 00 00 80 00" + PG, Reason.TRUNCATED_HEADER),
                Arguments.of(
                        "4 row headers",
                        "00 00" + " 00 05 00 00 80 00".repeat(3) + " 00 05 00 00 00 00" + PG.repeat(4),
                        Reason.TOO_MANY_SEGMENTS),
                Arguments.of("length beyond payload", "00 00 00 0A 00 00 00 00" + PG, Reason.LENGTH_BEYOND_PAYLOAD),
                Arguments.of(
                        "two lengths beyond payload",
                        "00 00 00 05 00 00 80 00 00 05 00 01 00 00" + PG,
                        Reason.LENGTH_BEYOND_PAYLOAD),
                Arguments.of("line 3 of 3", "00 00 00 05 00 03 00 00" + PG, Reason.LINE_OUT_OF_RANGE),
                Arguments.of("line 0x7FFF", "00 00 00 05 7F FF 00 00" + PG, Reason.LINE_OUT_OF_RANGE),
                Arguments.of("offset 8 of width 8", "00 00 00 05 00 00 00 08" + PG, Reason.OFFSET_BEYOND_WIDTH),
                Arguments.of(
                        "offset 3, not a pgroup boundary",
                        "00 00 00 05 00 00 00 03" + PG,
                        Reason.OFFSET_NOT_PGROUP_ALIGNED),
                Arguments.of(
                        "length 4, not a pgroup multiple",
                        "00 00 00 04 00 00 00 00 AA AA AA AA",
                        Reason.LENGTH_NOT_PGROUP_MULTIPLE),
                Arguments.of(
                        "3 pgroups from offset 4 of 8",
                        "00 00 00 0F 00 00 00 04" + PG.repeat(3),
                        Reason.SEGMENT_BEYOND_LINE_END),
                Arguments.of("F bit in progressive", "00 00 00 05 80 00 00 00" + PG, Reason.FIELD_IN_PROGRESSIVE));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void badPayload_mapsToReason(String name, String hex, Reason reason) {
        ByteBuffer payload = ByteBuffer.wrap(HexFormat.ofDelimiter(" ").parseHex(hex.toLowerCase()));
        assertEquals(reason, Rfc4175Payload.firstProblem(payload, Rfc4175GoldenTest.TINY, 3), name);
    }

    @ParameterizedTest(name = "{0} -> counted as {2}")
    @MethodSource("table")
    void depacketizer_countsAndSkips_andStillAssemblesTheGoodPackets(String name, String hex, Reason reason) {
        List<VideoFrame> frames = new ArrayList<>();
        Rfc4175Depacketizer depay =
                new Rfc4175Depacketizer(Rfc4175GoldenTest.TINY, Rfc4175Depacketizer.Options.standard(), frames::add);
        HexFormat h = HexFormat.ofDelimiter(" ");
        RtpPacket p1 = TestFrames.rtp(h.parseHex(Rfc4175GoldenTest.PACKET_1.toLowerCase()));
        RtpPacket p2 = TestFrames.rtp(h.parseHex(Rfc4175GoldenTest.PACKET_2.toLowerCase()));
        RtpPacket bad =
                RtpPacket.of(false, 96, 0, p1.timestamp(), p1.ssrc(), ByteBuffer.wrap(h.parseHex(hex.toLowerCase())));
        depay.push(p1);
        depay.push(bad);
        depay.push(p2);
        assertEquals(1, depay.stats().problems(reason), name);
        assertEquals(1, frames.size());
        // the bad packet broke the sequence, so the frame is flagged, but its bytes are all there
        assertArrayEquals(Rfc4175GoldenTest.frame(), frames.getFirst().toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void everyPrefix_neverThrows(String name, String hex, Reason reason) {
        byte[] b = HexFormat.ofDelimiter(" ").parseHex(hex.toLowerCase());
        for (int n = 0; n <= b.length; n++) {
            Rfc4175Payload.firstProblem(ByteBuffer.wrap(b, 0, n), Rfc4175GoldenTest.TINY, 3);
        }
    }
}
