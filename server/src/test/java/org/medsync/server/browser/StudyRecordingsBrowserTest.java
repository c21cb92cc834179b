package org.medsync.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.catalog.Recording;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.server.TestServer;
import org.medsync.server.demo.DemoRecordings;

/**
 * Issue 13's last links in real Chromium: the viewer of a study plays that study's recordings in place (for a
 * clinician; a student, who sees no patient data, gets no such button), and the storage model page (issue 14)
 * shows the paper's figures recomputed, with units, and its plot.
 */
class StudyRecordingsBrowserTest {
    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions().setTimeout(60_000);

    private static TestServer server;
    private static Chromium chromium;
    private static String study;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        Properties noHttps = new Properties();
        noHttps.setProperty("https.port", "-1");
        server = TestServer.start(true, noHttps);
        Archive archive = server.server().archive();
        study = SyntheticCtHead.studyInstanceUid(SyntheticCtHead.Options.defaults());
        List<Recording> made = DemoRecordings.ensure(
                archive.recordings(),
                archive.vault(),
                Files.createDirectories(server.dataDir().resolve("demo-work")),
                new DemoRecordings.Options(320, 180, 10, 2),
                r -> {
                    try {
                        archive.enqueueTranscode(r.id());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertEquals(3, made.size());
        // The transcode job makes the HLS the player plays: wait for all three (2 s of 320x180 each).
        long deadline = System.nanoTime() + 180_000_000_000L;
        for (Recording r : made) {
            while (archive.recordings().find(r.id()).orElseThrow().status() != Recording.Status.READY) {
                assertTrue(System.nanoTime() < deadline, "transcode of " + r.id() + " did not finish");
                Thread.sleep(250);
            }
        }
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theViewerPlaysTheStudysRecordingsInPlace_forClinicians() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "attending");
            page.navigate(server.http() + "/#/viewer/local/" + study);
            page.waitForSelector("[data-testid=study-recordings]:not([hidden])", WAIT);
            assertEquals("▶ Recordings (3)", page.textContent("[data-testid=study-recordings]"));
            page.click("[data-testid=study-recordings]");
            page.click("[data-testid=study-recording] >> nth=0");
            page.waitForSelector("[data-testid=study-recordings-player] [data-testid=archive-video]", WAIT);
            page.waitForFunction(
                    "() => { const v = document.querySelector('[data-testid=study-recordings-player]"
                            + " [data-testid=archive-video]'); if (v.paused) v.play(); return v.currentTime > 0.3; }",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
        }
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "student");
            page.navigate(server.http() + "/#/viewer/local/" + study);
            page.waitForSelector("[data-testid=back-to-worklist]", WAIT);
            // Give a (wrongly) requested list time to arrive: the button must stay absent.
            page.waitForTimeout(1500);
            assertEquals(0, page.locator("[data-testid=study-recordings]").count());
        }
    }

    @Test
    void theStoragePage_showsThePaperCheckedWithUnits_andAHospitalsOwn() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "attending");
            page.navigate(server.http() + "/#/archive/storage");
            page.waitForSelector("[data-testid=storage-plot]", WAIT);
            assertEquals("189.8 GB", page.textContent("[data-testid=storage-day]"));
            assertEquals("69.3 TB", page.textContent("[data-testid=storage-year]"));
            assertEquals("65.9 PB", page.textContent("[data-testid=storage-total-year]"));
            assertEquals("2512.1 PB", page.textContent("[data-testid=storage-plateau]"));
            assertEquals(
                    3,
                    page.locator("[data-testid=storage-paper-check] tr[data-agrees=false]")
                            .count());
            assertTrue(page.getAttribute("[data-testid=storage-line]", "points").split(" ").length > 40);

            page.fill("[data-testid=storage-hospitals]", "1");
            page.fill("[data-testid=storage-ors]", "10");
            page.fill("[data-testid=storage-surgeriesPerDay]", "3");
            page.fill("[data-testid=storage-minutes]", "100");
            page.selectOption("[data-testid=storage-preset]", "x265-fast-crf23");
            page.fill("[data-testid=storage-years]", "20");
            page.fill("[data-testid=storage-copies]", "2");
            page.click("[data-testid=storage-compute]");
            page.waitForFunction(
                    "() => document.querySelector('[data-testid=storage-plateau]').textContent === '291.3 TB'",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertEquals("39.9 GB", page.textContent("[data-testid=storage-day]"));

            page.fill("[data-testid=storage-copies]", "0");
            page.click("[data-testid=storage-compute]");
            page.waitForSelector(
                    "[data-testid=storage-status][data-state=error]",
                    new Page.WaitForSelectorOptions()
                            .setState(WaitForSelectorState.VISIBLE)
                            .setTimeout(30_000));
        }
        // Capacity planning is for admins and clinicians; the server says so to anyone else.
        HttpClient student = server.login("student");
        HttpResponse<String> refused = student.send(
                HttpRequest.newBuilder(server.http().resolve("/api/archive/storage-model"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());
        HttpResponse<String> garbage = server.login("attending")
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/archive/storage-model?rate=NaN"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("rate: expected a number"), garbage.body());
    }

    private static BrowserContext newContext() {
        return chromium.browser()
                .newContext(new Browser.NewContextOptions()
                        .setViewportSize(1280, 900)
                        .setDeviceScaleFactor(1));
    }
}
