package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.medsync.server.readout.ReadoutPages.assertInSync;
import static org.medsync.server.readout.ReadoutPages.createReadout;
import static org.medsync.server.readout.ReadoutPages.waitFor;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;

/**
 * A 512-slice series (the synthetic CT head at 64 x 64, so the test stays cheap) scrolled by the driver at 30 Hz
 * with the arrow key, then back with the mouse wheel: the driver takes every input and keeps up with it, and once the
 * scroll stops the follower never shows a slice more than 2 frames behind the driver's, then equals it pixel for
 * pixel.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReadoutScrollBrowserTest {
    private static final int SLICES = 512;
    private static final int INPUTS = 240;
    private static final int WHEELS = 120;
    private static TestServer server;
    private static Chromium chromium;
    private static ReadoutPages pages;
    private static String study;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        server = TestServer.start(true, new Properties());
        var options = new SyntheticCtHead.Options(SLICES, 64, 512L);
        dir = Files.createTempDirectory("medsync-scroll-");
        SyntheticCtHead.write(dir, options);
        var report = server.server().library().importer().importDirectory(dir);
        assertEquals(SLICES, report.imported(), "the 512-slice series is in the library: " + report.rejected());
        study = SyntheticCtHead.studyInstanceUid(options);
        chromium = Chromium.launch();
        // auto: the CPU path on this GPU-less host, the stations issue 17 item 3 is about.
        pages = new ReadoutPages(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Records every slice the page draws: [time, image index] on the clock all pages of the browser share. */
    private static final String RECORD_DRAWS = "() => { const v = document.querySelector('[data-testid=viewport]');"
            + " window.__draws = []; new MutationObserver(() => window.__draws.push([performance.timeOrigin + performance.now(),"
            + " Number(v.getAttribute('data-image-index'))])).observe(v, {attributes: true, attributeFilter: ['data-image-index']}); }";

    /** Records when each wheel event reached the viewport, on the same clock. */
    private static final String RECORD_WHEELS =
            "() => { window.__wheels = []; document.querySelector('[data-testid=viewport]')"
                    + ".addEventListener('wheel', () => window.__wheels.push(performance.timeOrigin + performance.now()), true); }";

    /**
     * Scrolls down by {@code n} inputs at 30 Hz from a timer in the page (Playwright's round trips could not keep a
     * 33 ms beat on two busy cores): ArrowDown on the document, as the viewer's key handler takes it. Resolves with
     * each input's time.
     */
    private static final String SCROLL_30HZ =
            "n => new Promise((resolve) => { const times = []; const t0 = performance.now(); let i = 0;"
                    + " const step = () => { while (i < n && performance.now() >= t0 + i * 1000 / 30) {"
                    + "   times.push(performance.timeOrigin + performance.now());"
                    + "   document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true, cancelable: true}));"
                    + "   i++; }"
                    + " if (i < n) setTimeout(step, 4); else resolve(times); }; step(); })";

    @Test
    void driverScrolls512SlicesAt30HzByKeysThenWheel_followerNeverMoreThanTwoFramesBehindOnceItStops() {
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts);
                BrowserContext cr = b.newContext(opts)) {
            Page att = pages.open(ca, "attending");
            String readoutId = createReadout(att, List.of(study));
            Page res = pages.open(cr, "resident");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            List<Page> both = List.of(att, res);
            ReadoutPages.waitAllReady(both);
            att.click("[data-testid=floor-request]");
            ReadoutPages.waitForDriver(both, ReadoutPages.peerId(att));
            for (Page p : both) {
                assertEquals(
                        "cpu",
                        p.getAttribute("[data-testid=viewport]", "data-rendering"),
                        "SwiftShader here: auto draws on the CPU path");
                waitFor(
                        p,
                        "n => { const b = document.querySelector('[data-testid=series-progress]');"
                                + " return b.getAttribute('data-complete') === 'true' && Number(b.getAttribute('data-loaded')) === n; }",
                        SLICES);
            }
            assertInSync(att, List.of(res), "start");
            int start = Integer.parseInt(att.getAttribute("[data-testid=viewport]", "data-image-index"));
            assertEquals(0, start, "the series opens at its first slice");
            att.evaluate("() => document.activeElement?.blur()");
            for (Page p : both) {
                p.evaluate(RECORD_DRAWS);
            }

            List<Double> keys = numbers(att.evaluate(SCROLL_30HZ, INPUTS));
            int last = start + INPUTS;
            assertScrollFollowed(att, res, keys, start, last, "keys");

            // The wheel: real input events (Playwright's mouse over the viewport, as a user's wheel reaches
            // Cornerstone's StackScrollTool), one notch a slice, back up at 30 Hz. Each wheel is a round trip to the
            // browser, so the beat is kept from here; the page records when each one arrived.
            for (Page p : both) {
                p.evaluate(RECORD_DRAWS);
            }
            att.evaluate(RECORD_WHEELS);
            var box = att.locator("[data-testid=viewport]").boundingBox();
            att.mouse().move(box.x + box.width / 2, box.y + box.height / 2);
            long t0 = System.nanoTime();
            for (int i = 0; i < WHEELS; i++) {
                long due = t0 + Math.round(i * 1e9 / 30);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    att.waitForTimeout(wait / 1e6);
                }
                att.mouse().wheel(0, -100);
            }
            List<Double> wheels = numbers(att.evaluate("() => window.__wheels"));
            assertEquals(WHEELS, wheels.size(), "every wheel reached the viewport");
            assertScrollFollowed(att, res, wheels, last, last - WHEELS, "wheel");
        }
    }

    /**
     * The driver moved one slice an input from {@code start} to {@code last}, kept up with its inputs, and once it
     * stopped the follower never showed a slice more than 2 behind, then equalled it pixel for pixel. The pages
     * recorded their draws since just before the inputs (RECORD_DRAWS).
     */
    private static void assertScrollFollowed(Page att, Page res, List<Double> inputs, int start, int last, String how) {
        int step = Integer.signum(last - start);
        att.waitForTimeout(1000);
        assertEquals(
                String.valueOf(last),
                att.getAttribute("[data-testid=viewport]", "data-image-index"),
                how + ": the driver took every input");
        waitFor(
                att,
                "i => document.querySelector('[data-testid=viewport]').getAttribute('data-image-index') === String(i)",
                last);
        waitFor(
                res,
                "i => document.querySelector('[data-testid=viewport]').getAttribute('data-image-index') === String(i)",
                last);
        att.waitForTimeout(500);
        List<double[]> driverDraws = rows(att.evaluate("() => window.__draws"));
        List<double[]> followerDraws = rows(res.evaluate("() => window.__draws"));

        // The driver keeps up: at each input, what it shows is at most 2 inputs behind (one frame to draw, one
        // of scheduling slack); it drew its last slice within 8 input intervals of the last input.
        double interval = 1000.0 / 30;
        int behind = 0;
        int worst = 0;
        for (int i = 1; i < inputs.size(); i++) {
            int drawn = shownAt(driverDraws, inputs.get(i));
            int shown = drawn < 0 ? start : drawn; // nothing drawn since the inputs began: still the start slice
            int lag = step * (start + step * i - shown);
            worst = Math.max(worst, lag);
            if (lag > 2) {
                behind++;
            }
        }
        double driverLast = firstDrawOf(driverDraws, last);
        double driverSettle = driverLast - inputs.getLast();
        double followerLast = firstDrawOf(followerDraws, last);
        System.out.printf(
                "512-slice scroll by %s: %d inputs in %.0f ms; driver more than 2 behind its input at %d inputs (worst %d);"
                        + " driver drew the last slice %.1f ms after the last input, the follower %.1f ms after the driver%n",
                how,
                inputs.size(),
                inputs.getLast() - inputs.getFirst(),
                behind,
                worst,
                driverSettle,
                followerLast - driverLast);
        assertTrue(
                inputs.getLast() - inputs.getFirst() < (inputs.size() - 1) * interval * 1.2,
                how + ": the 30 Hz beat was held");
        // Bounds for this host shared with other builds (load 30 measured 32 of 240 inputs more than 2 behind,
        // worst 12, and the last slice 101 ms after the last input): it keeps up most of the time and never
        // falls behind for good.
        assertTrue(
                behind <= inputs.size() / 4,
                how + ": the driver fell more than 2 slices behind its input at " + behind + " inputs");
        assertTrue(
                driverSettle < 8 * interval,
                how + ": the driver drew its last slice " + driverSettle + " ms after the input");

        // Once the driver's scroll has stopped (its last slice drawn), the follower shows nothing older than 2
        // slices behind it, and ends on it.
        int followerAtStop = shownAt(followerDraws, driverLast);
        assertTrue(
                followerAtStop >= 0 && step * (last - followerAtStop) <= 2,
                how + ": when the driver drew slice " + last + " the follower still showed " + followerAtStop);
        for (double[] d : followerDraws) {
            if (d[0] > driverLast) {
                assertTrue(
                        step * (last - (int) d[1]) <= 2,
                        how + ": after the stop the follower drew slice " + (int) d[1]);
            }
        }
        assertInSync(att, List.of(res), "after the scroll by " + how);
    }

    /** The slice a page showed at {@code time}: its latest draw before it. */
    private static int shownAt(List<double[]> draws, double time) {
        int shown = -1;
        for (double[] d : draws) {
            if (d[0] <= time) {
                shown = (int) d[1];
            }
        }
        return shown;
    }

    private static double firstDrawOf(List<double[]> draws, int index) {
        return draws.stream()
                .filter(d -> d[1] == index)
                .mapToDouble(d -> d[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("slice " + index + " was never drawn"));
    }

    private static List<Double> numbers(Object o) {
        List<Double> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add(((Number) x).doubleValue());
        }
        return out;
    }

    private static List<double[]> rows(Object o) {
        List<double[]> out = new ArrayList<>();
        for (Object r : (List<?>) o) {
            List<?> row = (List<?>) r;
            out.add(new double[] {((Number) row.get(0)).doubleValue(), ((Number) row.get(1)).doubleValue()});
        }
        return out;
    }
}
