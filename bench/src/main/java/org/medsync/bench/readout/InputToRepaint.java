package org.medsync.bench.readout;

import static org.medsync.bench.readout.Stats.pct;

import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.medsync.bench.plot.Plot;

/**
 * Driver input to follower repaint on loopback. The driver presses ArrowDown / ArrowUp (one slice each),
 * 100-150 ms apart so that each press is a VIEW of its own. Input time: the key event's timestamp in the
 * driver's page; repaint time: the follower's Cornerstone IMAGE_RENDERED that first drew the image of the
 * VIEW carrying that press's sequence number (the session's diagnostics trace, web/README.md). Every time is
 * performance.timeOrigin + performance.now() of its own page; all pages run in one browser on one host, so
 * that is one clock, which {@link #clockCheck} verifies before measuring.
 */
final class InputToRepaint {
    private static final int WARM_UP = 20;
    private static final int MEASURED = 200;
    private static final String TRACE = "() => window.__medsyncReadout.diagnostics.views"
            + ".map((v) => [v.seq, v.imageIndex, v.sentAt ?? -1, v.appliedAt ?? -1, v.renderedAt ?? -1])";

    private InputToRepaint() {}

    static List<String> run(Readout r, Path out) throws Exception {
        Page driver = r.driver();
        List<Page> followers = r.followers();
        List<String> notes = new ArrayList<>();
        notes.add(clockCheck(driver, followers));
        driver.evaluate(
                "() => { window.__benchInputs = []; window.addEventListener('keydown', (e) => window.__benchInputs.push("
                        + "[performance.timeOrigin + e.timeStamp, performance.timeOrigin + performance.now()]), true); document.activeElement?.blur(); }");
        for (Page f : followers) {
            f.evaluate(
                    "() => { window.__benchRenders = 0; document.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => window.__benchRenders++, true); }");
        }
        CDPSession profile = Pages.startProfile(followers.getFirst());
        int total = WARM_UP + MEASURED;
        int[] image = new int[total];
        int index = Pages.attribute(driver, "data-image-index");
        for (int i = 0; i < total; i++) {
            boolean down = i < total / 2;
            driver.keyboard().press(down ? "ArrowDown" : "ArrowUp");
            index += down ? 1 : -1;
            image[i] = index;
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(51));
        }
        Thread.sleep(500);
        Pages.stopProfile(profile, "latency-follower1.cpuprofile");

        List<double[]> inputs = Stats.rows(driver.evaluate("() => window.__benchInputs"));
        if (inputs.size() != total) {
            throw new IllegalStateException("the driver's page saw " + inputs.size() + " key presses of " + total);
        }
        List<double[]> sent = Stats.rows(driver.evaluate(TRACE));
        List<List<double[]>> applied = new ArrayList<>();
        double renders = 0;
        for (Page f : followers) {
            applied.add(Stats.rows(f.evaluate(TRACE)));
            renders += ((Number) f.evaluate("() => window.__benchRenders")).doubleValue();
        }

