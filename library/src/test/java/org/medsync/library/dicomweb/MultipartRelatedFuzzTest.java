package org.medsync.library.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Jazzer target for the multipart/related parser that reads a remote PACS's answers. Under plain surefire it
 * replays the inputs in src/test/resources/.../MultipartRelatedFuzzTestInputs; with JAZZER_FUZZ=1 it fuzzes for
 * maxDuration. The first line of the input is the Content-Type, the rest the body. Only
 * IllegalArgumentException may escape, and what parses is written and parsed back to the same parts.
 */
class MultipartRelatedFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse_onlyIllegalArgumentEscapes_andWhatParsesWritesBack(byte[] data) {
        int newline = 0;
        while (newline < data.length && data[newline] != '\n') {
            newline++;
        }
        String contentType = new String(data, 0, newline, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] body = java.util.Arrays.copyOfRange(data, Math.min(data.length, newline + 1), data.length);
        List<MultipartRelated.Part> parts;
        try {
            parts = MultipartRelated.parse(contentType, body);
        } catch (IllegalArgumentException expected) {
            return;
        }
        MultipartRelated.Body written = MultipartRelated.write("application/octet-stream", parts);
        List<MultipartRelated.Part> again = MultipartRelated.parse(written.contentType(), written.bytes());
        assertEquals(parts.size(), again.size());
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(parts.get(i).body(), again.get(i).body());
        }
    }
}
