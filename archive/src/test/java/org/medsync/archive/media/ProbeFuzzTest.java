package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for ffprobe's JSON, which an uploaded file steers: only a {@link MediaFormatException} with a message
 * escapes, and what parses is a usable video description (positive size, frame rate, duration; known chroma).
 */
class ProbeFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse_onlyMediaFormatErrorsEscape_andWhatParsesIsUsable(byte[] data) {
        Probe p;
        try {
            p = Probe.parse(new String(data, StandardCharsets.UTF_8));
        } catch (MediaFormatException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            return;
        }
        assertTrue(p.durationSeconds() > 0 && Double.isFinite(p.durationSeconds()));
        assertTrue(p.video().width() > 0 && p.video().height() > 0);
        assertTrue(p.video().fps() > 0 && p.video().fps() <= 1000);
        assertTrue(p.video().bitDepth() >= 8 && p.video().bitDepth() <= 16);
        assertTrue(p.video().chroma().matches("4:[0-4]:[0-4]"));
        MasterDecision.decide(p, MasterDecision.Policy.KEEP, "x.mp4");
        Ladder.rungs(p.video().width(), p.video().height());
    }
}
