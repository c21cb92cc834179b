package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestChecksTest {
    @TempDir
    Path dir;

    @Test
    void findsTheBlackFrozenBlurredAndOverexposedStretchesOfASource() throws Exception {
        Path source = TestMedia.withFaults(dir.resolve("faults.mp4"));
        Probe probe = Probe.of(source);
        List<IngestChecks.Stretch> found =
                IngestChecks.run(source, probe, IngestChecks.Thresholds.defaults(), dir, f -> {});
        List<String> summary = found.stream()
                .map(s -> String.format(Locale.ROOT, "%s %.0f-%.0f", s.kind(), s.start(), s.end()))
                .toList();
        // The source: 0-2 moving, 2-4 black, 4-6 frozen, 6-8 blurred, 8-10 overexposed. Frozen excludes the black
        // part (static too, but already flagged as black).
        assertEquals(List.of("black 2-4", "frozen 4-6", "blurred 6-8", "overexposed 8-10"), summary, found.toString());
        assertTrue(found.get(3).detail().startsWith("mean luma "), found.get(3).detail());
    }

    @Test
    void aCleanSourceHasNoFlags() throws Exception {
        Path source = TestMedia.pattern(dir.resolve("clean.mp4"), 320, 180, 25, 3, "yuv420p");
        assertEquals(
                List.of(),
                IngestChecks.run(source, Probe.of(source), IngestChecks.Thresholds.defaults(), dir, f -> {}));
    }
}
