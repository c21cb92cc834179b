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

    @Test
    void darkFramesOutsideBlackAreUnderexposed_andUnreadableLinesAreSkipped() {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            double t = i * 0.5;
            m.append("frame:")
                    .append(i)
                    .append(" pts:")
                    .append(i)
                    .append(" pts_time:")
                    .append(t)
                    .append('\n');
            m.append("lavfi.blur=4.2\n");
            m.append("lavfi.signalstats.YAVG=")
                    .append(t >= 1 && t < 3 ? "20" : "120")
                    .append('\n');
            m.append("lavfi.signalstats.YHIGH=")
                    .append(t >= 1 && t < 3 ? "31" : "210")
                    .append('\n');
            m.append("garbage without an equals sign\nlavfi.blur=-nan\n".substring(0, i % 2 == 0 ? 0 : 31));
        }
        List<IngestChecks.Stretch> found = IngestChecks.analyse(m.toString(), 5, IngestChecks.Thresholds.defaults());
        assertEquals(List.of(new IngestChecks.Stretch("underexposed", 1, 3, "90th percentile luma 31.0")), found);
    }
}
