package org.medsync.bench.readout;

import static org.medsync.bench.readout.Stats.pct;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medsync.bench.plot.Plot;

/**
 * Late join to in sync. The driver shows a non-default view (image 72 of 144, window 40/80, zoomed, panned);
 * a fourth participant in a fresh browser context (nothing cached), logged in with the worklist loaded and
 * idle, enters the readout. From the moment it starts entering (location.hash = #/readout/{id}) to its
 * first Cornerstone render whose canvas equals the driver's; also from WELCOME received to that render.
 */
final class LateJoin {
    private static final int RUNS = 7;
    private static final String RECORD_RENDERS =
            "() => { window.__benchRenders = []; const hash = " + Pages.CANVAS_HASH + ";"
                    + " document.addEventListener('CORNERSTONE_IMAGE_RENDERED', (e) => { const at = performance.timeOrigin + performance.now();"
                    + " const c = e.target.querySelector?.('canvas'); if (c) window.__benchRenders.push([at, hash(c)]); }, true); }";
    /** Resource Timing: when the series metadata and the first frame had arrived, ms after t0. */
    private static final String LOADS = "(t0) => { const r = performance.getEntriesByType('resource')"
            + ".filter((e) => e.startTime + performance.timeOrigin >= t0); const end = (f) => Math.min(...r.filter(f).map((e) => e.responseEnd))"
            + " + performance.timeOrigin - t0; return [end((e) => e.name.endsWith('/metadata')), end((e) => e.name.includes('/frames/'))]; }";

    /** The page's join marks (web/README.md, "Readout"): [name without the prefix, ms after t0]. */
    private static final String MARKS =
            "(t0) => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('medsync.join.'))"
                    + ".map((m) => [m.name.slice('medsync.join.'.length), m.startTime + performance.timeOrigin - t0])";

    private LateJoin() {}

    static List<String> run(Readout r, Path out) throws Exception {
        Page driver = r.driver();
        Pages.showImage(driver, 71);
        driver.fill("[data-testid=wc-input]", "40");
        driver.press("[data-testid=wc-input]", "Enter");
        driver.fill("[data-testid=ww-input]", "80");
        driver.press("[data-testid=ww-input]", "Enter");
        driver.click("[data-testid=tool-zoom-in]");
        var box = driver.locator("[data-testid=viewport]").boundingBox();
        driver.keyboard().down("Shift");
        driver.mouse().move(box.x + 256, box.y + 256);
        driver.mouse().down();
        driver.mouse().move(box.x + 300, box.y + 280, new Mouse.MoveOptions().setSteps(5));
        driver.mouse().up();
        driver.keyboard().up("Shift");
        driver.mouse().move(box.x + 700, box.y + 700); // off the image: the telepointer hides
        String expected = Pages.assertInSync(driver, r.followers());

        List<String> csv = new ArrayList<>(
                List.of("run,enter_to_in_sync_ms,welcome_to_in_sync_ms,enter_to_welcome_ms,enter_to_metadata_ms,"
                        + "enter_to_first_frame_ms,enter_to_view_applied_ms,renders_until_in_sync"));
        List<Double> total = new ArrayList<>();
        List<Double> fromWelcome = new ArrayList<>();
        Map<String, List<Double>> marks = new LinkedHashMap<>();
        for (int run = 0; run <= RUNS; run++) {
            try (BrowserContext context = r.browser().newContext(r.contextOptions())) {
                Page late = Pages.logIn(context, r.http(), "resident3");
                late.waitForLoadState(LoadState.NETWORKIDLE); // the worklist has warmed the viewer's code up
                late.addStyleTag(new Page.AddStyleTagOptions().setContent(Pages.VIEWPORT_512));
                late.evaluate(RECORD_RENDERS);
                CDPSession profile = run == 1 ? Pages.startProfile(late) : null;
                double t0 = ((Number) late.evaluate(
                                "(id) => { const t = performance.timeOrigin + performance.now(); location.hash = '#/readout/' + id; return t; }",
                                r.id()))
                        .doubleValue();
                late.waitForFunction(
                        "(h) => window.__benchRenders.some((r) => r[1] === h)",
                        expected,
                        new Page.WaitForFunctionOptions().setTimeout(60_000));
                Pages.stopProfile(profile, "late-join-run1.cpuprofile");
                List<double[]> renders = ((List<?>) late.evaluate("() => window.__benchRenders"))
                        .stream()
                                .map(x -> new double[] {
                                    ((Number) ((List<?>) x).get(0)).doubleValue(),
                                    expected.equals(((List<?>) x).get(1)) ? 1 : 0
                                })
                                .toList();
                int n = 0;
                while (renders.get(n)[1] == 0) {
                    n++;
                }
                double synced = renders.get(n)[0];
                double welcome =
                        ((Number) late.evaluate("() => window.__medsyncReadout.diagnostics.welcomeAt")).doubleValue();
                double applied = ((Number)
                                late.evaluate(
                                        "() => window.__medsyncReadout.diagnostics.views.find((v) => v.appliedAt)?.appliedAt ?? NaN"))
                        .doubleValue();
                double[] loads = Stats.numbers(late.evaluate(LOADS, t0));
                if (run > 0) { // run 0 warms the server up
                    for (Object m : (List<?>) late.evaluate(MARKS, t0)) {
                        List<?> mark = (List<?>) m;
                        marks.computeIfAbsent((String) mark.get(0), k -> new ArrayList<>())
                                .add(((Number) mark.get(1)).doubleValue());
                    }
                    total.add(synced - t0);
                    fromWelcome.add(synced - welcome);
                    csv.add(String.format(
                            Locale.ROOT,
                            "%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d",
                            run,
                            synced - t0,
                            synced - welcome,
                            welcome - t0,
                            loads[0],
                            loads[1],
                            applied - t0,
                            n + 1));
                }
            }
            Pages.waitFor(driver, "() => document.querySelectorAll('[data-testid=roster-entry]').length === 3", null);
        }
        Files.write(out.resolve("late-join.csv"), csv);
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= total.size(); i++) {
            labels.add("run " + i);
        }
        Plot.bars(
                out.resolve("late-join.png"),
                "Late join: entering to first pixel-equal render (ms), target 300",
                labels,
                total,
                300);
        StringBuilder steps = new StringBuilder("  late join steps, median ms after entering:");
        marks.forEach((name, times) -> steps.append(String.format(Locale.ROOT, " %s %.0f;", name, pct(times, 50))));
        return List.of(
                String.format(
                        Locale.ROOT,
                        "readout late join: entering to in sync median %.0f ms, max %.0f ms (target < 300);"
                                + " WELCOME received to in sync median %.0f ms, max %.0f ms; %d runs",
                        pct(total, 50),
                        pct(total, 100),
                        pct(fromWelcome, 50),
                        pct(fromWelcome, 100),
                        total.size()),
                steps.toString());
    }
}
