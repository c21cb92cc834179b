package org.medsync.bench.readout;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.medsync.server.demo.DemoContent;

/**
 * What the readout benchmarks (this package's and the bandwidth benchmark) do with a participant's page, through
 * the test hooks of web/README.md.
 */
public final class Pages {
    /** Keeps every RTCPeerConnection the app creates, so a benchmark can read their stats (an init script). */
    public static final String KEEP_PEER_CONNECTIONS = """
            (() => {
              const Native = window.RTCPeerConnection;
              if (!Native || window.__benchPcs) return;
              window.__benchPcs = [];
              window.RTCPeerConnection = class extends Native {
                constructor(...args) { super(...args); window.__benchPcs.push(this); }
              };
            })();""";

    /**
     * The driver's page presses ArrowDown / ArrowUp at {@code hz} for {@code seconds}, between images 10 and 130;
     * returns [presses, ms]. Argument: {@code {seconds, hz}}.
     */
    public static final String SCROLL = """
            async ({seconds, hz}) => {
              let index = Number(document.querySelector('[data-testid=viewport]').getAttribute('data-image-index')), dir = 1, n = 0;
              const t0 = performance.now();
              await new Promise((done) => {
                const tick = () => {
                  if (performance.now() - t0 >= seconds * 1000) return done();
                  if (index >= 130) dir = -1; else if (index <= 10) dir = 1;
                  index += dir;
                  n++;
                  document.dispatchEvent(new KeyboardEvent('keydown', { key: dir > 0 ? 'ArrowDown' : 'ArrowUp', bubbles: true, cancelable: true }));
                  setTimeout(tick, Math.max(0, t0 + (n * 1000) / hz - performance.now()));
                };
                tick();
              });
              return [n, performance.now() - t0];
            }""";

    /** The viewport at the CT's 512x512, so every participant draws the same pixels. */
    static final String VIEWPORT_512 =
            "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}";

    /** A canvas's size and two sums over its red channel (grey images): equal canvases give equal strings. */
    static final String CANVAS_HASH =
            "(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " let s = 0, x = 0; for (let i = 0; i < d.length; i += 4) { s = (s * 31 + d[i]) >>> 0; x += d[i]; }"
                    + " return c.width + 'x' + c.height + ':' + s + ':' + x; }";

    /** The clock every page of one browser shares, in ms since the epoch. */
    static final String NOW = "() => performance.timeOrigin + performance.now()";

    private static final int TIMEOUT_MS = 30_000;

    private Pages() {}

    /**
     * Asks the web app for its readout diagnostics (web/README.md, "Readout": {@code window.__medsyncReadout}, whose
     * VIEW trace the benchmarks read); storage is denied on the blank page before the first navigation.
     */
    static final String DIAGNOSTICS_FLAG = "try { localStorage.setItem('medsync.diagnostics', '1'); } catch (e) {}";

    /**
     * The web app's rendering choice for every page of the run, {@code -Dbench.rendering=auto|cpu|gpu} (default: none
     * stored, so auto): compares the CPU and WebGL paths in one session.
     */
    static String renderingFlag() {
        String choice = System.getProperty("bench.rendering", "");
        if (choice.isEmpty()) {
            return "";
        }
        if (!List.of("auto", "cpu", "gpu").contains(choice)) {
            throw new IllegalArgumentException("bench.rendering must be auto, cpu or gpu: " + choice);
        }
        return "try { localStorage.setItem('medsync.rendering', '" + choice + "'); } catch (e) {}";
    }

    /** A new page of {@code context}, logged in as {@code user} with the worklist shown and the diagnostics on. */
    public static Page logIn(BrowserContext context, String http, String user) {
        Page page = context.newPage();
        page.addInitScript(DIAGNOSTICS_FLAG);
        String rendering = renderingFlag();
        if (!rendering.isEmpty()) {
            page.addInitScript(rendering);
        }
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                System.err.println("[" + user + "] " + m.text());
            }
        });
        page.navigate(http + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=worklist-row]", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        return page;
    }

    static int peerId(Page p) {
        return Integer.parseInt(p.getAttribute("[data-testid=readout-status]", "data-peer-id"));
    }

    static int attribute(Page p, String name) {
        return Integer.parseInt(p.getAttribute("[data-testid=viewport]", name));
    }

    static void waitForDriver(List<Page> pages, int driver) {
        for (Page p : pages) {
            waitFor(
                    p,
                    "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === String(id)",
                    driver);
        }
    }

    static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
    }

    static double now(Page p) {
        return ((Number) p.evaluate(NOW)).doubleValue();
    }

    /** Moves the driver to image {@code index} (0-based) through the slice slider and waits until it is drawn. */
    static void showImage(Page driver, int index) {
        driver.evaluate(
                "i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i + 1);"
                        + " s.dispatchEvent(new Event('input', {bubbles: true})); }",
                index);
        waitFor(
                driver,
                "i => document.querySelector('[data-testid=viewport]').getAttribute('data-image-index') === String(i)",
                index);
    }

    /** Waits until the followers drew the driver's latest view, checks their canvases equal it and returns its hash. */
    static String assertInSync(Page driver, List<Page> followers) throws InterruptedException {
        driver.waitForSelector(
                "[data-testid=viewport][data-rendered=true]", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        Thread.sleep(200); // a VIEW coalesced to the next frame is out by then
        int seq = attribute(driver, "data-sync-seq");
        String js = "() => (" + CANVAS_HASH + ")(document.querySelector('[data-testid=viewport] canvas'))";
        String expected = (String) driver.evaluate(js);
        if (!expected.startsWith("512x512:")) {
            throw new IllegalStateException("the driver's canvas is not 512x512: " + expected);
        }
        for (Page f : followers) {
            waitFor(
                    f,
                    "s => { const v = document.querySelector('[data-testid=viewport]');"
                            + " return v && Number(v.getAttribute('data-sync-seq')) >= s && v.getAttribute('data-rendered') === 'true'; }",
                    seq);
            String got = null;
            for (int i = 0; i < 30 && !expected.equals(got); i++) {
                if (got != null) {
                    Thread.sleep(100); // a render may still be in flight right after the state applied
                }
                got = (String) f.evaluate(js);
            }
            if (!expected.equals(got)) {
                throw new IllegalStateException(
                        "a follower's canvas differs from the driver's: " + got + " vs " + expected);
            }
        }
        return expected;
    }

    /**
     * With {@code -Dbench.profile=DIR}, starts a V8 CPU profile of {@code page} (open the .cpuprofile written
     * by {@link #stopProfile} in Chromium's DevTools); otherwise returns null.
     */
    static CDPSession startProfile(Page page) {
        if (System.getProperty("bench.profile") == null) {
            return null;
        }
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("Profiler.enable");
        JsonObject interval = new JsonObject();
        interval.addProperty("interval", 200);
        cdp.send("Profiler.setSamplingInterval", interval);
        cdp.send("Profiler.start");
        return cdp;
    }

    static void stopProfile(CDPSession cdp, String name) throws IOException {
        if (cdp != null) {
            Path dir = Files.createDirectories(Path.of(System.getProperty("bench.profile")));
            Files.writeString(
                    dir.resolve(name),
                    cdp.send("Profiler.stop").getAsJsonObject("profile").toString());
            cdp.detach();
        }
    }
}
