package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.server.cli.ArchiveCommandTest.Run;

/** `medsync archive storage-model`: arithmetic only, so no data directory. */
class ArchiveStorageModelCommandTest {
    static Run run(String... args) {
        return ArchiveCommandTest.execute(args);
    }

    @Test
    void withoutOptionsItRecomputesThePaper() {
        Run r = run("archive", "storage-model");
        assertEquals(0, r.exit(), r.err());
        assertLine(r.out(), "per hospital per day ", "189.8 GB", "176.8 GiB");
        assertLine(r.out(), "per hospital per year ", "69.3 TB", "63.0 TiB");
        assertLine(r.out(), "all hospitals per year ", "65.9 PB", "58.5 PiB");
        assertLine(r.out(), "stored at the plateau ", "2512.1 PB");
        assertLine(r.out(), "   38.13 ", "2512.1 PB");
        assertLine(r.out(), "    1.00 ", "65.9 PB");
        assertLine(r.out(), "Stored before any deletion, Poland", "paper: 2325.3 PB", "DOES NOT FOLLOW");
        assertLine(r.out(), "Years a recording is kept", "follows");
    }

    @Test
    void aHospitalsOwnInputs() {
        Run r = run(
                "archive",
                "storage-model",
                "--hospitals",
                "1",
                "--ors",
                "10",
                "--surgeries-per-day",
                "3",
                "--minutes",
                "100",
                "--preset",
                "x265-fast-crf23",
                "--years",
                "20",
                "--copies",
                "2");
        assertEquals(0, r.exit(), r.err());
        // 10 x 3 x 100 min = 50 h a day at 0.399 GB/h, two copies: 39.9 GB a day, 14.6 TB a year, 291 TB kept.
        assertLine(r.out(), "per hospital per day ", "39.9 GB");
        assertLine(r.out(), "stored at the plateau ", "291.3 TB");
        assertTrue(!r.out().contains("DOES NOT FOLLOW"), r.out());
    }

    /** The line that starts with {@code start} contains every one of {@code values}. */
    private static void assertLine(String out, String start, String... values) {
        String line = out.lines().filter(l -> l.startsWith(start)).findFirst().orElse("");
        for (String v : values) {
            assertTrue(line.contains(v), "'" + start + "' line lacks " + v + ":\n" + out);
        }
    }

    @Test
    void listsPresetsAndRefusesNonsense() {
        Run list = run("archive", "storage-model", "--preset", "list");
        assertTrue(list.out().contains("x265-fast-crf23"), list.out());
        assertTrue(list.out().contains("paper-h264-6m"), list.out());
        Run bad = run("archive", "storage-model", "--rate", "fast");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("rate: expected a number"), bad.err());
    }
}
