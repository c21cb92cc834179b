package org.medsync.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for ICE candidates from browsers, which go on to native WebRTC (the relay) or Janus (the audio
 * SFU). Only IllegalArgumentException escapes; what parses is a bounded line of printable ASCII, or the end of
 * candidates, and writes back to JSON that parses to the same candidate.
 */
class IceCandidatesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse_onlyIllegalArgumentEscapes_andWhatParsesIsALine(byte[] data) {
        IceCandidates.Candidate c;
        try {
            c = IceCandidates.parse(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertTrue(c.line().length() <= IceCandidates.MAX_LINE);
        assertTrue(
                c.line().isEmpty()
                        || c.line().startsWith("candidate:")
                                && c.line().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f),
                c.line());
        assertTrue(c.endOfCandidates() || c.sdpMid() != null || c.sdpMLineIndex() != null);
        assertEquals(c, IceCandidates.parse(c.toJson()));
    }
}
