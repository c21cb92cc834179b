package org.medsync.server.readout;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.relay.RelayStats;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hybrid topology in real Chromium with the group size set to 2: three participants put the readout on the
 * server's relay (webrtc-java), the followers stay pixel-equal to the driver through it; when one leaves, the
 * readout goes back to the mesh, still in sync and with the chat intact.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RelayBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static String study;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        Properties p = new Properties();
        p.setProperty("readout.mesh.max", "2");
        p.setProperty("readout.mesh.return-seconds", "1");
        server = TestServer.start(true, p);
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        List<StudyRow> rows = server.server().library().index().findStudies(StudyQuery.text("synthetic", 10));
        study = rows.stream().filter(r -> r.modalities().contains("CT")).findFirst().orElse(rows.getFirst()).studyUid();
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

    private static Page open(BrowserContext context, String user) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                System.err.println("[" + user + "] " + m.text());
            }
        });
        page.navigate(server.http() + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=worklist-row]", new Page.WaitForSelectorOptions().setTimeout(20_000));
        return page;
    }

    private static void enter(Page page, String readoutId) {
        page.navigate(server.http() + "/#/readout/" + readoutId);
        page.addStyleTag(new Page.AddStyleTagOptions().setContent(
                "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}"));
        page.waitForSelector("[data-testid=readout-status][data-state=connected]", new Page.WaitForSelectorOptions().setTimeout(30_000));
    }

    private static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    private static void waitForTopology(List<Page> pages, String topology) {
        for (Page p : pages) {
            waitFor(p, "t => document.querySelector('[data-testid=readout-status]').getAttribute('data-topology') === t", topology);
        }
    }

    private static String canvas(Page p) {
        return (String) p.evaluate("() => { const c = document.querySelector('[data-testid=viewport] canvas');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = c.width + 'x' + c.height + ':';"
                + " let s = 0, x = 0; for (let i = 0; i < d.length; i += 4) { s = (s * 31 + d[i]) >>> 0; x += d[i]; } return h + s + ':' + x; }");
    }

    /** Waits until every follower applied the driver's latest view and rendered it, then compares pixels (MSE 0). */
    private static void assertInSync(Page driver, List<Page> followers, String step) {
        driver.waitForSelector("[data-testid=viewport][data-rendered=true]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        driver.waitForTimeout(150);
        int seq = Integer.parseInt(driver.getAttribute("[data-testid=viewport]", "data-sync-seq"));
        for (Page f : followers) {
            waitFor(f, "s => { const v = document.querySelector('[data-testid=viewport]');"
                    + " return v && Number(v.getAttribute('data-sync-seq')) >= s && v.getAttribute('data-rendered') === 'true'; }", seq);
        }
        String expected = canvas(driver);
        assertTrue(expected.startsWith("512x512:"), step + ": driver canvas " + expected);
        for (Page f : followers) {
            String got = null;
            for (int i = 0; i < 20; i++) { // a render may still be in flight right after the state applied
                got = canvas(f);
                if (got.equals(expected)) {
                    break;
                }
                f.waitForTimeout(100);
            }
            assertEquals(expected, got, step + ": follower canvas differs from the driver's (MSE > 0)");
            assertEquals(driver.getAttribute("[data-testid=viewport]", "data-image-index"), f.getAttribute("[data-testid=viewport]", "data-image-index"), step);
        }
    }

    private static void scrollTo(Page driver, int image) {
        driver.evaluate("i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i);"
                + " s.dispatchEvent(new Event('input', {bubbles: true})); }", image);
    }

    private static RelayStats relayStats() {
        return server.server().readouts().relay().stats();
    }

    @Test
    void threeGoThroughTheRelay_pixelExact_thenTwoBackOnTheMesh_chatIntact() {
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts); BrowserContext cr = b.newContext(opts); BrowserContext cr2 = b.newContext(opts)) {
            Page att = open(ca, "attending");
            String readoutId = (String) att.evaluate("async u => { const r = await fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({title: 'Large teaching', worklist: [{source: 'local', studyInstanceUid: u}]})}); return (await r.json()).id; }", study);
            Page res = open(cr, "resident");
            Page res2 = open(cr2, "resident2");
            enter(att, readoutId);
            enter(res, readoutId);
            waitForTopology(List.of(att, res), "mesh");
            att.click("[data-testid=floor-request]");
            String attId = att.getAttribute("[data-testid=readout-status]", "data-peer-id");
            waitFor(res, "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === id", attId);
            res.fill("[data-testid=chat-input]", "Before the switch");
            res.press("[data-testid=chat-input]", "Enter");

            // The third participant takes the group past 2: view data goes through the relay, with a brief notice.
            enter(res2, readoutId);
            waitForTopology(List.of(att, res, res2), "relay");
            att.waitForSelector("[data-testid=topology-notice][data-topology=relay]", new Page.WaitForSelectorOptions().setTimeout(30_000));
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 3", null);
            }
            List<Page> followers = List.of(res, res2);
            RelayStats before = relayStats();
            assertInSync(att, followers, "relay: start");
            scrollTo(att, 71);
            assertInSync(att, followers, "relay: scroll");
            att.fill("[data-testid=wc-input]", "40");
            att.press("[data-testid=wc-input]", "Enter");
            att.fill("[data-testid=ww-input]", "80");
            att.press("[data-testid=ww-input]", "Enter");
            assertInSync(att, followers, "relay: window");
            att.click("[data-testid=tool-zoom-in]");
            assertInSync(att, followers, "relay: zoom");
            // Each holds one data connection (the relay's) and its audio SFU connections: the mesh is gone.
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "() => window.__medsyncReadout.meshPeers().length === 0", null);
            }
            RelayStats during = relayStats();
            assertTrue(during.received() > before.received(), "the driver's view went to the relay: " + during);
            assertTrue(during.sends() >= before.sends() + 2 * 4, "the relay forwarded to both followers: " + during);
            assertEquals(0, during.malformed() + during.oversized(), "browsers send only valid messages: " + during);

            // One leaves: two fit the mesh again (after the return delay, 1 s here); still in sync, chat intact,
            // nothing more through the relay.
            res2.close();
            waitForTopology(List.of(att, res), "mesh");
            att.waitForSelector("[data-testid=topology-notice][data-topology=mesh]", new Page.WaitForSelectorOptions().setTimeout(30_000));
            RelayStats after = relayStats();
            scrollTo(att, 40);
            assertInSync(att, List.of(res), "mesh again: scroll");
            assertEquals(res.getAttribute("[data-testid=readout-status]", "data-peer-id"),
                    att.evaluate("() => window.__medsyncReadout.meshPeers().join(',')"), "the mesh was made anew");
            att.click("[data-testid=tool-zoom-in]");
            assertInSync(att, List.of(res), "mesh again: zoom");
            assertEquals(after.sends(), relayStats().sends(), "back on the mesh, nothing goes through the relay");
            att.fill("[data-testid=chat-input]", "After the switch");
            att.press("[data-testid=chat-input]", "Enter");
            for (Page p : List.of(att, res)) {
                waitFor(p, "() => { const t = [...document.querySelectorAll('[data-testid=chat-message]')].map(e => e.textContent);"
                        + " return t.some(x => x.includes('Before the switch')) && t.some(x => x.includes('After the switch')); }", null);
            }
            System.out.println("relay during the browser test: " + relayStats());
        }
    }
}
