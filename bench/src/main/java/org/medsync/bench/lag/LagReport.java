package org.medsync.bench.lag;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medsync.bench.lag.LagBenchmark.Method;
import org.medsync.bench.lag.LagBenchmark.Options;
import org.medsync.bench.lag.LagBenchmark.Row;

/**
 * Writes the lag benchmark's results: lag-updates.csv (one row per update per method per network setting),
 * lag-summary.csv (percentiles and MSE per setting and method, baseline over ours), the plots, and the
 * targets of issue 5 with what was measured.
 */
final class LagReport {
    /** Percentiles of one method at one setting; an update the follower never showed counts as an infinite lag. */
    record Point(
            Method method,
            int delayMs,
            int lossPercent,
            int updates,
            int shown,
            double p50,
            double p95,
            double p99,
            double mseFirst,
            double mseSettled,
            double mseMax,
            double driverRenderP50,
            double displayP50,
            double displayP95,
            double displayP99) {}

    private static final Color[] LOSS_COLORS = {
        new Color(0x1f77b4),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0xd62728),
        new Color(0x9467bd),
        new Color(0x8c564b)
    };

    private LagReport() {}

    static List<String> write(Path out, Options options, List<Row> rows, List<String> notes) throws IOException {
        List<String> updates = new ArrayList<>(
                List.of("method,delay_ms,loss_percent,update,slice,driver_render_ms,lag_ms,display_to_display_ms,"
                        + "mse_first_frame,mse_last_frame,shown"));
        for (Row r : rows) {
            updates.add(String.format(
                    Locale.ROOT,
                    "%s,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.4f,%.4f,%d",
                    name(r.method()),
                    r.delayMs(),
                    r.lossPercent(),
                    r.update(),
                    r.slice(),
                    r.driverShown() - r.input(),
                    r.lag(),
                    r.displayLag(),
                    r.mseFirst(),
                    r.mseSettled(),
                    Double.isNaN(r.followerShown()) ? 0 : 1));
        }
        Files.write(out.resolve("lag-updates.csv"), updates);

        Map<String, Point> points = new LinkedHashMap<>();
        for (Method m : options.methods()) {
            for (int d : options.delays()) {
                for (int l : options.losses()) {
                    List<Row> at = rows.stream()
                            .filter(r -> r.method() == m && r.delayMs() == d && r.lossPercent() == l)
                            .toList();
                    if (!at.isEmpty()) {
                        points.put(key(m, d, l), point(m, d, l, at));
                    }
                }
            }
        }
        List<String> summary =
                new ArrayList<>(List.of("method,delay_ms,loss_percent,updates,shown,lag_p50_ms,lag_p95_ms,lag_p99_ms,"
                        + "mse_first_frame_mean,mse_last_frame_mean,mse_max,driver_render_p50_ms,display_to_display_p50_ms,display_to_display_p95_ms,"
                        + "display_to_display_p99_ms,baseline_over_ours_p50,baseline_over_ours_p95"));
        for (Point p : points.values()) {
            Point ours = points.get(key(Method.STATE_SYNC, p.delayMs(), p.lossPercent()));
            boolean ratio = p.method() == Method.PIXEL_STREAM && ours != null;
            summary.add(String.format(
                    Locale.ROOT,
                    "%s,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f,%.1f,%.1f,%.1f,%.1f,%s,%s",
                    name(p.method()),
                    p.delayMs(),
                    p.lossPercent(),
                    p.updates(),
                    p.shown(),
                    p.p50(),
                    p.p95(),
                    p.p99(),
                    p.mseFirst(),
                    p.mseSettled(),
                    p.mseMax(),
                    p.driverRenderP50(),
                    p.displayP50(),
                    p.displayP95(),
                    p.displayP99(),
                    ratio ? String.format(Locale.ROOT, "%.2f", p.p50() / ours.p50()) : "",
                    ratio ? String.format(Locale.ROOT, "%.2f", p.p95() / ours.p95()) : ""));
        }
        Files.write(out.resolve("lag-summary.csv"), summary);
        plots(out, options, points);
        List<String> lines = new ArrayList<>(targets(options, points));
        notes.forEach(n -> lines.add("lag: " + n));
        Files.write(out.resolve("lag-targets.txt"), lines);
        return lines;
    }

    private static Point point(Method m, int d, int l, List<Row> at) {
        List<Double> lags = at.stream()
                .map(r -> Double.isNaN(r.followerShown()) ? Double.POSITIVE_INFINITY : r.lag())
                .sorted()
                .toList();
        List<Double> display = at.stream()
                .map(r -> Double.isNaN(r.followerShown()) || Double.isNaN(r.driverShown())
                        ? Double.POSITIVE_INFINITY
                        : r.displayLag())
                .sorted()
                .toList();
        List<Double> first =
                at.stream().map(Row::mseFirst).filter(x -> !x.isNaN()).toList();
        List<Double> settled =
                at.stream().map(Row::mseSettled).filter(x -> !x.isNaN()).toList();
        List<Double> render = at.stream()
                .map(r -> r.driverShown() - r.input())
                .filter(x -> !x.isNaN())
                .sorted()
                .toList();
        int shown =
                (int) at.stream().filter(r -> !Double.isNaN(r.followerShown())).count();
        return new Point(
                m,
                d,
                l,
                at.size(),
                shown,
                LagStats.percentile(lags, 50),
                LagStats.percentile(lags, 95),
                LagStats.percentile(lags, 99),
                LagStats.mean(first),
                LagStats.mean(settled),
                first.stream().max(Comparator.naturalOrder()).orElse(Double.NaN),
                LagStats.percentile(render, 50),
                LagStats.percentile(display, 50),
                LagStats.percentile(display, 95),
                LagStats.percentile(display, 99));
    }

    private static List<String> targets(Options options, Map<String, Point> points) {
        List<String> out = new ArrayList<>();
        Point zero = points.get(key(Method.STATE_SYNC, 0, 0));
        if (zero != null) {
            out.add(String.format(
                    Locale.ROOT,
                    "lag: no impairment, state sync p50 %.1f ms (target < 20) %s, p99 %.1f ms (target < 50) %s"
                            + " (driver input to follower display; display to display p50 %.1f, p99 %.1f ms)",
                    zero.p50(),
                    ok(zero.p50() < 20),
                    zero.p99(),
                    ok(zero.p99() < 50),
                    zero.displayP50(),
                    zero.displayP99()));
        }
        for (int d : options.delays()) {
            Point p = points.get(key(Method.STATE_SYNC, d, 5));
            if (p != null) {
                out.add(String.format(
                        Locale.ROOT,
                        "lag: delay %d ms, loss 5 %%, state sync p95 %.1f ms (target < %d) %s",
                        d,
                        p.p95(),
                        d + 25,
                        ok(p.p95() < d + 25)));
            }
        }
        int pairs = 0;
        int atLeast3 = 0;
        double minRatio = Double.POSITIVE_INFINITY;
        String worst = "";
        double mseMax = 0;
        boolean mseKnown = true;
        for (Point p : points.values()) {
            if (p.method() == Method.STATE_SYNC) {
                mseMax = Math.max(mseMax, p.mseMax());
                mseKnown &= p.shown() > 0 && !Double.isNaN(p.mseMax());
                continue;
            }
            Point ours = points.get(key(Method.STATE_SYNC, p.delayMs(), p.lossPercent()));
            if (ours == null) {
                continue;
            }
            pairs++;
            double r = p.p50() / ours.p50();
            if (r >= 3) {
                atLeast3++;
            }
            if (r < minRatio) {
                minRatio = r;
                worst = "delay " + p.delayMs() + " ms, loss " + p.lossPercent() + " %";
            }
        }
        if (pairs > 0) {
            out.add(String.format(
                    Locale.ROOT,
                    "lag: pixel stream over state sync (p50): at least 3x at %d of %d points %s; smallest %.2fx (%s)",
                    atLeast3,
                    pairs,
                    ok(atLeast3 == pairs),
                    minRatio,
                    worst));
        }
        if (options.methods().contains(Method.STATE_SYNC)) {
            out.add(String.format(
                    Locale.ROOT,
                    "lag: state sync follower MSE, largest over all updates: %s (target exactly 0) %s",
                    mseKnown ? String.format(Locale.ROOT, "%.4f", mseMax) : "not measured",
                    ok(mseKnown && mseMax == 0)));
        }
        return out;
    }

    private static void plots(Path out, Options options, Map<String, Point> points) throws IOException {
        for (String stat : List.of("p50", "p95")) {
            List<LagPlot.Series> series = new ArrayList<>();
            for (Method m : options.methods()) {
                for (int li = 0; li < options.losses().size(); li++) {
                    int l = options.losses().get(li);
                    List<double[]> xy = new ArrayList<>();
                    for (int d : options.delays()) {
                        Point p = points.get(key(m, d, l));
                        if (p != null) {
                            xy.add(new double[] {d, stat.equals("p50") ? p.p50() : p.p95()});
                        }
                    }
                    series.add(new LagPlot.Series(
                            label(m) + ", loss " + l + " %",
                            LOSS_COLORS[li % LOSS_COLORS.length],
                            m == Method.PIXEL_STREAM,
                            xy));
                }
            }
            if (stat.equals("p95") && options.losses().contains(5)) {
                series.add(new LagPlot.Series(
                        "target (loss 5 %): d + 25",
                        Color.BLACK,
                        true,
                        options.delays().stream()
                                .map(d -> new double[] {d, d + 25.0})
                                .toList()));
            }
            LagPlot.lines(
                    out.resolve("lag-" + stat + "-vs-delay.png"),
                    "Display lag " + stat + " vs added one-way delay" + " (solid: state sync, dashed: pixel stream)",
                    "added one-way delay (ms)",
                    "lag " + stat + " (ms)",
                    series,
                    true);
        }
        List<LagPlot.Series> byLoss = new ArrayList<>();
        List<LagPlot.Series> mse = new ArrayList<>();
        for (Method m : options.methods()) {
            for (int di = 0; di < options.delays().size(); di++) {
                int d = options.delays().get(di);
                List<double[]> lag = new ArrayList<>();
                List<double[]> err = new ArrayList<>();
                for (int l : options.losses()) {
                    Point p = points.get(key(m, d, l));
                    if (p != null) {
                        lag.add(new double[] {l, p.p50()});
                        err.add(new double[] {l, p.mseFirst()});
                    }
                }
                Color c = LOSS_COLORS[di % LOSS_COLORS.length];
                byLoss.add(new LagPlot.Series(label(m) + ", delay " + d + " ms", c, m == Method.PIXEL_STREAM, lag));
                mse.add(new LagPlot.Series(label(m) + ", delay " + d + " ms", c, m == Method.PIXEL_STREAM, err));
            }
        }
        LagPlot.lines(
                out.resolve("lag-p50-vs-loss.png"),
                "Display lag p50 vs random loss (solid: state sync, dashed: pixel stream)",
                "loss (%)",
                "lag p50 (ms)",
                byLoss,
                true);
        LagPlot.lines(
                out.resolve("mse-vs-loss.png"),
                "Follower image MSE vs driver (grey levels, first frame shown; state sync is 0)",
                "loss (%)",
                "mean squared error",
                mse,
                false);
    }

    private static String key(Method m, int d, int l) {
        return m + "/" + d + "/" + l;
    }

    private static String name(Method m) {
        return m == Method.STATE_SYNC ? "state_sync" : "pixel_stream";
    }

    private static String label(Method m) {
        return m == Method.STATE_SYNC ? "state sync" : "pixel stream";
    }

    private static String ok(boolean pass) {
        return pass ? "[met]" : "[NOT met]";
    }
}
