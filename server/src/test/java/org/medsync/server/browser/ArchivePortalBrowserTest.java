package org.medsync.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.server.TestServer;

/**
 * The archive portal in real Chromium, served by a real MedSync server (its app bundle and its Content-Security-Policy):
 * HLS made by the shipped FFmpeg (H.264 fMP4, keyframe every 2 s) plays through hls.js, a seek to a requested second
 * shows a frame within one GOP of it, and frames advance while playing.
 *
 * <p>{@link #sharedLinkPlayer_playsHls_andSeeksWithinOneGop} drives the share-link page, whose archive routes
 * (/api/archive/links/...) it answers from the rendition on disk, shaped as /work/wt/ARCHIVE.md says the server
 * answers them, so the player is tested before and independently of the server's recordings routes.
 * {@link #uploadLibraryPlayer_endToEnd} goes through the real routes (tus upload from the browser, the transcode job,
 * the library, the player) and runs only on a server that has them.
 */
class ArchivePortalBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double GOP_SECONDS = 2.0;
    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions().setTimeout(30_000);

    private static TestServer server;
    private static Chromium chromium;
    private static Path media;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        media = Files.createTempDirectory(Path.of("/tmp"), "medsync-archive-portal-");
        makeMedia(media);
        server = TestServer.start(false, new Properties());
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
        if (media != null) {
            try (var walk = Files.walk(media)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * An 8 s 640x360 25 fps H.264 ladder rung as the transcode job writes one (fMP4 HLS, -g 50 with scene cuts off,
     * so a keyframe exactly every 2 s), a storyboard of one tile every 2 s, and a 6 s MP4 to upload.
     */
    private static void makeMedia(Path dir) throws Exception {
        Path rung = Files.createDirectories(dir.resolve("renditions/hls-360"));
        ffmpeg(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=25:duration=8",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-g",
                "50",
                "-keyint_min",
                "50",
                "-sc_threshold",
                "0",
                "-b:v",
                "600k",
                "-f",
                "hls",
                "-hls_time",
                "2",
                "-hls_playlist_type",
                "vod",
                "-hls_segment_type",
                "fmp4",
                "-hls_fmp4_init_filename",
                "init.mp4",
                "-hls_segment_filename",
                rung.resolve("seg-%05d.m4s").toString(),
                rung.resolve("index.m3u8").toString()));
        Path storyboard = Files.createDirectories(dir.resolve("renditions/storyboard"));
        ffmpeg(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=25:duration=8",
                "-vf",
                "fps=1/2,scale=160:90,tile=4x1",
                "-frames:v",
                "1",
                storyboard.resolve("storyboard.jpg").toString()));
        Files.writeString(
                dir.resolve("playlist.m3u8"),
                "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                        + "#EXT-X-STREAM-INF:BANDWIDTH=700000,RESOLUTION=640x360,CODECS=\"avc1.64001e\"\n"
                        + "renditions/hls-360/index.m3u8\n");
        ffmpeg(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=640x360:rate=25:duration=6",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                "50",
                "-movflags",
                "+faststart",
                dir.resolve("case.mp4").toString()));
    }

    private static void ffmpeg(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        all.addAll(args);
        Process p =
                FfmpegProgram.ffmpeg().command(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg finished");
        assertEquals(0, p.exitValue(), "ffmpeg failed: " + out);
    }

    @Test
    void sharedLinkPlayer_playsHls_andSeeksWithinOneGop() throws Exception {
        try (BrowserContext context = newContext()) {
            String token = "portal-test-token";
            String base = "/api/archive/links/" + token;
            context.route("**" + base + "**", route -> serveLink(route, base));
            Page page = context.newPage();
            List<String> errors = consoleErrors(page);
            List<String> workers = new CopyOnWriteArrayList<>();
            page.onWorker(w -> workers.add(w.url()));

            page.navigate(server.http() + "/#/archive/link/" + token);
            page.waitForSelector("video[data-testid=archive-video][data-state=ready]", WAIT);
            assertEquals("hls.js", page.getAttribute("[data-testid=archive-video]", "data-engine"));
            // hls.js transmuxes in its own worker, a same-origin file: allowed by worker-src 'self'.
            assertTrue(
                    workers.stream().anyMatch(u -> u.contains("hls.worker")),
                    "hls.js started its worker under the server's CSP: " + workers);

            assertSeekLandsWithinOneGop(page, 5.3);
            assertSeekLandsWithinOneGop(page, 1.0);
            assertFramesAdvance(page);

            // A quality flag on the timeline seeks to its start; hovering shows the storyboard tile of that time.
            page.click("[data-testid=timeline-flag][data-kind=frozen]");
            page.waitForFunction(
                    "() => Math.abs(document.querySelector('[data-testid=archive-video]').currentTime - 4) < 0.05");
            var track = page.locator("[data-testid=timeline-track]").boundingBox();
            page.mouse().move(track.x + track.width * 0.8, track.y + track.height / 2);
            page.waitForSelector("[data-testid=storyboard-preview][data-tile='3']", WAIT);

            assertEquals(List.of(), errors, "console errors (CSP violations show here)");
        }
    }

    @Test
    void uploadLibraryPlayer_endToEnd() throws Exception {
        HttpClient admin = server.login("admin");
        int status = get(admin, "/api/archive/recordings").statusCode();
        assumeTrue(status == 200, "the server has no archive recordings routes yet (GET answered " + status + ")");
        HttpResponse<String> hospital = send(
                admin,
                "POST",
                "/api/archive/hospitals",
                "{\"id\":\"portal-hospital\",\"name\":\"Portal Test Hospital\",\"masterPolicy\":\"keep\"}");
        assertTrue(hospital.statusCode() / 100 == 2 || hospital.statusCode() == 409, hospital.body());
        // A study in the library, so the recording can belong to it and show in the worklist.
        Path studyDir = Files.createDirectories(media.resolve("study"));
        Files.copy(
                Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"),
                studyDir.resolve("CT_small.dcm"),
                StandardCopyOption.REPLACE_EXISTING);
        server.server().library().importer().importDirectory(studyDir);
        String studyUid = JSON.readTree(get(admin, "/api/worklist").body())
                .findValue("studyInstanceUid")
                .asText();

        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            List<String> errors = consoleErrors(page);
            ViewerPage.signIn(page, server.http(), "admin");
            page.click("[data-testid=nav-archive]");
            page.waitForSelector(
                    "[data-testid=library-status]",
                    new Page.WaitForSelectorOptions()
                            .setState(WaitForSelectorState.ATTACHED)
                            .setTimeout(30_000));
            page.click("[data-testid=archive-upload-link]");
            page.fill("[data-testid=upload-hospital]", "portal-hospital");
            page.fill("[data-testid=upload-operatingRoom]", "OR 7");
            page.fill("[data-testid=upload-procedure]", "Portal test procedure");
            page.fill("[data-testid=upload-studyUid]", studyUid);
            page.setInputFiles("[data-testid=archive-file-input]", media.resolve("case.mp4"));
            page.click("[data-testid=upload-start]");
            page.waitForSelector(
                    "[data-testid=upload-row][data-state=done][data-recording-id]",
                    new Page.WaitForSelectorOptions().setTimeout(120_000));
            String id = page.getAttribute("[data-testid=upload-row]", "data-recording-id");
            assertNotNull(id);

            page.navigate(server.http() + "/#/archive");
            page.fill("[data-testid=library-procedure]", "Portal test");
            page.press("[data-testid=library-procedure]", "Enter");
            page.click("[data-testid=recording-row][data-recording-id='" + id + "']", new Page.ClickOptions());
            // The transcode job runs on this node's worker; the page polls until the playlist exists.
            page.waitForSelector(
                    "video[data-testid=archive-video][data-state=ready]",
                    new Page.WaitForSelectorOptions().setTimeout(300_000));
            page.waitForSelector("[data-testid=rendition-row][data-name^=hls]", WAIT);
            assertSeekLandsWithinOneGop(page, 3.5);
            assertFramesAdvance(page);

            // The recording appears in the worklist with its study, and leads back to it.
            page.navigate(server.http() + "/#/worklist");
            String studyRow = "[data-testid=worklist-row][data-study-uid='" + studyUid + "']";
            page.click(studyRow + " [data-testid=worklist-recordings]");
            page.waitForSelector("[data-testid=library-study-filter]", WAIT);
            page.waitForSelector("[data-testid=recording-row][data-recording-id='" + id + "']", WAIT);
            assertEquals(List.of(), errors, "console errors");
        }
    }

    /**
     * Seeks through the page's "go to" box and waits for the frame the video then presents: it must show a time within
     * one GOP (2 s) of the one asked for. The media time of that frame (requestVideoFrameCallback) is what the user
     * sees; currentTime alone would only echo the request.
     */
    @SuppressWarnings("unchecked")
    private static void assertSeekLandsWithinOneGop(Page page, double target) {
        // A paused video presents the frame it seeked to; should headless Chromium composite none while paused, the
        // promise plays after 2 s and takes the first frame then (still the seek's frame), and says which it was.
        page.evaluate("() => { const v = document.querySelector('[data-testid=archive-video]');"
                + " window.__seekResult = new Promise((resolve) => {"
                + "  let seeked = false;"
                + "  const timer = setTimeout(() => resolve({timeout: true, seeked, currentTime: v.currentTime,"
                + "   readyState: v.readyState, paused: v.paused, buffered: v.buffered.length"
                + "    ? v.buffered.start(0) + '-' + v.buffered.end(v.buffered.length - 1) : ''}), 25000);"
                + "  v.addEventListener('seeked', () => { seeked = true; const seekedAt = v.currentTime; let done = false;"
                + "   const kick = setTimeout(() => { if (!done) v.play().catch(() => undefined); }, 2000);"
                + "   v.requestVideoFrameCallback((now, m) => { done = true; clearTimeout(kick); clearTimeout(timer);"
                + "    const played = !v.paused; v.pause();"
                + "    resolve({currentTime: seekedAt, mediaTime: m.mediaTime, played}); }); }, {once: true}); }); }");
        page.fill("[data-testid=seek-input]", String.valueOf(target));
        page.press("[data-testid=seek-input]", "Enter");
        Map<String, Object> result = (Map<String, Object>) page.evaluate("() => window.__seekResult");
        assertTrue(!result.containsKey("timeout"), "no frame presented after seeking to " + target + ": " + result);
        double currentTime = ((Number) result.get("currentTime")).doubleValue();
        double mediaTime = ((Number) result.get("mediaTime")).doubleValue();
        System.out.printf(
                "archive portal: seek to %.2f s -> currentTime %.3f s, frame shown %.3f s (off by %.3f s)%s%n",
                target,
                currentTime,
                mediaTime,
                mediaTime - target,
                Boolean.TRUE.equals(result.get("played")) ? ", presented once playing" : ", presented paused");
        assertTrue(Math.abs(currentTime - target) <= GOP_SECONDS, "currentTime " + currentTime + " for " + target);
        assertTrue(
                Math.abs(mediaTime - target) <= GOP_SECONDS,
                "the frame shown after seeking to " + target + " s is at " + mediaTime + " s");
    }

    /** Plays for about a second: frames are presented and their media times move forward. */
    @SuppressWarnings("unchecked")
    private static void assertFramesAdvance(Page page) {
        Map<String, Object> r = (Map<String, Object>) page.evaluate("() => new Promise((resolve) => {"
                + " const v = document.querySelector('[data-testid=archive-video]');"
                + " const seen = []; let stop = false;"
                + " const onFrame = (now, m) => { seen.push(m); if (!stop) v.requestVideoFrameCallback(onFrame); };"
                + " v.requestVideoFrameCallback(onFrame);"
                + " v.play().catch((e) => resolve({error: String(e)}));"
                + " setTimeout(() => { stop = true; v.pause(); resolve({"
                + "  frames: seen.length,"
                + "  firstTime: seen.length ? seen[0].mediaTime : -1,"
                + "  lastTime: seen.length ? seen[seen.length - 1].mediaTime : -1,"
                + "  presented: seen.length ? seen[seen.length - 1].presentedFrames - seen[0].presentedFrames : 0"
                + " }); }, 1500); })");
        assertTrue(!r.containsKey("error"), "play() failed: " + r.get("error"));
        int frames = ((Number) r.get("frames")).intValue();
        double first = ((Number) r.get("firstTime")).doubleValue();
        double last = ((Number) r.get("lastTime")).doubleValue();
        System.out.printf(
                "archive portal: playing 1.5 s presented %d frames, media time %.3f -> %.3f s%n", frames, first, last);
        assertTrue(frames >= 5, "frames presented while playing: " + frames);
        assertTrue(last - first >= 0.3, "media time moved from " + first + " to " + last);
    }

    /**
     * The link routes of the contract, answered from {@link #media}: the summary (anonymized, with flags and the
     * storyboard) and the playlist and rendition files with their content types.
     */
    private static void serveLink(Route route, String base) {
        String path = URI.create(route.request().url()).getPath();
        try {
            if (path.equals(base)) {
                var summary = JSON.createObjectNode()
                        .put("id", "1")
                        .put("title", "Test pattern")
                        .put("status", "ready")
                        .put("anonymized", true)
                        .put("durationSeconds", 8.0)
                        .put("startedAt", "2026-12-01T08:00:00Z")
                        .put("playlist", base + "/playlist.m3u8");
                var flags = summary.putArray("flags");
                flags.addObject().put("kind", "black").put("start", 0.0).put("end", 0.6);
                flags.addObject().put("kind", "frozen").put("start", 4.0).put("end", 5.5);
                summary.putObject("storyboard")
                        .put("intervalSeconds", 2)
                        .put("columns", 4)
                        .put("rows", 1)
                        .put("tileWidth", 160)
                        .put("tileHeight", 90)
                        .put("count", 4)
                        .put("image", base + "/renditions/storyboard/storyboard.jpg");
                route.fulfill(new Route.FulfillOptions()
                        .setStatus(200)
                        .setContentType("application/json")
                        .setBody(JSON.writeValueAsString(summary)));
                return;
            }
            Path file = media.resolve(path.substring(base.length() + 1)).normalize();
            if (!file.startsWith(media) || !Files.isRegularFile(file)) {
                route.fulfill(new Route.FulfillOptions().setStatus(404));
                return;
            }
            route.fulfill(new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType(contentType(file))
                    .setBodyBytes(Files.readAllBytes(file)));
        } catch (IOException e) {
            route.fulfill(new Route.FulfillOptions().setStatus(500).setBody(e.getMessage()));
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (name.endsWith(".m4s")) {
            return "video/iso.segment";
        }
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        return name.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
    }

    private static BrowserContext newContext() {
        return chromium.browser()
                .newContext(new Browser.NewContextOptions()
                        .setViewportSize(1280, 900)
                        .setDeviceScaleFactor(1));
    }

    private static List<String> consoleErrors(Page page) {
        List<String> errors = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                errors.add(m.text());
            }
        });
        page.onPageError(e -> errors.add("page error: " + e));
        return errors;
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path, String body)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Origin", server.http().toString().replaceAll("/$", ""))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
