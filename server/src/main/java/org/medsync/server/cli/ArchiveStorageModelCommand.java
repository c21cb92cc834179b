package org.medsync.server.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medsync.archive.capacity.PaperCheck;
import org.medsync.archive.capacity.RateTable;
import org.medsync.archive.capacity.StorageModel;
import org.medsync.archive.capacity.StorageQuestion;
import org.medsync.archive.capacity.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medsync archive storage-model}: the paper's storage arithmetic, checked, or a hospital's own (docs/archive.md,
 * "Operations"; docs/archive-evidence.md, "The storage model"). Needs no database: it is arithmetic over the shipped
 * rate-quality table, the same model GET /api/archive/storage-model answers with.
 */
@Command(
        name = "storage-model",
        description = "How much video the archive will store: the paper's figures checked, or your own inputs"
                + " (default: the paper's Poland, 951 hospitals x 8 ORs x 3.2 surgeries a day at 6 Mb/s).")
final class ArchiveStorageModelCommand implements Callable<Integer> {
    @Option(names = "--hospitals", description = "default 951 (Poland's general hospitals, 2017)")
    String hospitals;

    @Option(names = "--ors", description = "operating rooms per hospital; default 8")
    String ors;

    @Option(names = "--surgeries-per-day", description = "per OR; default 3.2")
    String surgeries;

    @Option(names = "--minutes", description = "per surgery; default 164.8, what the paper's 189.8 GB/day implies")
    String minutes;

    @Option(names = "--hours-per-day", description = "recorded per OR, instead of --minutes")
    String hoursPerDay;

    @Option(names = "--preset", description = "a rate from our rate-quality table; --preset list shows them")
    String preset;

    @Option(names = "--rate", description = "Mb/s, instead of --preset")
    String rate;

    @Option(names = "--years", description = "retention; default 38.13 (the paper's)")
    String years;

    @Option(names = "--copies", description = "storage locations; default 1")
    String copies;

    @Option(names = "--encrypted", description = "add the encryption's 16 B a 64 KiB chunk and a header a recording")
    boolean encrypted;

    @Option(names = "--horizon", description = "years to tabulate; default 1.5 x retention")
    String horizon;

    @Override
    public Integer call() {
        RateTable table = RateTable.shipped();
        if ("list".equals(preset)) {
            System.out.printf("%-22s %8s %9s %8s  %s%n", "preset", "Mb/s", "GB/hour", "PSNR dB", "what");
            for (RateTable.Preset p : table.presets()) {
                System.out.printf(
                        Locale.ROOT,
                        "%-22s %8.2f %9.3f %8s  %s%n",
                        p.id(),
                        p.megabitsPerSecond(),
                        p.gigabytesPerHour(),
                        Double.isNaN(p.psnrDb()) ? "-" : String.format(Locale.ROOT, "%.2f", p.psnrDb()),
                        p.label());
            }
            return 0;
        }
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "hospitals", hospitals);
        put(params, "ors", ors);
        put(params, "surgeriesPerDay", surgeries);
        put(params, "minutes", minutes);
        put(params, "hoursPerDay", hoursPerDay);
        put(params, "preset", preset);
        put(params, "rate", rate);
        put(params, "years", years);
        put(params, "copies", copies);
        put(params, "horizon", horizon);
        if (encrypted) {
            params.put("encrypted", "true");
        }
        StorageQuestion q = StorageQuestion.parse(params, table);
        print(q);
        if (params.isEmpty()) {
            printPaperCheck();
        }
        return 0;
    }

    private static void put(Map<String, String> params, String key, String value) {
        if (value != null) {
            params.put(key, value);
        }
    }

    private static void print(StorageQuestion q) {
        StorageModel m = q.model();
        System.out.printf(
                Locale.ROOT,
                "Inputs: %d hospital(s) x %d ORs x %.2f surgeries/day x %.1f min, %s (%.3f Mb/s), kept %.2f years,"
                        + " %d cop%s%s; a year is %.0f days%n%n",
                m.hospitals(),
                m.orsPerHospital(),
                m.surgeriesPerOrPerDay(),
                m.minutesPerSurgery(),
                q.preset().label(),
                m.megabitsPerSecond(),
                m.retentionYears(),
                m.copies(),
                m.copies() == 1 ? "y" : "ies",
                m.encrypted() ? ", encrypted" : "",
                StorageModel.DAYS_PER_YEAR);
        String row = "%-40s %14s %14s%n";
        System.out.printf(row, "quantity", "decimal", "binary");
        line(row, "one recording, as stored", m.storedBytesPerSurgery());
        System.out.printf(
                Locale.ROOT,
                row,
                "recorded hours per hospital per day",
                String.format(Locale.ROOT, "%.1f h", m.recordedHoursPerHospitalPerDay()),
                "");
        line(row, "per hospital per day", m.dailyBytesPerHospital());
        line(row, "per hospital per year", m.yearlyBytesPerHospital());
        line(row, "all hospitals per year", m.yearlyBytes());
        line(row, "stored at the plateau (year x retention)", m.plateauBytes());
        System.out.printf("%nStored volume over time (grows until the first recordings expire, then flat):%n");
        System.out.printf("%8s %14s%n", "year", "stored");
        for (StorageModel.Point p : m.curve(q.horizonYears())) {
            System.out.printf(Locale.ROOT, "%8.2f %14s%n", p.years(), Units.decimal(p.bytes()));
        }
    }

    private static void line(String format, String what, double bytes) {
        System.out.printf(format, what, Units.decimal(bytes), Units.binary(bytes));
    }

    private static void printPaperCheck() {
        System.out.printf("%nThe paper's figures, recomputed from its own inputs:%n");
        for (PaperCheck.Row r : PaperCheck.rows()) {
            System.out.printf(
                    "%n%-38s paper: %-12s %s%n    recomputed: %s%n    %s%n",
                    r.figure(), r.paper(), r.agrees() ? "follows" : "DOES NOT FOLLOW", r.recomputed(), r.why());
        }
    }
}
