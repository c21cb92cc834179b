package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the talk-back bodies a page sends (outside bytes): only a BAD_REQUEST OrException escapes, and
 * what parses is a side and an SDP that passes the same checks again.
 */
class TalkMessagesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void talkBodies_parseOrAreRefused(byte[] data) {
        String body = new String(data, StandardCharsets.UTF_8);
        try {
            ViewerMessages.TalkJoin j = ViewerMessages.talkJoin(body);
            assertTrue(j.offerSdp().startsWith("v=0"));
            assertEquals(j.offerSdp(), ViewerMessages.answer("{\"sdp\":" + quoted(j.offerSdp()) + "}"));
        } catch (OrException e) {
            assertEquals(OrException.Reason.BAD_REQUEST, e.reason(), e.getMessage());
            assertTrue(e.getMessage().length() < 200, "a precise, short message");
        }
        try {
            ViewerMessages.talking(body);
        } catch (OrException e) {
            assertEquals(OrException.Reason.BAD_REQUEST, e.reason(), e.getMessage());
        }
    }

    private static String quoted(String s) {
        return new ObjectMapper().valueToTree(s).toString();
    }
}
