package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for what a viewer's page sends on its socket (outside bytes): only a BAD_REQUEST OrException escapes;
 * a stroke that parses is one the receiver accepts (the record's own checks pass for any author role).
 */
class ExpertMessagesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void message_isAStrokeOrAClearOrRefused(byte[] data) {
        ExpertMessages.Message m;
        try {
            m = ExpertMessages.parse(new String(data, StandardCharsets.UTF_8));
        } catch (OrException e) {
            assertEquals(OrException.Reason.BAD_REQUEST, e.reason(), e.getMessage());
            assertTrue(e.getMessage().length() < 200, "a precise, short message");
            return;
        }
        if (m instanceof ExpertMessages.StrokeMessage s) {
            assertEquals(s.id(), s.by("attending").id());
        }
    }
}
