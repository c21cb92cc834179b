package org.medsync.bench.readout;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.medsync.library.index.StudyQuery;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

/**
 * The readout's targets (issue 3) in real headless Chromium on loopback: a real server (embedded
 * PostgreSQL, demo studies), one Chromium, an attending who drives and two residents who follow, one
 * readout over the synthetic CT head (144 slices, 512x512). Parts: {@link InputToRepaint},
 * {@link ViewStateBytes}, {@link LateJoin}; each writes its CSV and PNG under {@code results/readout}.
 */
public final class ReadoutBenchmark {
    private static final List<String> PARTS = List.of("latency", "bytes", "late-join");

    private ReadoutBenchmark() {}

    /** Runs the parts named in the system property {@code bench.readout} (comma-separated; all by default). */
    public static List<String> run(Path results) throws Exception {
        List<String> parts = List.of(
                System.getProperty("bench.readout", String.join(",", PARTS)).split(","));
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("bench.readout takes " + PARTS + ", not " + parts);
        }
        Path out = Files.createDirectories(results.resolve("readout"));
        List<String> summary = new ArrayList<>();
        String loadBefore = loadAverage();
        Properties config = new Properties();
        config.setProperty("https.port", "-1");
        try (TestServer server = TestServer.start(true, config);
                Chromium chromium = Chromium.launch()) {
            server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
            server.server().accounts().create("resident3", "Third Resident", Role.RESIDENT, DemoContent.PASSWORD);
            String ct = server.server()
                    .library()
                    .index()
                    .findStudies(StudyQuery.text("synthetic", 5))
                    .getFirst()
                    .studyUid();
            String http = server.http().toString();
            Browser browser = chromium.browser();
            var options =
                    new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
            try (BrowserContext ca = browser.newContext(options);
                    BrowserContext cr = browser.newContext(options);
                    BrowserContext cr2 = browser.newContext(options)) {
                for (BrowserContext c : List.of(ca, cr, cr2)) {
                    c.addInitScript(Pages.KEEP_PEER_CONNECTIONS);
                }
                Page attending = Pages.logIn(ca, http, "attending");
                String id = (String) attending.evaluate(
                        "async s => { const r = await fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                                + " body: JSON.stringify({title: 'Benchmark', worklist: [{source: 'local', studyInstanceUid: s}]})}); return (await r.json()).id; }",
                        ct);
                Readout readout = new Readout(
                        http,
                        id,
                        browser,
                        options,
                        attending,
                        List.of(Pages.logIn(cr, http, "resident"), Pages.logIn(cr2, http, "resident2")));
                start(readout);
                if (parts.contains("latency")) {
                    summary.addAll(InputToRepaint.run(readout, out));
                    Pages.assertInSync(readout.driver(), readout.followers());
                }
                if (parts.contains("bytes")) {
                    summary.addAll(ViewStateBytes.run(readout, out));
                }
                if (parts.contains("late-join")) {
                    summary.addAll(LateJoin.run(readout, out));
                }
            }
        }
        summary.add("readout: load average (1, 5, 15 min) " + loadBefore + " before, " + loadAverage() + " after, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        Files.write(out.resolve("summary.txt"), summary);
        return summary;
    }

    /** All three enter, have the whole series in their caches (a readout under way), and the attending drives. */
    private static void start(Readout r) throws InterruptedException {
        for (Page p : r.all()) {
            p.navigate(r.http() + "/#/readout/" + r.id());
            p.addStyleTag(new Page.AddStyleTagOptions().setContent(Pages.VIEWPORT_512));
            p.waitForSelector(
                    "[data-testid=readout-status][data-state=connected]",
                    new Page.WaitForSelectorOptions().setTimeout(30_000));
        }
        for (Page p : r.all()) {
            Pages.waitFor(
                    p,
                    "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 3",
                    null);
            p.waitForSelector(
                    "[data-testid=series-progress][data-complete=true]",
                    new Page.WaitForSelectorOptions().setTimeout(120_000).setState(WaitForSelectorState.ATTACHED));
        }
        r.driver().click("[data-testid=floor-request]");
        Pages.waitForDriver(r.all(), Pages.peerId(r.driver()));
        Pages.showImage(r.driver(), 10);
        Pages.assertInSync(r.driver(), r.followers());
    }

    private static String loadAverage() throws IOException {
        Path proc = Path.of("/proc/loadavg");
        if (!Files.exists(proc)) {
            return "unknown";
        }
        String[] f = Files.readString(proc).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
