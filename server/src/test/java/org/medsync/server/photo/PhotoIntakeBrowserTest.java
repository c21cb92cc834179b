package org.medsync.server.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.ViewerPage;

/**
 * End to end in real Chromium: a clinician sends a simulated photo of a screen (the study's image warped by a known
 * homography onto a darker room, JPEG) from the photo page, sees it rectified and restored by the shipped DnCNN
 * (photo-restore, found by ServiceLoader), then finds the Secondary Capture in the worklist and opens it in the viewer.
 */
class PhotoIntakeBrowserTest {
    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions().setTimeout(180_000);
    private static TestServer server;
    private static Chromium chromium;
    private static String studyUid;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Chromium.installed(), "Chromium is missing: run scripts/setup --test");
        server = TestServer.start(false, new Properties());
        studyUid = PhotoPages.importSourceStudy(server);
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
    void aPhotoSentFromThePageIsRectifiedStoredAndOpensInTheViewer() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1000, 900))) {
            Page page = context.newPage();
            page.onPageError(e -> pageErrors.add(String.valueOf(e)));
            PhotoPages.send(page, server, studyUid, "screen.jpg", SimulatedPhoto.jpeg());

            page.waitForSelector("[data-testid=photo-card][data-status=stored]", WAIT);
            // The rectified image is shown and decodes in the browser.
            page.waitForFunction(
                    "() => { const i = document.querySelector('[data-testid=photo-rectified]');"
                            + " return i && i.complete && i.naturalWidth > 0; }",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.waitForFunction(
                    "() => { const i = document.querySelector('[data-testid=photo-restored]');"
                            + " return i && i.complete && i.naturalWidth > 0; }",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertTrue(
                    page.textContent("[data-testid=photo-card]").contains("DnCNN"),
                    "the restored image names the shipped restorer");
            assertEquals(
                    0, page.querySelectorAll("[data-testid=photo-restoration]").size(), "restoration is installed");
            String photoId = page.getAttribute("[data-testid=photo-card]", "data-photo-id");

            // Back to the worklist: the study lists the photo series; the viewer opens the Secondary Capture.
            page.click("[data-testid=photo-open-study]");
            page.waitForSelector("[data-testid=series-thumbnail]", WAIT);
            var photo = server.server().photos().get(photoId);
            page.click("[data-testid=series-thumbnail][data-series-uid='" + photo.scSeriesUid() + "']");
            page.waitForSelector("[data-testid=viewport][data-rendered=true]", WAIT);

            page.navigate(server.http() + "/#/worklist");
            page.waitForSelector("[data-testid=worklist-row][data-study-uid='" + studyUid + "']", WAIT);
            ViewerPage.open(page, "local", studyUid);
            // The other test may have filed its photo in this study too: look for this photo's series.
            assertEquals(
                    1,
                    page.locator("[data-testid=series-thumbnail][data-series-uid='" + photo.scSeriesUid() + "']")
                            .count(),
                    "the photo series is listed with the study");
        }
        assertTrue(pageErrors.isEmpty(), pageErrors.toString());
    }

    /**
     * The viewer's photo mode, photographed: the page draws the server's markers and the token's QR code around the
     * image; a perspective photo of that screen (the viewport's screenshot, warped, JPEG) is rectified from the
     * markers and linked to the instance on screen, although it was sent as a consult.
     */
    @Test
    void aPhotoOfTheViewersPhotoModeLinksBackToTheInstanceOnScreen() throws Exception {
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1000, 900))) {
            Page page = context.newPage();
            ViewerPage.login(page, server.http(), "attending");
            ViewerPage.open(page, "local", studyUid);
            page.click("[data-testid=tool-photo-mode]");
            page.waitForSelector("[data-testid=photo-mode][data-token=ready]", WAIT);
            page.waitForFunction(
                    "() => [...document.querySelectorAll('[data-testid=photo-mode] img')]"
                            + ".every(i => i.complete && i.naturalWidth > 0)",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            page.waitForTimeout(300);
            BufferedImage full = ImageIO.read(new ByteArrayInputStream(
                    page.locator("[data-testid=viewport]").screenshot()));
            // The phone frames the image with its markers and QR code, as a sender would: crop to them.
            @SuppressWarnings("unchecked")
            List<Number> box = (List<Number>)
                    page.evaluate(
                            "() => { const v = document.querySelector('[data-testid=viewport]').getBoundingClientRect();"
                                    + " const r = [...document.querySelectorAll('[data-testid=photo-mode] img')]"
                                    + ".map(i => i.getBoundingClientRect());"
                                    + " return [Math.min(...r.map(b => b.left)) - v.left, Math.min(...r.map(b => b.top)) - v.top,"
                                    + " Math.max(...r.map(b => b.right)) - v.left, Math.max(...r.map(b => b.bottom)) - v.top]; }");
            int x0 = Math.max(0, box.get(0).intValue() - 12);
            int y0 = Math.max(0, box.get(1).intValue() - 12);
            int x1 = Math.min(full.getWidth(), box.get(2).intValue() + 12);
            int y1 = Math.min(full.getHeight(), box.get(3).intValue() + 12);
            BufferedImage shot = full.getSubimage(x0, y0, x1 - x0, y1 - y0);
            int w = shot.getWidth();
            int h = shot.getHeight();
            byte[] grey = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = shot.getRGB(x, y);
                    grey[y * w + x] =
                            (byte) (((rgb >> 16 & 0xFF) * 299 + (rgb >> 8 & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000);
                }
            }
            double[][] at = {{150, 6}, {650, 22}, {640, 594}, {160, 580}};
            byte[] photo = SimulatedPhoto.jpeg(grey, w, h, at);

            APIResponse sent = context.request()
                    .post(
                            server.http() + "/api/photos",
                            RequestOptions.create()
                                    .setHeader(
                                            "Origin", server.http().toString().replaceAll("/$", ""))
                                    .setMultipart(FormData.create()
                                            .set("photo", new FilePayload("screen.jpg", "image/jpeg", photo))
                                            .set("attachTo", "consult")));
            assertEquals(201, sent.status(), sent.text());
            String id = new ObjectMapper()
                    .readTree(sent.text())
                    .path("photos")
                    .get(0)
                    .path("id")
                    .asText();
            JsonNode state = null;
            for (int i = 0; i < 600; i++) {
                state = new ObjectMapper()
                        .readTree(context.request()
                                .get(server.http() + "/api/photos/" + id)
                                .text());
                if (!List.of("received", "rectified", "restored")
                        .contains(state.path("status").asText())) {
                    break;
                }
                page.waitForTimeout(250);
            }
            assertEquals("stored", state.path("status").asText(), state.toString());
            assertEquals("fiducial", state.path("cornersSource").asText(), state.toString());
            assertEquals(studyUid, state.path("studyUid").asText(), "the study on screen");
            var index = server.server().library().index();
            var source = index.findInstances(
                            studyUid, index.findSeries(studyUid).getFirst().seriesUid())
                    .getFirst();
            assertEquals(source.sopUid(), state.path("source").path("sopUid").asText());
        }
    }
}
