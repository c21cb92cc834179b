package org.medsync.archive.pacs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.medsync.dicom.video.VideoContainer;

/**
 * Jazzer target for the reader of ffprobe's JSON about uploaded files. Under plain surefire it replays the inputs in
 * src/test/resources/.../ProbeJsonFuzzTestInputs; with JAZZER_FUZZ=1 it fuzzes. Only IllegalArgumentException
 * (with its message) may escape.
 */
class ProbeJsonFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse_onlyIllegalArgumentEscapes(byte[] data) {
        try {
            ProbeJson.parse(new String(data, StandardCharsets.UTF_8), VideoContainer.MP4);
        } catch (IllegalArgumentException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a message", expected);
            }
        }
    }
}
