package org.medsync.server.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;

/**
 * The photo page's two ways back to the sender, in real Chromium: a photo whose screen the finder cannot be sure of
 * (the image's black surround on a black viewer in a dark room) makes the page ask for the four corners; the user
 * drags the handles onto the image's corners with the mouse, and the photo is rectified with them, stored and shown.
 * A blurred photo gets the retake advice naming the blur, and no corner editor can make it pass.
 */
class PhotoCornersBrowserTest {
    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions().setTimeout(180_000);
    private static final String[] HANDLES = {"top-left", "top-right", "bottom-right", "bottom-left"};
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
    void aPhotoWithoutSureCornersIsRectifiedWithTheCornersTheUserDrags() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1000, 900))) {
            Page page = context.newPage();
            page.onPageError(e -> pageErrors.add(String.valueOf(e)));
            PhotoPages.send(page, server, studyUid, "dark-room.jpg", SimulatedPhoto.blackSurroundJpeg());

            page.waitForSelector("[data-testid=photo-card][data-status=needs-corners]", WAIT);
            assertTrue(
                    page.textContent("[data-testid=photo-status]").contains("drag the four corners"),
                    page.textContent("[data-testid=photo-status]"));
            assertEquals(
                    List.of("low-confidence"),
                    page.locator("[data-testid=photo-problems] li").all().stream()
                            .map(li -> li.getAttribute("data-code"))
                            .toList());
            assertEquals(0, page.locator("[data-testid=photo-rectified]").count(), "nothing rectified yet");
            Locator photo = page.locator("[data-testid=photo-corner-editor] img");
            page.waitForFunction(
                    "() => { const i = document.querySelector('[data-testid=photo-corner-editor] img');"
                            + " return i && i.complete && i.naturalWidth > 0; }",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            photo.scrollIntoViewIfNeeded();
            BoundingBox shown = photo.boundingBox();
            double scale = shown.width / SimulatedPhoto.PHOTO_W;
            assertEquals(SimulatedPhoto.PHOTO_H * scale, shown.height, 1, "the photo keeps its aspect");

            // Drag each handle, as a user with a mouse, from where the page put it onto the image's true corner.
            for (int i = 0; i < 4; i++) {
                BoundingBox handle = page.locator("[data-testid=photo-corner-overlay] [data-corner=" + HANDLES[i] + "]")
                        .boundingBox();
                double fromX = handle.x + handle.width / 2;
                double fromY = handle.y + handle.height / 2;
                double toX = shown.x + SimulatedPhoto.CORNERS[i][0] * scale;
                double toY = shown.y + SimulatedPhoto.CORNERS[i][1] * scale;
                page.mouse().move(fromX, fromY);
                page.mouse().down();
                page.mouse().move(toX, toY, new Mouse.MoveOptions().setSteps(8));
                page.mouse().up();
            }
            String photoId = page.getAttribute("[data-testid=photo-card]", "data-photo-id");
            page.click("[data-testid=photo-corners-send]");

            page.waitForSelector("[data-testid=photo-card][data-status=stored]", WAIT);
            page.waitForFunction(
                    "() => { const i = document.querySelector('[data-testid=photo-rectified]');"
                            + " return i && i.complete && i.naturalWidth > 0; }",
                    null,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertEquals(0, page.locator("[data-testid=photo-corner-editor]").count(), "the editor is gone");
            assertEquals(1, page.locator("[data-testid=photo-open-study]").count(), "stored: open it in the viewer");

            JsonNode state = json(context.request().get(server.http() + "/api/photos/" + photoId));
            assertEquals("manual", state.path("cornersSource").asText(), state.toString());
            assertEquals(1.0, state.path("quad").path("confidence").asDouble(), 1e-9, state.toString());
            JsonNode corners = state.path("quad").path("corners");
            for (int i = 0; i < 4; i++) {
                double dx = corners.get(i).get(0).asDouble() - SimulatedPhoto.CORNERS[i][0];
                double dy = corners.get(i).get(1).asDouble() - SimulatedPhoto.CORNERS[i][1];
                // One displayed pixel is 1/scale photo pixels: the mouse lands within about one of them.
                assertTrue(Math.hypot(dx, dy) < 2 / scale + 0.5, HANDLES[i] + " at " + corners.get(i));
            }
            // What was rectified with those corners is the image on the screen.
            APIResponse rectified = context.request().get(server.http() + "/api/photos/" + photoId + "/rectified");
            assertEquals(200, rectified.status());
            double psnr = SimulatedPhoto.psnr(
                    SimulatedPhoto.displayedOnBlack(),
                    SimulatedPhoto.grey(rectified.body(), SimulatedPhoto.SOURCE, SimulatedPhoto.SOURCE));
            System.out.printf("rectified with dragged corners: %.1f dB against the screen's image%n", psnr);
            // Measured 29.0 dB; corners 2 px off give about 26 dB (docs/photo-intake.md, "Rectification").
            assertTrue(psnr > 25, "rectified PSNR " + psnr + " dB");
            assertTrue(state.path("secondaryCapture").path("sopUid").asText().length() > 10, state.toString());
        }
        assertTrue(pageErrors.isEmpty(), pageErrors.toString());
    }

    @Test
    void aBlurredPhotoGetsTheRetakeAdviceNamingTheBlur() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1000, 900))) {
            Page page = context.newPage();
            page.onPageError(e -> pageErrors.add(String.valueOf(e)));
            PhotoPages.send(page, server, studyUid, "shaky.jpg", SimulatedPhoto.blurredJpeg(3));

            page.waitForSelector("[data-testid=photo-card][data-status=retake]", WAIT);
            assertEquals("Please retake this photo.", page.textContent("[data-testid=photo-status]"));
            Locator blur = page.locator("[data-testid=photo-problems] li[data-code=blur]");
            assertEquals(1, blur.count(), page.textContent("[data-testid=photo-card]"));
            assertTrue(blur.textContent().startsWith("Too blurred"), blur.textContent());
            assertTrue(blur.textContent().contains("hold the phone still"), blur.textContent());
            assertEquals(0, page.locator("[data-testid=photo-rectified]").count(), "nothing restored for a retake");
            assertEquals(0, page.locator("[data-testid=photo-open-study]").count(), "nothing stored");
        }
        assertTrue(pageErrors.isEmpty(), pageErrors.toString());
    }

    private static JsonNode json(APIResponse response) throws Exception {
        assertEquals(200, response.status(), response.text());
        return new ObjectMapper().readTree(response.text());
    }
}
