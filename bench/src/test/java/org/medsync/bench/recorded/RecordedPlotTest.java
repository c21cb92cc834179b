package org.medsync.bench.recorded;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedPlotTest {
    @TempDir
    Path dir;

    @Test
    void barsAndLines_becomeThePngNextToTheCsv() throws Exception {
        Path bars = dir.resolve("import.csv");
        Files.writeString(bars, """
                # title: Import rate (instances/s)
                # note: run of 2026-11-22, scripts/bench import
                # chart: bars
                # target: 500
                label,value
                run 1,372
                run 2,422.5
                """);
        Path lines = dir.resolve("upload.csv");
        Files.writeString(lines, """
                # title: Driver upload
                # note: run of 2026-12-01, scripts/bench bandwidth
                # chart: lines
                # x: participants
                # y: kbps
                # log: true
                series,color,dashed,x,y
                mesh,c0392b,false,2,67.9
                mesh,c0392b,false,32,1530.6
                relay,3b6ea5,true,2,59.9
                relay,3b6ea5,true,32,61.2
                """);
        for (Path csv : new Path[] {bars, lines}) {
            Path png = RecordedPlot.draw(csv);
            assertEquals(csv.resolveSibling(csv.getFileName().toString().replace(".csv", ".png")), png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, png + " is a PNG");
            assertTrue(img.getWidth() >= 700, "a readable width");
        }
    }

    @Test
    void whatIsNotAPlot_isRefusedWithTheReason() throws Exception {
        Path missingNote = dir.resolve("a.csv");
        Files.writeString(missingNote, "# title: t\n# chart: bars\nlabel,value\nx,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordedPlot.draw(missingNote))
                .getMessage()
                .contains("note"));
        Path badNumber = dir.resolve("b.csv");
        Files.writeString(badNumber, "# title: t\n# note: n\n# chart: bars\nlabel,value\nx,NaN\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordedPlot.draw(badNumber))
                .getMessage()
                .contains("not a number"));
        Path shortRow = dir.resolve("c.csv");
        Files.writeString(
                shortRow,
                "# title: t\n# note: n\n# chart: lines\n# x: a\n# y: b\nseries,color,dashed,x,y\ns,000000,false,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordedPlot.draw(shortRow))
                .getMessage()
                .contains("expected 5"));
        assertFalse(Files.exists(dir.resolve("a.png")) || Files.exists(dir.resolve("b.png")));
    }
}
