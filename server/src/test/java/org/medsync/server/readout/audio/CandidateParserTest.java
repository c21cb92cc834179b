package org.medsync.server.readout.audio;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A browser's ICE candidate (outside bytes) is checked before it reaches Janus: RTCIceCandidateInit JSON passes
 * reduced to its three fields, anything else is refused with IllegalArgumentException and never another failure.
 */
class CandidateParserTest {
    @Test
    void validCandidates_areReducedToTheirFields() {
        JsonNode c =
                JanusAudioSfu.parseCandidate("{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\","
                        + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"ab\",\"extra\":{\"x\":1}}");
        assertEquals(
                "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
                c.path("candidate").asText());
        assertEquals("0", c.path("sdpMid").asText());
        assertEquals(0, c.path("sdpMLineIndex").asInt());
        assertFalse(c.has("extra"));
        assertTrue(
                JanusAudioSfu.parseCandidate("{\"candidate\":\"\",\"sdpMid\":\"0\"}")
                        .path("completed")
                        .asBoolean(),
                "end of candidates");
    }

    @Test
    void garbage_isRefusedWithAReason() {
        for (String bad : List.of(
                "",
                "null",
                "[]",
                "42",
                "{",
                "{\"candidate\": 42}",
                "{\"sdpMid\":\"0\"}",
                "{\"candidate\":\"a=candidate:1\"}",
                "\"candidate:1\"",
                "{\"candidate\":\"x\"}",
                "{\"candidate\":\"\"} {}")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> JanusAudioSfu.parseCandidate(bad), bad);
            assertTrue(
                    e.getMessage().startsWith("candidate") || e.getMessage().startsWith("'candidate'"), e.getMessage());
        }
    }

    @Test
    void randomInput_isAcceptedOrRefused_neverAnotherFailure() {
        Random random = new Random(5);
        String alphabet = "{}[]\":,candidte0123456789 .-\\u\u00e9\u0000";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "{\"candidate\":" : "");
            for (int n = random.nextInt(40); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                assertNotNull(JanusAudioSfu.parseCandidate(s.toString()));
            } catch (IllegalArgumentException expected) {
                assertNotNull(expected.getMessage());
            }
        }
    }
}
