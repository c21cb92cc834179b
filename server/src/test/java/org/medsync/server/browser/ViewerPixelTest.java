package org.medsync.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.render.DicomRender;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.server.TestServer;

/**
 * The viewer in real Chromium: a radiologist logs in, opens the synthetic CT head, scrolls to a slice and
 * sets a window; the canvas must equal, within one grey level on every pixel, the same slice rendered on
 * the server from the DICOM data by the standard's VOI function.
 */
class ViewerPixelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Chromium chromium;
    private static String studyUid;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        server = TestServer.start(true, new Properties());
        chromium = Chromium.launch();
        StudyRow ct = server.server().library().index().findStudies(StudyQuery.text("synthetic", 10)).stream()
                .filter(r -> r.modalities().contains("CT"))
                .findFirst()
                .orElseThrow();
        studyUid = ct.studyUid();
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
    void scrolledAndWindowedSlice_equalsTheServersRendering() throws Exception {
        try (BrowserContext context = chromium.browser()
                .newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setViewportSize(1400, 1000)
                        .setDeviceScaleFactor(1))) {
            Page page = context.newPage();
            List<String> consoleErrors = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) {
                    consoleErrors.add(m.text());
                }
            });
            ViewerPage.login(page, server.http(), "attending");
            ViewerPage.open(page, "local", studyUid);
            Page.WaitForSelectorOptions visible = new Page.WaitForSelectorOptions().setTimeout(30_000);
            int count = Integer.parseInt(page.getAttribute("[data-testid=viewport]", "data-image-count"));
            assertTrue(count >= 120, "the synthetic CT has at least 120 slices, viewer shows " + count);

            ViewerPage.showActualSize(page, 512, 512);

            int target = 70;
            page.evaluate(
                    "i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i);"
                            + " s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true})); }",
                    target + 1);
            page.fill("[data-testid=wc-input]", "40");
            page.press("[data-testid=wc-input]", "Enter");
            page.fill("[data-testid=ww-input]", "80");
            page.press("[data-testid=ww-input]", "Enter");
            page.waitForSelector(
                    "[data-testid=viewport][data-image-index='" + target + "'][data-voi='40,80'][data-rendered=true]",
                    visible);
            assertMatchesServer(page, target, 40, 80);

            page.click("[data-testid=preset-bone]");
            page.keyboard().press("ArrowDown");
            page.waitForSelector("[data-testid=viewport][data-voi='600,2800'][data-rendered=true]", visible);
            int now = Integer.parseInt(page.getAttribute("[data-testid=viewport]", "data-image-index"));
            assertTrue(Math.abs(now - target) == 1, "arrow key moves one slice");
            assertMatchesServer(page, now, 600, 2800);
            assertEquals(List.of(), consoleErrors);
        }
    }

    /**
     * JPEG-LS, which PixelMed cannot decode: the browser decodes it (WASM) and the result equals the server's
     * decoding of the same file through GDCM, over the image's whole value range.
     */
    @Test
    void jpegLs_rendersInTheBrowser_asGdcmDecodesIt() throws Exception {
        Path file = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jpeg_ls_lossless.dcm");
        try (BrowserContext context = chromium.browser()
                .newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setViewportSize(1600, 1400)
                        .setDeviceScaleFactor(1))) {
            Page page = context.newPage();
            ViewerPage.login(page, server.http(), "resident");
            ViewerPage.FullRange range = ViewerPage.openAtFullRange(page, "local", file);
            ViewerPage.assertMatchesServer(page, file, range.columns(), range.rows(), range.center(), range.width());
        }
    }

    /**
     * 12-bit JPEG (lossy, process 2+4), which PixelMed cannot decode either: the browser shows it without an
     * error and the same image as GDCM's decoding. Not to the grey level: Cornerstone's 12-bit decoder and
     * GDCM's differ by a near-constant offset (about 15 of 4096 on this NM sample; GDCM's background is 0),
     * so this compares structure (correlation) until we know which decoder is right.
     */
    @Test
    void twelveBitJpeg_rendersInTheBrowser_likeGdcmsDecoding() throws Exception {
        Path file = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/JPGExtended.dcm");
        try (BrowserContext context = chromium.browser()
                .newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setViewportSize(1600, 1400)
                        .setDeviceScaleFactor(1))) {
            Page page = context.newPage();
            ViewerPage.login(page, server.http(), "resident");
            ViewerPage.FullRange range = ViewerPage.openAtFullRange(page, "local", file);
            byte[] canvas = ViewerPage.canvasGrey(page, range.columns(), range.rows());
            byte[] expected = DicomRender.windowToGrey8(DicomRender.decode(file, 1), range.center(), range.width());
            double r = ViewerPage.correlation(canvas, expected);
            assertTrue(r > 0.99, "browser and GDCM decodings of the 12-bit JPEG correlate at " + r);
        }
    }

    private static void assertMatchesServer(Page page, int index, double center, double width) throws Exception {
        ViewerPage.assertMatchesServer(page, instanceAt(index), 512, 512, center, width);
    }

    /** The instance the viewer shows at {@code index}: slices ascending along the normal (docs/viewer.md). */
    private static Path instanceAt(int index) throws Exception {
        HttpClient c = server.login("attending");
        String seriesUid = JSON.readTree(c.send(
                                HttpRequest.newBuilder(server.http()
                                                .resolve("/dicomweb/local/studies/" + studyUid + "/series"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get(0)
                .path("0020000E")
                .path("Value")
                .get(0)
                .asText();
        JsonNode metadata = JSON.readTree(c.send(
                        HttpRequest.newBuilder(server.http()
                                        .resolve("/dicomweb/local/studies/" + studyUid + "/series/" + seriesUid
                                                + "/metadata"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        List<JsonNode> slices = new ArrayList<>();
        metadata.forEach(slices::add);
        slices.sort(Comparator.comparingDouble(
                d -> d.path("00200032").path("Value").get(2).asDouble()));
        String sop = slices.get(index).path("00080018").path("Value").get(0).asText();
        return server.server()
                .library()
                .index()
                .findInstance(studyUid, seriesUid, sop)
                .orElseThrow()
                .file();
    }
}
