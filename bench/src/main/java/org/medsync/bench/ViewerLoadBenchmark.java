package org.medsync.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.medsync.bench.plot.Plot;
import org.medsync.library.index.StudyQuery;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

/**
 * Opening the synthetic CT head (144 slices, 512x512, 16-bit) in headless Chromium on loopback: time from the
 * click in the worklist to the first image drawn, and to the whole series in the browser's cache. Each run
 * uses a fresh browser context, so no image is cached; the clock starts once the worklist page is idle.
 * Targets: under 1 s and under 3 s.
 */
final class ViewerLoadBenchmark {
    private static final int RUNS = 5;

    static List<String> run(Path root, Path results) throws Exception {
        Properties p = new Properties();
        p.setProperty("https.port", "-1");
        List<String> csv = new ArrayList<>(List.of("run,first_image_ms,series_cached_ms"));
        List<Double> first = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        try (TestServer server = TestServer.start(true, p);
                Chromium chromium = Chromium.launch()) {
            String study = server.server()
                    .library()
                    .index()
                    .findStudies(StudyQuery.text("synthetic", 5))
                    .getFirst()
                    .studyUid();
            for (int run = 0; run <= RUNS; run++) {
                try (BrowserContext ctx =
                        chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))) {
                    Page page = ctx.newPage();
                    page.navigate(server.http() + "/#/login");
                    page.fill("input[name=username]", "attending");
                    page.fill("input[name=password]", DemoContent.PASSWORD);
                    page.click("button[type=submit]");
                    var row = page.locator("[data-testid=worklist-row][data-study-uid='" + study + "']");
                    row.waitFor();
                    // The worklist page has finished loading (it warms the viewer's code up in the background),
                    // as it has by the time a radiologist has read the list and picked a study.
                    page.waitForLoadState(LoadState.NETWORKIDLE);
                    long t0 = System.nanoTime();
                    row.click();
                    page.waitForSelector(
                            "[data-testid=viewport][data-rendered=true]",
                            new Page.WaitForSelectorOptions().setTimeout(60_000));
                    long t1 = System.nanoTime();
                    page.waitForSelector(
                            "[data-testid=series-progress][data-complete=true]",
                            new Page.WaitForSelectorOptions()
                                    .setTimeout(120_000)
                                    .setState(WaitForSelectorState.ATTACHED));
                    long t2 = System.nanoTime();
                    if (run == 0) {
                        continue; // warm-up: server JIT, page-cache of the files
                    }
                    first.add((t1 - t0) / 1e6);
                    all.add((t2 - t0) / 1e6);
                    csv.add(String.format(Locale.ROOT, "%d,%.0f,%.0f", run, (t1 - t0) / 1e6, (t2 - t0) / 1e6));
                }
            }
        }
        Files.write(results.resolve("viewer-load.csv"), csv);
        List<String> labels = List.of("run 1", "run 2", "run 3", "run 4", "run 5");
        Plot.bars(
                results.resolve("viewer-first-image.png"),
                "CT head: click to first image (ms), target 1000",
                labels,
                first,
                1000);
        Plot.bars(
                results.resolve("viewer-series-cached.png"),
                "CT head: click to whole series cached (ms), target 3000",
                labels,
                all,
                3000);
        return List.of(String.format(
                Locale.ROOT,
                "viewer: first image median %.0f ms (target < 1000), whole series median %.0f ms (target < 3000)",
                median(first),
                median(all)));
    }

    private static double median(List<Double> v) {
        return v.stream().sorted().toList().get(v.size() / 2);
    }
}
