package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.medsync.server.api.ApiError;

/**
 * Jazzer target for the body of {@code POST /api/archive/or-recordings} (outside bytes): only a 400 ApiError with a
 * message escapes; what parses names an OR and flow by the configuration's rule, and written back parses the same.
 */
class OrRecordingRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    void body_isARequestOrA400(byte[] data) throws Exception {
        OrRecordingRequest r;
        try {
            r = OrRecordingRequest.parse(new String(data, StandardCharsets.UTF_8));
        } catch (ApiError e) {
            assertEquals(400, e.status(), e.getMessage());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        assertTrue(r.or().matches("[a-z0-9-]{1,32}"), r.or());
        assertTrue(r.flow().matches("[a-z0-9-]{1,32}"), r.flow());
        assertTrue(!r.hospital().isEmpty() && r.hospital().length() <= 64, r.hospital());
        String back = JSON.writeValueAsString(Map.of("or", r.or(), "flow", r.flow(), "hospital", r.hospital()));
        assertEquals(r, OrRecordingRequest.parse(back));
    }
}
