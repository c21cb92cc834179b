package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.gateway.flow.FlowGateway;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.ViewerPage;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * A live OR end to end in real Chromium: a test-pattern RTV transmitter on loopback -> the server's OR gateway (one
 * x264 encode) -> Debian's Janus (Streaming plugin, started by the server) -> the #/or page of an attending. The
 * frames arrive and decode: the transmitter's burned-in stamp (the RTV frame's RTP timestamp, 32 black/white cells),
 * read from the video's pixels in requestVideoFrameCallback, is a frame the transmitter sent. A student gets 403 and
 * no media. Each viewing is recorded and listed for the administrator.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OrGatewayBrowserTest {
    /** 720 lines (the transmitter paces 720 and 1080), 10 fps: the 2-core build host also runs the browser. */
    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Transmitter tx;
    private static TestServer server;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        tx = new Transmitter(
                "Endoscope", v -> new TestPatternSource("ENDOSCOPE", v), new SystemMediaClock(), "127.0.0.1", "lo");
        tx.configure(new TransmitterConfig(
                F,
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                1,
                "1.2.840.10008.10.1",
                Dataset.of(DataElement.text(Tags.STATION_NAME, Vr.SH, "OR-3-ENDO"))));
        tx.start();
        Path sdp = Files.createTempFile("or3-endoscope", ".sdp");
        Files.writeString(sdp, tx.sdp());
        Properties p = new Properties();
        p.setProperty("ors", "or3");
        p.setProperty("or.or3.name", "OR 3");
        p.setProperty("or.or3.procedure", "Laparoscopic cholecystectomy");
        p.setProperty("or.or3.flows", "endoscope");
        p.setProperty("or.or3.flow.endoscope.sdp", sdp.toString());
        p.setProperty("or.or3.roles", "attending,resident");
        // Janus 1.1 gathers no loopback candidates: with "lo" it offers the host's own addresses, whose packets stay
        // on this host.
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", "43000-43199");
        p.setProperty("or.sfu.ingest-ports", "43200-43299");
        // A loaded build host renders the test pattern late: a generous playout latency keeps frames unconcealed.
        p.setProperty("or.gateway.latency-ms", "400");
        p.setProperty("or.gateway.bitrate-kbps", "2000");
        server = TestServer.start(false, p);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        long janus = server == null ? -1 : server.server().ors().janusPid();
        if (server != null) {
            server.close();
        }
        if (janus > 0) {
            assertFalse(
                    ProcessHandle.of(janus).map(ProcessHandle::isAlive).orElse(false),
                    "Janus's watchdog stops with the server");
        }
        if (tx != null) {
            tx.close();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static BrowserContext newContext() {
        return chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    /**
     * Reads the stamp of {@code n} displayed frames in requestVideoFrameCallback: the frame is drawn to a canvas at
     * its own size and the 32 cells (8 px, at 16,16) are thresholded on luma. Resolves to [stamp, rtpTimestamp] per
     * frame; a frame without a readable stamp (start and end cells absent) gives stamp -1.
     */
    private static final String READ_STAMPS = """
            n => new Promise((resolve, reject) => {
              const v = document.querySelector('[data-testid=or-video]');
              const c = document.createElement('canvas');
              const g = c.getContext('2d', { willReadFrequently: true });
              const out = [];
              const luma = (d, x) => 0.299 * d[x * 4] + 0.587 * d[x * 4 + 1] + 0.114 * d[x * 4 + 2];
              const frame = (now, meta) => {
                c.width = v.videoWidth; c.height = v.videoHeight;
                g.drawImage(v, 0, 0);
                const d = g.getImageData(0, 20, 16 + 34 * 8, 1).data;
                let stamp = -1;
                if (luma(d, 20) > 180 && luma(d, 16 + 33 * 8 + 4) < 60) {
                  stamp = 0;
                  for (let i = 0; i < 32; i++) stamp = stamp * 2 + (luma(d, 16 + (i + 1) * 8 + 4) > 128 ? 1 : 0);
                }
                out.push([stamp, meta.rtpTimestamp ?? -1, v.videoWidth]);
                if (out.length >= n) resolve(out); else v.requestVideoFrameCallback(frame);
              };
              v.requestVideoFrameCallback(frame);
              setTimeout(() => reject(new Error('only ' + out.length + ' frames in 60 s')), 60000);
            })""";

    @Test
    void anAttendingWatchesTheFlow_framesDecodeToTheSourcesStamps_andTheViewingIsRecorded() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "attending");
            page.navigate(server.http() + "/#/worklist");
            page.waitForSelector("[data-testid=live-or-or3]").click();
            page.waitForSelector(
                    "[data-testid=or-status][data-state=playing]",
                    new Page.WaitForSelectorOptions()
                            .setState(WaitForSelectorState.ATTACHED)
                            .setTimeout(90_000));
            assertTrue(page.textContent("[data-testid=or-title]").contains("OR 3"));

            Object raw = page.evaluate(READ_STAMPS, 30);
            @SuppressWarnings("unchecked")
            List<List<Number>> frames = (List<List<Number>>) raw;
            long perFrame = 90_000 / 10;
            long previous = -1;
            int stamped = 0;
            int distinct = 1;
            Long offset = null;
            boolean constantOffset = true;
            for (List<Number> f : frames) {
                long stamp = f.get(0).longValue();
                assertEquals(1280, f.get(2).intValue(), "the flow's own size reaches the browser");
                if (stamp < 0) {
                    continue;
                }
                stamped++;
                boolean moved = previous < 0 || stamp != previous;
                if (previous >= 0) {
                    long step = (stamp - previous) & 0xFFFF_FFFFL;
                    // 0: the receiver concealed a late frame by repeating the last good one (a loaded host)
                    assertTrue(
                            step % perFrame == 0 && step <= 50 * perFrame,
                            "stamps of successive displayed frames are successive source frames: " + previous + " -> "
                                    + stamp);
                    if (step > 0) {
                        distinct++;
                    }
                }
                previous = stamp;
                long rtp = f.get(1).longValue();
                if (rtp >= 0 && moved) {
                    long o = (rtp - stamp) & 0xFFFF_FFFFL;
                    if (offset != null && o != offset) {
                        constantOffset = false;
                    }
                    offset = o;
                }
            }
            assertTrue(stamped >= 25, stamped + " of 30 displayed frames carry a readable stamp: " + frames);
            assertTrue(distinct >= 15, "the picture moves on: " + distinct + " different source frames in " + frames);
            FlowGateway.Status g = server.server().ors().gatewayStatus("or3", "endoscope");
            assertNotNull(g, "the flow's gateway runs while someone watches");
            long ahead = (g.lastRtpTimestamp() - previous) & 0xFFFF_FFFFL;
            assertTrue(ahead < 90_000 * 30, "the last stamp shown is a frame the gateway encoded recently: " + ahead);
            System.out.println("OR gateway browser test: stamps " + frames.size() + ", RTP timestamp offset (browser"
                    + " minus RTV) " + offset + (constantOffset ? " constant" : " NOT constant") + "; gateway " + g);

            page.waitForSelector("[data-testid=or-viewers][data-count='1']");
            assertEquals(Map.of("or3/endoscope", 1), server.server().ors().viewerCounts());
            page.navigate(server.http() + "/#/worklist");
            page.waitForSelector("[data-testid=live-or-or3]");
        }
        // Recorded in PostgreSQL: who, which OR and flow, from when to when (leaving the page ends it).
        ViewingLog log = new ViewingLog(server.server().dataSource(), "test");
        ViewingLog.Viewing v = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            v = log.latest(1).stream().findFirst().orElse(null);
            if (v != null && v.ended() != null) {
                break;
            }
            Thread.sleep(250);
        }
        assertNotNull(v, "the viewing is recorded");
        assertEquals("attending", v.username());
        assertEquals("or3", v.orId());
        assertEquals("endoscope", v.flow());
        assertNotNull(v.ended(), "leaving the page ends the viewing: " + v);
        assertTrue(!v.ended().isBefore(v.started()));
        assertEquals(
                403, get(server.login("attending"), "/api/admin/or-viewings").statusCode());
        // Admins list it: who watched which OR and flow, from when to when.
        HttpResponse<String> listed = get(server.login("admin"), "/api/admin/or-viewings");
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(
                listed.body().contains("\"username\":\"attending\"")
                        && listed.body().contains("\"orId\":\"or3\"")
                        && listed.body().contains("\"ended\":\"" + v.ended() + "\""),
                listed.body());
    }

    @Test
    void aStudentIsNotOnTheAllowList_getsForbidden_andNoMedia() throws Exception {
        HttpClient student = server.login("student");
        assertEquals(
                "[]", JSON.readTree(get(student, "/api/ors").body()).path("ors").toString());
        HttpResponse<String> watch = student.send(
                HttpRequest.newBuilder(server.http().resolve("/api/ors/or3/watch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, watch.statusCode(), watch.body());
        assertEquals("forbidden", JSON.readTree(watch.body()).path("error").asText());
        assertFalse(watch.body().contains("v=0"), "no offer");
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "student");
            page.navigate(server.http() + "/#/or/or3");
            page.waitForSelector("[data-testid=or-status][data-state=forbidden]");
            assertEquals(
                    Boolean.TRUE,
                    page.evaluate("() => [...document.querySelectorAll('video')].every(v => v.srcObject === null)"));
        }
        assertEquals(
                0,
                server.server().ors().viewerCounts().getOrDefault("or3/endoscope", 0),
                "nobody watches on the student's behalf");
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
