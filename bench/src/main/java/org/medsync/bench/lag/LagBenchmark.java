package org.medsync.bench.lag;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.medsync.library.index.StudyQuery;
import org.medsync.server.TestServer;
import org.medsync.server.demo.DemoContent;

/**
 * The paper's Fig. 3: the driver of a readout advances one slice per interval; for every update, when does the
 * follower's display change, and how far is its image from the driver's? Once for our state sync (the readout's
 * data channel; each side renders its own copy of the study) and once for a pixel-streaming baseline (the
 * driver's viewport canvas as a WebRTC video track, what screen sharing does), under added one-way delay and
 * random loss from driver to follower (see {@link Impairment}). Lag is the follower's display time minus the
 * driver's input time (the paper's display-to-display lag is recorded too), all taken in the pages from the
 * host's one clock.
 */
public final class LagBenchmark {
    enum Method {
        STATE_SYNC,
        PIXEL_STREAM
    }

    private static final int WARMUP_UPDATES = 2;

    /** One update at one network setting: the times are epoch milliseconds; follower time and MSE are NaN when the slice never showed. */
    record Row(
            Method method,
            int delayMs,
            int lossPercent,
            int update,
            int slice,
            double input,
            double driverShown,
            double followerShown,
            double mseFirst,
            double mseSettled) {
        /** From the driver's input to the follower's display: what the targets and the comparison use. */
        double lag() {
            return followerShown - input;
        }

        /** From the driver's display to the follower's (the paper's definition); negative when the follower is first. */
        double displayLag() {
            return followerShown - driverShown;
        }
    }

    private final Options options;
    private final NetnsPair ns;
    private final Path delayer;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> delayerReports = new ArrayList<>();
    private final List<String> videoStats = new ArrayList<>();
    private Page driver;
    private Page follower;
    private int firstSlice;

    private LagBenchmark(Options options, NetnsPair ns, Path delayer) {
        this.options = options;
        this.ns = ns;
        this.delayer = delayer;
    }

    /** Runs the benchmark and writes bench/results/lag; returns summary lines. */
    public static List<String> run(Path root, Path results, List<String> args) throws Exception {
        Options options = Options.parse(args);
        NetnsPair ns = NetnsPair.fromEnvironment();
        Path out = Files.createDirectories(results.resolve("lag"));
        Path delayer = root.resolve("bench/target/nfq-delay");
        List<String> summary = new ArrayList<>();
        summary.add("lag: " + options + ", load average at start " + loadAverage());

        List<int[]> checks = new ArrayList<>();
        options.delays().forEach(d -> checks.add(new int[] {d, 0}));
        options.losses().stream().filter(l -> l > 0).forEach(l -> checks.add(new int[] {0, l}));
        List<String> checkCsv = new ArrayList<>(List.of(ImpairmentCheck.csvHeader()));
        for (ImpairmentCheck.Result r : ImpairmentCheck.run(ns, delayer, checks, 1000)) {
            checkCsv.add(ImpairmentCheck.csv(r));
            System.out.println("impairment check: " + ImpairmentCheck.csv(r));
        }
        Files.write(out.resolve("impairment-check.csv"), checkCsv);

        LagBenchmark bench = new LagBenchmark(options, ns, delayer);
        Properties p = new Properties();
        // The follower in namespace B reaches the server over the veth link; off loopback the server speaks only
        // HTTPS (its self-signed certificate, which the benchmark's browsers accept).
        p.setProperty("https.host", ns.addrA());
        try (TestServer server = TestServer.start(true, p);
                Browsers browsers = Browsers.launch(ns)) {
            bench.measure(server, browsers);
        }
        summary.add("lag: load average at end " + loadAverage());
        Files.write(out.resolve("delayer.txt"), bench.delayerReports);
        Files.write(
                out.resolve("pixel-stream-webrtc-stats.txt"), bench.videoStats); // cumulative counters after each point
        summary.addAll(LagReport.write(out, options, bench.rows, bench.notes));
        return summary;
    }

