package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.medsync.server.readout.ReadoutPages.assertInSync;
import static org.medsync.server.readout.ReadoutPages.createReadout;
import static org.medsync.server.readout.ReadoutPages.scrollTo;
import static org.medsync.server.readout.ReadoutPages.setWindow;
import static org.medsync.server.readout.ReadoutPages.waitFor;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.relay.RelayStats;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

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
    private static ReadoutPages pages;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        Properties p = new Properties();
        p.setProperty("readout.mesh.max", "2");
        p.setProperty("readout.mesh.return-seconds", "1");
        server = TestServer.start(true, p);
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        study = ReadoutPages.demoStudies(server).getFirst().studyUid();
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

    private static void waitForTopology(List<Page> pages, String topology) {
        for (Page p : pages) {
            waitFor(
                    p,
                    "t => document.querySelector('[data-testid=readout-status]').getAttribute('data-topology') === t",
                    topology);
        }
    }

    private static RelayStats relayStats() {
        return server.server().readouts().relay().stats();
    }

    /** On both rendering paths: Cornerstone's CPU path (the choice for stations without a GPU) and WebGL. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void threeGoThroughTheRelay_pixelExact_thenTwoBackOnTheMesh_chatIntact(String rendering) {
        pages = new ReadoutPages(server, rendering);
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts);
                BrowserContext cr = b.newContext(opts);
                BrowserContext cr2 = b.newContext(opts)) {
            Page att = pages.open(ca, "attending");
            String readoutId = createReadout(att, List.of(study));
            Page res = pages.open(cr, "resident");
            Page res2 = pages.open(cr2, "resident2");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            waitForTopology(List.of(att, res), "mesh");
            att.click("[data-testid=floor-request]");
            String attId = att.getAttribute("[data-testid=readout-status]", "data-peer-id");
            waitFor(
                    res,
                    "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === id",
                    attId);
            res.fill("[data-testid=chat-input]", "Before the switch");
            res.press("[data-testid=chat-input]", "Enter");

            // The third participant takes the group past 2: view data goes through the relay, with a brief notice.
            pages.enter(res2, readoutId);
            waitForTopology(List.of(att, res, res2), "relay");
            // Issued for the switch (shown for 4 s: on two loaded cores the waits above can outlast it).
            att.waitForSelector(
                    "[data-testid=topology-notice][data-topology=relay]",
                    new Page.WaitForSelectorOptions()
                            .setState(WaitForSelectorState.ATTACHED)
                            .setTimeout(30_000));
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 3",
                        null);
            }
            List<Page> followers = List.of(res, res2);
            RelayStats before = relayStats();
            assertInSync(att, followers, "relay: start");
            scrollTo(att, 70);
            assertInSync(att, followers, "relay: scroll");
            setWindow(att, 40, 80);
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
            // Issued for the switch (shown for 4 s: on two loaded cores the waits above can outlast it).
            att.waitForSelector(
                    "[data-testid=topology-notice][data-topology=mesh]",
                    new Page.WaitForSelectorOptions()
                            .setState(WaitForSelectorState.ATTACHED)
                            .setTimeout(30_000));
            RelayStats after = relayStats();
            scrollTo(att, 39);
            assertInSync(att, List.of(res), "mesh again: scroll");
            assertEquals(
                    res.getAttribute("[data-testid=readout-status]", "data-peer-id"),
                    att.evaluate("() => window.__medsyncReadout.meshPeers().join(',')"),
                    "the mesh was made anew");
            att.click("[data-testid=tool-zoom-in]");
            assertInSync(att, List.of(res), "mesh again: zoom");
            assertEquals(after.sends(), relayStats().sends(), "back on the mesh, nothing goes through the relay");
            att.fill("[data-testid=chat-input]", "After the switch");
            att.press("[data-testid=chat-input]", "Enter");
            for (Page p : List.of(att, res)) {
                waitFor(
                        p,
                        "() => { const t = [...document.querySelectorAll('[data-testid=chat-message]')].map(e => e.textContent);"
                                + " return t.some(x => x.includes('Before the switch')) && t.some(x => x.includes('After the switch')); }",
                        null);
            }
            System.out.println("relay during the browser test: " + relayStats());
        }
    }
}
