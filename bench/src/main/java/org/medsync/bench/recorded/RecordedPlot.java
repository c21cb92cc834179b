package org.medsync.bench.recorded;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medsync.bench.lag.LagPlot;
import org.medsync.bench.plot.Plot;

/**
 * Draws the plots of docs/benchmarks.md from the numbers the document records, with the benchmarks' own chart code,
 * so that a reader sees them without running anything: each {@code docs/img/NAME.csv} becomes {@code NAME.png}
 * next to it. The CSV starts with settings as {@code # key: value} lines, then a header and one row a value:
 *
 * <pre>
 * # title: Import rate (instances/s)        always
 * # note: run of ..., scripts/bench import  always: which run and which command made the numbers
 * # chart: bars | lines | table             table: numbers only, no plot
 * # target: 500                             bars, optional: a dashed target line
 * # x: participants                         lines: axis labels, and log: true for a logarithmic y axis
 * # y: kbps
 * # log: true
 * label,value                               bars
 * series,color,dashed,x,y                   lines: color as rrggbb, dashed true or false
 * </pre>
 *
 * Usage: {@code RecordedPlot docs/img/*.csv} (scripts/bench plots).
 */
public final class RecordedPlot {
    private static final Set<String> KEYS = Set.of("title", "note", "chart", "target", "x", "y", "log");

    private RecordedPlot() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: RecordedPlot FILE.csv...");
        }
        for (String a : args) {
            Path png = draw(Path.of(a));
            if (png == null) {
                System.out.println("skipped " + a + " (a table, not a plot)");
                continue;
            }
            System.out.println("wrote " + png + " (" + Files.size(png) / 1024 + " KiB)");
        }
    }

    /** Draws {@code csv} into the PNG of the same name; returns that PNG, or null for a {@code table}. */
    public static Path draw(Path csv) throws IOException {
        String name = csv.getFileName().toString();
        if (!name.endsWith(".csv")) {
            throw new IllegalArgumentException(csv + ": not a .csv file");
        }
        Path png = csv.resolveSibling(name.substring(0, name.length() - 4) + ".png");
        Map<String, String> settings = new HashMap<>();
        List<String[]> rows = new ArrayList<>();
        String header = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                int colon = line.indexOf(':');
                String key = colon < 0 ? "" : line.substring(1, colon).strip();
                if (!KEYS.contains(key) || header != null) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": expected a '# key: value' setting"
                            + " before the header, one of " + KEYS);
                }
                settings.put(key, line.substring(colon + 1).strip());
            } else if (header == null) {
                header = line.strip();
            } else {
                rows.add(line.split(",", -1));
            }
        }
        String title = required(settings, "title", csv);
        String note = required(settings, "note", csv);
        switch (required(settings, "chart", csv)) {
            case "bars" -> {
                expectHeader(csv, header, "label,value");
                List<String> labels = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (String[] r : rows) {
                    columns(csv, r, 2);
                    labels.add(r[0]);
                    values.add(number(csv, r[1]));
                }
                String target = settings.get("target");
                Plot.bars(png, title, note, labels, values, target == null ? Double.NaN : number(csv, target));
            }
            case "lines" -> {
                expectHeader(csv, header, "series,color,dashed,x,y");
                Map<String, List<double[]>> points = new LinkedHashMap<>();
                Map<String, Color> colors = new HashMap<>();
                Map<String, Boolean> dashed = new HashMap<>();
                for (String[] r : rows) {
                    columns(csv, r, 5);
                    points.computeIfAbsent(r[0], k -> new ArrayList<>())
                            .add(new double[] {number(csv, r[3]), number(csv, r[4])});
                    colors.putIfAbsent(r[0], new Color(Integer.parseInt(r[1], 16)));
                    dashed.putIfAbsent(r[0], Boolean.parseBoolean(r[2]));
                }
                List<LagPlot.Series> series = new ArrayList<>();
                points.forEach((s, p) -> series.add(new LagPlot.Series(s, colors.get(s), dashed.get(s), p)));
                LagPlot.lines(
                        png,
                        title,
                        note,
                        required(settings, "x", csv),
                        required(settings, "y", csv),
                        series,
                        Boolean.parseBoolean(settings.getOrDefault("log", "false")));
            }
            // Tables (e.g. archive-rate-quality.csv, which the archive's storage model reads) share the format.
            case "table" -> {
                return null;
            }
            default -> throw new IllegalArgumentException(csv + ": chart must be bars, lines or table");
        }
        return png;
    }

    private static String required(Map<String, String> settings, String key, Path csv) {
        String v = settings.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(csv + ": no '# " + key + ":' setting");
        }
        return v;
    }

    private static void expectHeader(Path csv, String header, String expected) {
        if (!expected.equals(header)) {
            throw new IllegalArgumentException(csv + ": header must be '" + expected + "', not '" + header + "'");
        }
    }

    private static void columns(Path csv, String[] row, int n) {
        if (row.length != n) {
            throw new IllegalArgumentException(
                    csv + ": a row of " + row.length + " columns, expected " + n + ": " + String.join(",", row));
        }
    }

    private static double number(Path csv, String s) {
        try {
            double v = Double.parseDouble(s.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException("not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(csv + ": '" + s + "' is not a number");
        }
    }
}