        List<String> csv = new ArrayList<>(
                List.of(
                        "input,image,seq,handled_ms,sent_ms,driver_rendered_ms,f1_applied_ms,f1_rendered_ms,f2_applied_ms,f2_rendered_ms"));
        List<Double> repaint = new ArrayList<>();
        List<List<Double>> perFollower = List.of(new ArrayList<>(), new ArrayList<>());
        List<Double> own = new ArrayList<>();
        List<Double> beyondOwn = new ArrayList<>();
        List<Double> toSend = new ArrayList<>();
        List<Double> toApply = new ArrayList<>();
        List<Double> toRender = new ArrayList<>();
        int missing = 0;
        for (int i = WARM_UP; i < total; i++) {
            double input = inputs.get(i)[0];
            double handled = inputs.get(i)[1];
            int img = image[i];
            // The trace entries are [seq, imageIndex, sentAt, appliedAt, renderedAt], -1 for none.
            double[] s = sent.stream()
                    .filter(v -> v[2] >= handled - 1 && v[1] == img)
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                missing += followers.size();
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%d,%d,%d,%.2f,%.2f,%s",
                    i - WARM_UP,
                    img,
                    (long) s[0],
                    handled - input,
                    s[2] - input,
                    s[4] < 0 ? "" : String.format(Locale.ROOT, "%.2f", s[4] - input)));
            toSend.add(s[2] - input);
            if (s[4] >= 0) {
                own.add(s[4] - input);
            }
            for (int k = 0; k < followers.size(); k++) {
                double[] a = applied.get(k).stream()
                        .filter(v -> v[0] >= s[0] && v[1] == img && v[3] >= 0)
                        .findFirst()
                        .orElse(null);
                if (a == null || a[4] < 0) {
                    missing++;
                    row.append(",,");
                    continue;
                }
                row.append(String.format(Locale.ROOT, ",%.2f,%.2f", a[3] - input, a[4] - input));
                repaint.add(a[4] - input);
                perFollower.get(k).add(a[4] - input);
                toApply.add(a[3] - s[2]);
                toRender.add(a[4] - a[3]);
                if (s[4] >= 0) {
                    beyondOwn.add(a[4] - s[4]);
                }
            }
            csv.add(row.toString());
        }
        Files.write(out.resolve("latency.csv"), csv);
        Plot.dots(
                out.resolve("latency.png"),
                "Driver key press to repaint (ms); targets 16.7 (p50) and 50 (p99) for followers",
                List.of("resident 1", "resident 2", "driver's own"),
                List.of(perFollower.get(0), perFollower.get(1), own),
                16.7,
                50);

        notes.addFirst(String.format(
                Locale.ROOT,
                "readout latency: driver input to follower repaint p50 %.1f ms (target < 16.7), p99 %.1f ms (target < 50),"
                        + " max %.1f ms; %d repaints of %d inputs x %d followers, %d missing",
                pct(repaint, 50),
                pct(repaint, 99),
                pct(repaint, 100),
                repaint.size(),
                MEASURED,
                followers.size(),
                missing));
        for (int k = 0; k < followers.size(); k++) {
            notes.add(String.format(
                    Locale.ROOT,
                    "  follower %d: p50 %.1f ms, p99 %.1f ms",
                    k + 1,
                    pct(perFollower.get(k), 50),
                    pct(perFollower.get(k), 99)));
        }
        notes.add(String.format(
                Locale.ROOT,
                "  p50 / p99: input to VIEW sent %.1f / %.1f ms; sent to applied by the follower %.1f / %.1f ms;"
                        + " applied to IMAGE_RENDERED %.1f / %.1f ms",
                pct(toSend, 50),
                pct(toSend, 99),
                pct(toApply, 50),
                pct(toApply, 99),
                pct(toRender, 50),
                pct(toRender, 99)));
        notes.add(String.format(
                Locale.ROOT,
                "  the driver's own repaint p50 %.1f ms, p99 %.1f ms; follower repaint after the driver's own p50 %.1f ms, p99 %.1f ms;"
                        + " followers drew %.2f frames per press",
                pct(own, 50),
                pct(own, 99),
                pct(beyondOwn, 50),
                pct(beyondOwn, 99),
                renders / followers.size() / total));
        return notes;
    }

    /**
     * The pages share one clock if each follower's reading lies between two readings of the driver taken just
     * before and after it (Playwright runs the three one after another).
     */
    private static String clockCheck(Page driver, List<Page> followers) {
        double outside = 0;
        double widest = 0;
        for (int i = 0; i < 20; i++) {
            for (Page f : followers) {
                double before = Pages.now(driver);
                double reading = Pages.now(f);
                double after = Pages.now(driver);
                widest = Math.max(widest, after - before);
                outside = Math.max(outside, Math.max(before - reading, reading - after));
            }
        }
        if (outside > 1) {
            throw new IllegalStateException(
                    "the pages do not share a clock: a follower read " + outside + " ms outside the driver's bracket");
        }
        return String.format(
                Locale.ROOT,
                "  clock check: 40 follower readings inside the driver's before/after readings (widest bracket %.1f ms,"
                        + " worst outside %.1f ms)",
                widest,
                Math.max(0, outside));
    }
}
