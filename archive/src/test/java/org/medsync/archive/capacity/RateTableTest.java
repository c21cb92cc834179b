package org.medsync.archive.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RateTableTest {
    private static final String HEADER = "encoder,preset,crf,bitrate_kbps,gb_per_hour,psnr_db,ssim,encode_x_realtime\n";

    /** The resource is the benchmark's table as docs/benchmarks.md records it, not a hand-edited copy. */
    @Test
    void shippedTableIsTheOneInDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "img", "archive-rate-quality.csv"));
        try (InputStream in = RateTable.class.getResourceAsStream("rate-quality.csv")) {
            assertEquals(docs, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shippedTableHasThePaperAndTheMeasuredPresets() {
        RateTable t = RateTable.shipped();
        assertEquals(14, t.presets().size());
        assertEquals(6.0, t.require("paper-h264-6m").megabitsPerSecond());
        assertEquals(5.47, t.require("x264-veryfast-6m").megabitsPerSecond(), 0.01);
        assertEquals(1.82, t.require("x264-medium-crf23").megabitsPerSecond(), 0.01);
        RateTable.Preset x265 = t.require("x265-fast-crf23");
        assertEquals(0.399, x265.gigabytesPerHour(), 1e-4);
        assertEquals(43.063, x265.psnrDb());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.require("av1"));
        assertTrue(e.getMessage().contains("x265-fast-crf23"), e.getMessage());
    }

    @Test
    void rejectsGarbageNamingTheLine() {
        expect("nonsense\n", "line 1");
        expect("# title: x\n", "no header");
        expect(HEADER + "libx264,fast,18,abc,1,40,0.9,1\n", "line 2: bitrate_kbps");
        expect(HEADER + "libvpx,fast,18,100,1,40,0.9,1\n", "encoder");
        expect(HEADER + "libx264,fast,18.5,100,1,40,0.9,1\n", "crf");
        expect(HEADER + "libx264,fast,18,0,1,40,0.9,1\n", "positive");
        expect(HEADER + "libx264,fast,18,100,1\n", "8 comma-separated");
        expect(HEADER + "libx264,fast,18,100,1,40,0.9,1\nlibx264,fast,18,100,1,40,0.9,1\n", "second row");
    }

    private static void expect(String table, String inMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateTable.parse(table));
        assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    }
}
