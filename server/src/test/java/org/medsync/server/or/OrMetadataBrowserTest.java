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
import com.microsoft.playwright.Response;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * Issue 12 items 2 and 3 in real Chromium, through the real gateway and Janus: the overlay drawn over the video is the
 * metadata of exactly the frame on screen (the transmitter's burned-in stamp read from the pixels against the Frame
 * Origin Timestamp the overlay shows, which changes every frame); a student's page never receives the patient's
 * identity on any wire; who may watch is the administrator's, changed through the API and the admin page, at once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class OrMetadataBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the OR's worklist entry says about the patient; none of it may reach a student. */
    private static final List<String> IDENTITY = List.of("DOE^JANE", "PID-4711", "19700101", "ACC-0815");

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
                OrGatewayBrowserTest.F,
                new TransmitterConfig.Endpoint("127.0.0.1", OrGatewayBrowserTest.freeUdpPort()),
                new TransmitterConfig.Endpoint("127.0.0.1", OrGatewayBrowserTest.freeUdpPort()),
                1,
                "1.2.840.10008.10.1",
                Dataset.of(
                        DataElement.text(Tags.STATION_NAME, Vr.SH, "OR-3-ENDO"),
                        DataElement.text(Tags.PATIENT_NAME, Vr.PN, "DOE^JANE"),
                        DataElement.text(Tags.PATIENT_ID, Vr.LO, "PID-4711"),
                        DataElement.text(Tags.PATIENT_BIRTH_DATE, Vr.DA, "19700101"),
                        DataElement.text(Tags.ACCESSION_NUMBER, Vr.SH, "ACC-0815"))));
        tx.start();
        Path sdp = Files.createTempFile("or3-endoscope", ".sdp");
        Files.writeString(sdp, tx.sdp());
        Properties p = new Properties();
        p.setProperty("ors", "or3,or4");
        p.setProperty("or.or3.name", "OR 3");
        p.setProperty("or.or3.procedure", "Laparoscopic cholecystectomy (teaching)");
        p.setProperty("or.or3.flows", "endoscope");
        p.setProperty("or.or3.flow.endoscope.sdp", sdp.toString());
        p.setProperty("or.or3.roles", "attending,resident,student");
        p.setProperty("or.or3.teaching", "true");
        p.setProperty("or.or4.name", "OR 4");
        p.setProperty("or.or4.flows", "endoscope");
        p.setProperty("or.or4.flow.endoscope.sdp", sdp.toString());
        p.setProperty("or.or4.roles", "attending,student");
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", "45400-45599");
        p.setProperty("or.sfu.ingest-ports", "45600-45699");
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
        if (server != null) {
            server.close();
        }
        if (tx != null) {
            tx.close();
        }
    }

    private static BrowserContext newContext() {
        return chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    private static void waitPlaying(Page page) {
        page.waitForSelector(
                "[data-testid=or-status][data-state=playing]",
                new Page.WaitForSelectorOptions()
                        .setState(WaitForSelectorState.ATTACHED)
                        .setTimeout(90_000));
    }

    /**
     * For {@code n} displayed frames, in requestVideoFrameCallback (the overlay's own callback, registered first, has
     * run for the same frame): the stamp from the pixels, the frame's viewer RTP timestamp, and what the overlay shows
     * for it (the viewer timestamp it drew for, the RTV timestamp it mapped that to, its state, zone 9's text).
     */
    private static final String READ_FRAMES = """
            n => new Promise((resolve, reject) => {
              const v = document.querySelector('[data-testid=or-video]');
              const o = () => document.querySelector('[data-testid=or-overlay]');
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
                const ov = o();
                out.push([stamp, meta.rtpTimestamp ?? -1, ov ? ov.getAttribute('data-video-rtp') : '',
                  ov ? ov.getAttribute('data-rtv-timestamp') : '', ov ? ov.getAttribute('data-state') : '',
                  document.querySelector('[data-testid=or-zone-9]')?.textContent ?? '']);
                if (out.length >= n) resolve(out); else v.requestVideoFrameCallback(frame);
              };
              v.requestVideoFrameCallback(frame);
              setTimeout(() => reject(new Error('only ' + out.length + ' frames in 120 s')), 120000);
            })""";

    @Test
    void theOverlayIsTheMetadataOfTheFrameOnScreen_over200Frames() throws Exception {
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "attending");
            page.navigate(server.http() + "/#/or/or3");
            waitPlaying(page);
            // the static part is there at once, identified for an attending
            page.waitForSelector("[data-testid=or-overlay][data-state=frame]");
            assertTrue(page.textContent("[data-testid=or-zone-1]").contains("PatientName: DOE^JANE"));
            assertTrue(page.textContent("[data-testid=or-zone-3]").contains("StationName: OR-3-ENDO"));
            FlowGateway.Status before = server.server().ors().gatewayStatus("or3", "endoscope");

            @SuppressWarnings("unchecked")
            List<List<Object>> frames = (List<List<Object>>) page.evaluate(READ_FRAMES, 230);
            FlowGateway.Status after = server.server().ors().gatewayStatus("or3", "endoscope");
            FrameClock clock = FrameClock.video(OrGatewayBrowserTest.F.rate());
            int compared = 0;
            int stale = 0;
            List<String> late = new ArrayList<>();
            List<String> mismatches = new ArrayList<>();
            List<String> pictureMismatches = new ArrayList<>();
            for (List<Object> f : frames) {
                long stamp = ((Number) f.get(0)).longValue();
                long viewerRtp = ((Number) f.get(1)).longValue();
                String drawnFor = (String) f.get(2);
                String rtv = (String) f.get(3);
                String state = (String) f.get(4);
                String zone9 = (String) f.get(5);
                if (stamp < 0 || viewerRtp < 0) {
                    continue;
                }
                if (!drawnFor.equals(Long.toString(viewerRtp))) {
                    stale++;
                    continue;
                }
                if (!state.equals("frame")) {
                    late.add(f.toString());
                    continue;
                }
                // The overlay's content: the Frame Origin Timestamp (TAI) of the metadata it shows, as the RTP
                // timestamp of that frame - against the frame the pixels are.
                String origin = zone9.replaceAll(".*FrameOriginTimestamp: ([0-9]+)\\.([0-9]{9}).*", "$1 $2");
                String[] sn = origin.split(" ");
                long tai = Long.parseLong(sn[0]) * 1_000_000_000L + Long.parseLong(sn[1]);
                long shownRtp = clock.rtpTimestamp(clock.frameAtOrAfter(tai));
                compared++;
                if (shownRtp != Long.parseLong(rtv)) {
                    mismatches.add("overlay text " + shownRtp + " vs its timestamp " + rtv);
                }
                if (shownRtp != stamp) {
                    pictureMismatches.add(stamp + "->" + shownRtp);
                }
            }
            long concealed = after.framesConcealed() - before.framesConcealed();
            System.out.println("OR metadata browser test: " + compared + " frames compared, " + stale
                    + " read before the overlay's callback, " + late.size() + " before their metadata, "
                    + pictureMismatches.size()
                    + " picture mismatches, gateway concealed " + concealed);
            assertTrue(compared >= 200, "frames compared: " + compared + " of " + frames.size());
            assertEquals(0, stale, "the overlay had drawn every frame before the test read it");
            // A frame whose own part had not arrived when it was shown (a socket message delayed on a loaded host)
            // shows the static part alone, never another frame's: the overlay completes when it arrives.
            assertTrue(late.size() <= compared / 20, "frames shown before their own metadata arrived: " + late);
            assertEquals(List.of(), mismatches);
            // A frame the gateway's receiver concealed (late on a loaded host) repeats the last good picture under
            // its own timestamp and metadata: only those may differ from the pixels.
            assertTrue(
                    pictureMismatches.size() <= concealed,
                    "the overlay belongs to the picture on screen: " + pictureMismatches + ", concealed " + concealed);
        }
    }

    /** Wraps every RTCDataChannel the page opens or is given, keeping each message it receives. */
    private static final String DATA_CHANNEL_HOOK = """
            (() => {
              window.__dcMessages = [];
              const keep = ch => ch.addEventListener('message', e =>
                window.__dcMessages.push(typeof e.data === 'string' ? e.data : '[binary ' + (e.data.byteLength ?? e.data.size) + ']'));
              const P = window.RTCPeerConnection;
              const create = P.prototype.createDataChannel;
              P.prototype.createDataChannel = function (...a) { const ch = create.apply(this, a); keep(ch); return ch; };
              window.RTCPeerConnection = function (...a) {
                const pc = new P(...a);
                pc.addEventListener('datachannel', e => keep(e.channel));
                return pc;
              };
              window.RTCPeerConnection.prototype = P.prototype;
            })()""";

    @Test
    void aStudentsPageNeverReceivesTheIdentity_onAnyWire_andLosesTheFlowWhenTheAdminRevokes() throws Exception {
        List<String> wire = new CopyOnWriteArrayList<>();
        List<Response> responses = new CopyOnWriteArrayList<>();
        int[] metadataFrames = {0};
        try (BrowserContext context = newContext()) {
            context.addInitScript(DATA_CHANNEL_HOOK);
            Page page = context.newPage();
            page.onWebSocket((WebSocket ws) -> {
                ws.onFrameReceived(f -> {
                    String t = f.text() != null ? f.text() : new String(f.binary(), StandardCharsets.UTF_8);
                    wire.add(t);
                    if (t.contains("\"type\":\"frame\"")) {
                        metadataFrames[0]++;
                    }
                });
                ws.onFrameSent(f -> wire.add(f.text() != null ? f.text() : ""));
            });
            page.onResponse(responses::add);
            ViewerPage.signIn(page, server.http(), "student");
            page.navigate(server.http() + "/#/or/or3");
            waitPlaying(page);
            page.waitForSelector("[data-testid=or-overlay][data-deidentified=true]");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (metadataFrames[0] < 30 && System.nanoTime() < deadline) {
                page.waitForTimeout(250);
            }
            assertTrue(metadataFrames[0] >= 30, "the student's page gets frame metadata: " + metadataFrames[0]);
            String zone1 = page.textContent("[data-testid=or-zone-1]");
            assertTrue(zone1.contains("PatientName"), zone1);
            for (Response r : responses) {
                try {
                    wire.add(r.url() + " " + new String(r.body(), StandardCharsets.UTF_8));
                } catch (RuntimeException gone) {
                    // a body Chromium no longer holds (a redirect, an aborted request): nothing of it reached JS
                }
            }
            @SuppressWarnings("unchecked")
            List<Object> dc = (List<Object>) page.evaluate("() => window.__dcMessages");
            dc.forEach(m -> wire.add(String.valueOf(m)));
            wire.add(page.content());
            assertTrue(wire.stream().anyMatch(w -> w.contains("\"type\":\"static\"")), "the static part arrived");
            for (String w : wire) {
                for (String identity : IDENTITY) {
                    assertFalse(
                            w.contains(identity) || w.contains(identity.replace("^", " ")),
                            "a student's page received " + identity + " in: "
                                    + w.substring(0, Math.min(300, w.length())));
                }
            }

            // The administrator revokes students from OR 3: the student's viewing ends at once (no media, no metadata).
            HttpResponse<String> put = send(
                    server.login("admin"),
                    "PUT",
                    "/api/admin/or-access/or3",
                    "{\"roles\": [\"attending\", \"resident\"], \"users\": [], \"teaching\": true}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(
                    "administrator", JSON.readTree(put.body()).path("source").asText());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.server().ors().viewerCounts().getOrDefault("or3/endoscope", 0) > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, server.server().ors().viewerCounts().getOrDefault("or3/endoscope", 0));
            assertEquals(0, server.server().ors().metadata().subscribers("or3/endoscope"), "the socket closed");
            assertEquals(403, get(server.login("student"), "/api/ors/or3").statusCode());
        } finally {
            assertEquals(
                    200,
                    send(server.login("admin"), "DELETE", "/api/admin/or-access/or3", null)
                            .statusCode());
        }
    }

    @Test
    void anUnauthorisedUserGets403AndNoMedia_untilTheAdminAllowsIt_onTheAdminPage() throws Exception {
        HttpClient student = server.login("student");
        // OR 4 lists students, but its procedure is no teaching one: the attribute rule refuses them.
        assertEquals(403, get(student, "/api/ors/or4").statusCode());
        HttpResponse<String> watch = send(student, "POST", "/api/ors/or4/watch", "{}");
        assertEquals(403, watch.statusCode(), watch.body());
        assertFalse(watch.body().contains("v=0"), "no offer");
        assertEquals(403, send(student, "PUT", "/api/admin/or-access/or4", "{}").statusCode(), "admins only");
        assertEquals(
                400,
                send(server.login("admin"), "PUT", "/api/admin/or-access/or4", "{\"roles\": [\"surgeon\"]}")
                        .statusCode());
        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "student");
            page.navigate(server.http() + "/#/or/or4");
            page.waitForSelector("[data-testid=or-status][data-state=forbidden]");
            assertEquals(
                    Boolean.TRUE,
                    page.evaluate("() => [...document.querySelectorAll('[data-testid=or-video]')]"
                            + ".every((v) => v.srcObject === null)"),
                    "no media on a refused page");
            assertEquals(0, page.querySelectorAll("[data-testid=or-overlay]").size(), "no overlay, no socket");
        }
        // A metadata socket of a viewing that is not the student's (or does not exist) is refused at the upgrade.
        HttpResponse<String> upgrade = get(student, "/api/ors/or3/viewings/not-a-viewing/metadata");
        assertTrue(upgrade.statusCode() >= 400, "upgrade of a foreign viewing: " + upgrade.statusCode());

        try (BrowserContext context = newContext()) {
            Page page = context.newPage();
            ViewerPage.signIn(page, server.http(), "admin");
            page.navigate(server.http() + "/#/or/access");
            page.waitForSelector("[data-testid=or-access-or4]");
            assertEquals("from the configuration", page.textContent("[data-testid=or-access-or4-note]"));
            page.check("[data-testid=or-access-or4-teaching]");
            page.click("[data-testid=or-access-or4-save]");
            page.waitForSelector("[data-testid=or-access-status][data-state=saved]");
            assertTrue(page.textContent("[data-testid=or-access-or4-note]").startsWith("set by admin"));
        }
        assertEquals(200, get(student, "/api/ors/or4").statusCode(), "effective at once");
        assertTrue(get(student, "/api/ors").body().contains("\"id\":\"or4\""));
        HttpResponse<String> listed = get(server.login("admin"), "/api/admin/or-access");
        Map<?, ?> or4 =
                JSON.convertValue(JSON.readTree(listed.body()).path("ors").path(1), Map.class);
        assertEquals(Boolean.TRUE, or4.get("teaching"));
        assertEquals("admin", or4.get("updatedBy"));
        assertNotNull(or4.get("updatedAt"));
        assertEquals(
                200,
                send(server.login("admin"), "DELETE", "/api/admin/or-access/or4", null)
                        .statusCode());
        assertEquals(403, get(student, "/api/ors/or4").statusCode(), "back to the configuration");
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
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
