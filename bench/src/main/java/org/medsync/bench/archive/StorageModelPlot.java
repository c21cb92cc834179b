package org.medsync.bench.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medsync.archive.capacity.PaperCheck;
import org.medsync.archive.capacity.RateTable;
import org.medsync.archive.capacity.StorageModel;
import org.medsync.bench.recorded.RecordedPlot;

/**
 * {@code scripts/bench storage-model [DIR]}: the stored volume of the paper's Poland over 60 years, at the paper's
 * 6 Mb/s and at two rates of our own rate-quality table, with the paper's 2325.3 PB for comparison. Arithmetic, not
 * a measurement: the archive's storage model (org.medsync.archive.capacity) draws it, so the plot and the command
 * and the page cannot disagree. Writes DIR/archive-storage-model.csv (RecordedPlot's format) and its PNG.
 */
public final class StorageModelPlot {
    private static final int HORIZON = 60;

    private StorageModelPlot() {}

    public static List<String> run(Path dir) throws IOException {
        Files.createDirectories(dir);
        RateTable table = RateTable.shipped();
        StorageModel paper = PaperCheck.model();
        List<String> csv = new ArrayList<>(List.of(
                "# title: Stored video, Poland (951 hospitals x 8 ORs x 3.2 surgeries/day x "
                        + String.format(Locale.ROOT, "%.1f", PaperCheck.impliedMinutes())
                        + " min), kept 38.13 years",
                "# note: scripts/bench storage-model (the archive's storage model; decimal PB, 365-day years)",
                "# chart: lines",
                "# x: years of recording",
                "# y: stored (PB)",
                "series,color,dashed,x,y"));
        List<String> summary = new ArrayList<>();
        record Line(String name, String color, String preset) {}
        for (Line l : List.of(
                new Line("paper: H.264 6 Mb/s", "c0392b", RateTable.PAPER),
                new Line("x264 vf CRF 23", "2e86de", "x264-veryfast-crf23"),
                new Line("x265 fast CRF 23", "27ae60", "x265-fast-crf23"))) {
            StorageModel m = new StorageModel(
                    paper.hospitals(),
                    paper.orsPerHospital(),
                    paper.surgeriesPerOrPerDay(),
                    paper.minutesPerSurgery(),
                    table.require(l.preset()).megabitsPerSecond(),
                    paper.retentionYears(),
                    1,
                    false);
            for (StorageModel.Point p : m.curve(HORIZON)) {
                // Every 5 years and the knee: the chart labels each x, and a line needs no more points.
                if (p.years() % 5 != 0 && p.years() != m.retentionYears()) {
                    continue;
                }
                csv.add(String.format(
                        Locale.ROOT, "%s,%s,false,%.2f,%.1f", l.name(), l.color(), p.years(), p.bytes() / 1e15));
            }
            summary.add(String.format(
                    Locale.ROOT,
                    "%-34s %7.1f PB/year, plateau %7.1f PB from year %.2f",
                    l.name(),
                    m.yearlyBytes() / 1e15,
                    m.plateauBytes() / 1e15,
                    m.retentionYears()));
        }
        for (int x : List.of(0, HORIZON)) {
            csv.add(String.format(
                    Locale.ROOT, "paper's 2325.3 PB,7f8c8d,true,%d,%.1f", x, PaperCheck.PAPER_PB_BEFORE_DELETION));
        }
        Path file = dir.resolve("archive-storage-model.csv");
        Files.write(file, csv);
        Path png = RecordedPlot.draw(file);
        summary.add("wrote " + file + " and " + png);
        return summary;
    }
}