    private void measure(TestServer server, Browsers browsers) throws Exception {
        String study = server.server()
                .library()
                .index()
                .findStudies(StudyQuery.text("synthetic", 5))
                .getFirst()
                .studyUid();
        var opts = new Browser.NewContextOptions()
                .setViewportSize(1400, 1000)
                .setDeviceScaleFactor(1)
                .setIgnoreHTTPSErrors(true);
        try (BrowserContext dc = browsers.driver.newContext(opts);
                BrowserContext fc = browsers.follower.newContext(opts);
                BrowserContext vc = browsers.follower.newContext(opts)) {
            driver = login(dc, server, "attending");
            String readout = (String) driver.evaluate(
                    "async s => { const r = await fetch('/api/readouts', {method: 'POST',"
                            + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({title: 'Lag benchmark',"
                            + " worklist: [{source: 'local', studyInstanceUid: s}]})}); return (await r.json()).id; }",
                    study);
            follower = login(fc, server, "resident");
            for (Page page : List.of(driver, follower)) {
                enter(page, server, readout);
            }
            driver.click("[data-testid=floor-request]");
            String driverId = driver.getAttribute("[data-testid=readout-status]", "data-peer-id");
            for (Page page : List.of(driver, follower)) {
                wait(
                        page,
                        "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === id",
                        driverId,
                        30_000);
                // The whole series in each browser's cache: we measure synchronisation, not image loading.
                page.waitForSelector(
                        "[data-testid=series-progress][data-complete=true]",
                        new Page.WaitForSelectorOptions().setTimeout(180_000).setState(WaitForSelectorState.ATTACHED));
            }
            int count = Integer.parseInt(driver.getAttribute("[data-testid=viewport]", "data-image-count"));
            if (count < options.updates() + 1 + WARMUP_UPDATES) {
                throw new IllegalStateException(
                        "the series has " + count + " slices, fewer than updates + " + (1 + WARMUP_UPDATES));
            }
            firstSlice = WARMUP_UPDATES + (count - 1 - WARMUP_UPDATES - options.updates()) / 2;
            driver.evaluate(PageScripts.WATCH_VIEWPORT, false);
            follower.evaluate(PageScripts.WATCH_VIEWPORT, true);
            double clockDriver = ((Number) driver.evaluate(PageScripts.CLOCK)).doubleValue();
            double clockFollower = ((Number) follower.evaluate(PageScripts.CLOCK)).doubleValue();
            notes.add(String.format(
                    Locale.ROOT,
                    "page clocks (Date.now minus timeOrigin+now): driver %.3f ms, follower %.3f ms,"
                            + " difference %.3f ms",
                    clockDriver,
                    clockFollower,
                    clockDriver - clockFollower));
            List<String> refs = references(List.of(follower));

            if (options.methods().contains(Method.STATE_SYNC)) {
                for (int d : options.delays()) {
                    for (int l : options.losses()) {
                        point(Method.STATE_SYNC, d, l);
                    }
                }
            }
            if (options.methods().contains(Method.PIXEL_STREAM)) {
                // The follower now only watches the video: its readout page would otherwise render every slice too.
                follower.close();
                Page video = vc.newPage();
                video.navigate(server.https() + "/#/login");
                video.evaluate("() => { document.body.replaceChildren(); }");
                String offer = (String) driver.evaluate(PageScripts.VIDEO_OFFER);
                String answer = (String) video.evaluate(PageScripts.VIDEO_ANSWER, offer);
                driver.evaluate(PageScripts.VIDEO_ACCEPT_ANSWER, answer);
                wait(driver, PageScripts.CONNECTED, null, 30_000);
                for (int i = 0; i < refs.size(); i++) {
                    video.evaluate(PageScripts.ADD_REF, List.of(firstSlice + i, refs.get(i)));
                }
                follower = video;
                for (int d : options.delays()) {
                    for (int l : options.losses()) {
                        point(Method.PIXEL_STREAM, d, l);
                    }
                }
                notes.add("pixel stream: video sender " + driver.evaluate(PageScripts.VIDEO_STATS)
                        + "; frames presented at the follower: " + video.evaluate(PageScripts.VIDEO_FRAMES));
            }
        }
    }

    /** The driver's image of every slice the run shows, as grey levels; handed to the follower pages as the truth. */
    private List<String> references(List<Page> to) {
        List<String> refs = new ArrayList<>();
        for (int i = firstSlice; i <= firstSlice + options.updates(); i++) {
            driver.evaluate(PageScripts.STEP, i);
            wait(
                    driver,
                    "i => { const v = document.querySelector('[data-testid=viewport]');"
                            + " return v.getAttribute('data-image-index') === String(i) && v.getAttribute('data-rendered') === 'true'; }",
                    i,
                    30_000);
            @SuppressWarnings("unchecked")
            Map<String, Object> grey = (Map<String, Object>) driver.evaluate(PageScripts.GREY);
            if (((Number) grey.get("width")).intValue() != 512
                    || ((Number) grey.get("height")).intValue() != 512
                    || ((Number) grey.get("notGrey")).intValue() != 0) {
                throw new IllegalStateException("the driver's canvas is not a 512x512 grey image: " + grey.get("width")
                        + "x" + grey.get("height") + ", " + grey.get("notGrey") + " coloured pixels");
            }
            refs.add((String) grey.get("grey"));
            for (Page page : to) {
                page.evaluate(PageScripts.ADD_REF, List.of(i, refs.getLast()));
            }
        }
        driver.evaluate(PageScripts.TAKE_LOG);
        for (Page page : to) {
            page.evaluate(PageScripts.TAKE_LOG);
        }
        return refs;
    }

    /**
     * One grid point: impair, two unmeasured updates and a step to the first slice, wait until the follower shows
     * it, then one measured update per interval; collect the logs.
     */
    private void point(Method method, int delayMs, int loss) throws Exception {
        long t0 = System.nanoTime();
        int from = rows.size();
        Impairment impairment = Impairment.apply(ns, delayer, delayMs, loss);
        try {
            if (method == Method.PIXEL_STREAM) {
                follower.evaluate(PageScripts.VIDEO_ARM, false);
            }
            // Unmeasured updates first, so that congestion control and jitter buffers settle to the new network.
            for (int w = WARMUP_UPDATES; w >= 1; w--) {
                driver.evaluate(PageScripts.STEP, firstSlice - w);
                Thread.sleep(options.intervalMs());
            }
            driver.evaluate(PageScripts.STEP, firstSlice);
            if (method == Method.STATE_SYNC) {
                wait(
                        follower,
                        "i => { const v = document.querySelector('[data-testid=viewport]');"
                                + " return v.getAttribute('data-image-index') === String(i) && v.getAttribute('data-rendered') === 'true'; }",
                        firstSlice,
                        30_000);
                Thread.sleep(500);
            } else {
                // The jump back must have reached the follower's screen before the first update, however late it is.
                // A lost frame of a canvas that no longer changes is only repaired by the next change: give up after 10
                // s.
                try {
                    wait(follower, "i => window.__lag.showing === i", firstSlice, 10_000 + 2.0 * delayMs);
                } catch (TimeoutError e) {
                    System.out.println(
                            "lag: the follower's video did not show the first slice in time; measuring anyway");
                }
                Thread.sleep(500);
                follower.evaluate(PageScripts.VIDEO_ARM, true);
            }
            driver.evaluate(PageScripts.TAKE_LOG);
            follower.evaluate(PageScripts.TAKE_LOG);
            double[] input = new double[options.updates() + 1];
            long start = System.nanoTime();
            for (int k = 1; k <= options.updates(); k++) {
                sleepUntil(start + k * options.intervalMs() * 1_000_000L);
                input[k] = ((Number) driver.evaluate(PageScripts.STEP, firstSlice + k)).doubleValue();
            }
            sleepUntil(start + options.updates() * options.intervalMs() * 1_000_000L + (delayMs + 1500) * 1_000_000L);
            Map<Integer, Map<String, Object>> shownDriver = bySlice(driver.evaluate(PageScripts.TAKE_LOG));
            Map<Integer, Map<String, Object>> shownFollower = bySlice(follower.evaluate(PageScripts.TAKE_LOG));
            for (int k = 1; k <= options.updates(); k++) {
                int slice = firstSlice + k;
                Map<String, Object> d = shownDriver.get(slice);
                Map<String, Object> f = shownFollower.get(slice);
                rows.add(new Row(
                        method,
                        delayMs,
                        loss,
                        k,
                        slice,
                        input[k],
                        d == null ? Double.NaN : num(d, "t"),
                        f == null ? Double.NaN : num(f, "t"),
                        f == null ? Double.NaN : num(f, "mse"),
                        f == null ? Double.NaN : num(f, "settled")));
            }
        } finally {
            impairment.close();
        }
        if (method == Method.PIXEL_STREAM) {
            String stats = "sender " + driver.evaluate(PageScripts.VIDEO_STATS) + " receiver "
                    + follower.evaluate(PageScripts.VIDEO_RECEIVER_STATS);
            System.out.println("lag: pixel stream at delay " + delayMs + " ms, loss " + loss + " %: " + stats);
            videoStats.add(delayMs + "," + loss + "," + stats);
        }
        if (!impairment.delayerReport().isEmpty()) {
            delayerReports.add(method + " delay " + delayMs + " ms loss " + loss + " %: "
                    + impairment.delayerReport().replace('\n', ' '));
        }
        List<Double> lags = rows.subList(from, rows.size()).stream()
                .map(Row::lag)
                .filter(x -> !x.isNaN())
                .sorted()
                .toList();
        System.out.printf(
                Locale.ROOT,
                "lag %s delay %d ms loss %d %%: %d/%d shown, p50 %.1f ms, max %.1f ms (%.0f s, load %s)%n",
                method,
                delayMs,
                loss,
                lags.size(),
                options.updates(),
                LagStats.percentile(lags, 50),
                lags.isEmpty() ? Double.NaN : lags.getLast(),
                (System.nanoTime() - t0) / 1e9,
                loadAverage());
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Map<String, Object>> bySlice(Object log) {
        Map<Integer, Map<String, Object>> first = new HashMap<>();
        for (Object o : (List<Object>) log) {
            Map<String, Object> e = (Map<String, Object>) o;
            first.putIfAbsent(((Number) e.get("i")).intValue(), e);
        }
        return first;
    }

    private static double num(Map<String, Object> e, String key) {
        double v = ((Number) e.get(key)).doubleValue();
        return v < 0 && !key.equals("t") ? Double.NaN : v;
    }

    private static Page login(BrowserContext context, TestServer server, String user) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                System.err.println("[" + user + "] " + m.text());
            }
        });
        page.navigate(server.https() + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=worklist-row]", new Page.WaitForSelectorOptions().setTimeout(60_000));
        return page;
    }

    private static void enter(Page page, TestServer server, String readoutId) {
        page.navigate(server.https() + "/#/readout/" + readoutId);
        // 512x512 CSS pixels at device scale 1: the 512x512 CT shows 1:1, as in ReadoutBrowserTest.
        page.addStyleTag(
                new Page.AddStyleTagOptions()
                        .setContent(
                                "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}"));
        page.waitForSelector(
                "[data-testid=readout-status][data-state=connected]",
                new Page.WaitForSelectorOptions().setTimeout(60_000));
    }

    private static void wait(Page page, String js, Object arg, double timeoutMs) {
        page.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(timeoutMs));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long ms = (nanoTime - System.nanoTime()) / 1_000_000;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Command-line options: {@code --updates N --interval-ms MS --delays 0,32,... --losses 0,1,... --methods state,pixel}. */
    record Options(int updates, int intervalMs, List<Integer> delays, List<Integer> losses, List<Method> methods) {
        static final List<Integer> PAPER_DELAYS = List.of(0, 32, 64, 128, 256, 512);
        static final List<Integer> PAPER_LOSSES = List.of(0, 1, 2, 5, 10);

        static Options parse(List<String> args) {
            // Quick default: the paper's grid with 8 updates a point (about 15 min); the paper's protocol is --updates
            // 100.
            int updates = 8;
            int interval = 1000;
            List<Integer> delays = PAPER_DELAYS;
            List<Integer> losses = PAPER_LOSSES;
            List<Method> methods = List.of(Method.STATE_SYNC, Method.PIXEL_STREAM);
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String v = i + 1 < args.size() ? args.get(i + 1) : null;
                if (v == null) {
                    throw new IllegalArgumentException("lag: " + a + " needs a value");
                }
                switch (a) {
                    case "--updates" -> updates = Integer.parseInt(v);
                    case "--interval-ms" -> interval = Integer.parseInt(v);
                    case "--delays" -> delays = ints(v);
                    case "--losses" -> losses = ints(v);
                    case "--methods" ->
                        methods = Arrays.stream(v.split(","))
                                .map(m -> switch (m.trim()) {
                                    case "state" -> Method.STATE_SYNC;
                                    case "pixel" -> Method.PIXEL_STREAM;
                                    default ->
                                        throw new IllegalArgumentException(
                                                "lag: --methods takes state and/or pixel, not " + m);
                                })
                                .toList();
                    default ->
                        throw new IllegalArgumentException(
                                "lag: unknown option " + a
                                        + " (--updates N --interval-ms MS --delays 0,32,.. --losses 0,1,.. --methods state,pixel)");
                }
                i++;
            }
            if (updates < 1 || updates > 139 || interval < 100) {
                throw new IllegalArgumentException("lag: --updates must be 1..139 and --interval-ms at least 100");
            }
            return new Options(updates, interval, delays, losses, methods);
        }

        private static List<Integer> ints(String csv) {
            return Arrays.stream(csv.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
        }

        @Override
        public String toString() {
            return "updates " + updates + " every " + intervalMs + " ms, delays " + delays + " ms, losses " + losses
                    + " %, methods " + methods;
        }
    }
}
