package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.library.database.Database;
import org.medsync.library.index.StudyQuery;
import org.medsync.server.NodeProcess;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.cluster.RedisProcess;
import org.medsync.server.demo.DemoContent;

/**
 * An attending in real Chromium on node a (in the test's JVM) and a resident on node b (a server process of its
 * own, {@link NodeProcess}; one PostgreSQL, one study store, one Redis):
 * the browsers' WebRTC mesh is negotiated through the bridge, and the resident's canvas equals the driver's.
 */
class TwoNodeBrowserTest {
    private static RedisProcess redis;
    private static Path shared;
    private static Database db;
    private static TestServer a;
    private static NodeProcess b;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        redis = RedisProcess.start();
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        shared = Files.createTempDirectory(Path.of("/tmp"), "medsync-cluster-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        db = Database.start(Database.Settings.embedded(shared.resolve("db"), dbPort));
        a = TestServer.start(true, node("node-a", dbPort));
        b = NodeProcess.start(node("node-b", dbPort));
        assertNotEquals(ProcessHandle.current().pid(), b.pid(), "node b runs in a process of its own");
        chromium = Chromium.launch();
    }

    private static Properties node(String name, int dbPort) throws java.io.IOException {
        String dbPassword = Files.readString(Database.embeddedPasswordFile(shared.resolve("db")))
                .trim();
        Properties p = new Properties();
        p.setProperty("data.dir", shared.resolve("data").toString()); // one study store for both nodes
        p.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        p.setProperty("db.user", "postgres");
        p.setProperty("db.password", dbPassword);
        p.setProperty("cluster.redis-url", redis.url().toString());
        p.setProperty("cluster.node-name", name);
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {chromium, b, a, db, redis}) {
            if (c != null) {
                c.close();
            }
        }
        if (shared != null) {
            try (var walk = Files.walk(shared)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Page open(BrowserContext context, URI node, String user) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                System.err.println("[" + user + "] " + m.text());
            }
        });
        page.navigate(node + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=worklist-row]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        return page;
    }

    private static void enter(Page page, URI node, String readoutId) {
        page.navigate(node + "/#/readout/" + readoutId);
        page.addStyleTag(
                new Page.AddStyleTagOptions()
                        .setContent(
                                "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}"));
        page.waitForSelector(
                "[data-testid=readout-status][data-state=connected]",
                new Page.WaitForSelectorOptions().setTimeout(30_000));
    }

    private static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    private static String canvas(Page p) {
        return (String)
                p.evaluate(
                        "() => { const c = document.querySelector('[data-testid=viewport] canvas');"
                                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = c.width + 'x' + c.height + ':';"
                                + " let s = 0, x = 0; for (let i = 0; i < d.length; i += 4) { s = (s * 31 + d[i]) >>> 0; x += d[i]; } return h + s + ':' + x; }");
    }

    private static void assertInSync(Page driver, Page follower, String step) {
        driver.waitForSelector(
                "[data-testid=viewport][data-rendered=true]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        driver.waitForTimeout(150);
        int seq = Integer.parseInt(driver.getAttribute("[data-testid=viewport]", "data-sync-seq"));
        waitFor(
                follower,
                "s => { const v = document.querySelector('[data-testid=viewport]');"
                        + " return v && Number(v.getAttribute('data-sync-seq')) >= s && v.getAttribute('data-rendered') === 'true'; }",
                seq);
        String expected = canvas(driver);
        assertTrue(expected.startsWith("512x512:"), step + ": driver canvas " + expected);
        String got = null;
        for (int i = 0; i < 20; i++) { // a render may still be in flight right after the state applied
            got = canvas(follower);
            if (got.equals(expected)) {
                break;
            }
            follower.waitForTimeout(100);
        }
        assertEquals(expected, got, step + ": follower canvas differs from the driver's");
        assertEquals(
                driver.getAttribute("[data-testid=viewport]", "data-image-index"),
                follower.getAttribute("[data-testid=viewport]", "data-image-index"),
                step);
    }

    @Test
    void attendingOnOneNode_residentOnTheOther_readTogetherPixelExact() throws Exception {
        String study = a.server()
                .library()
                .index()
                .findStudies(StudyQuery.text("synthetic", 10))
                .getFirst()
                .studyUid();
        Browser browser = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = browser.newContext(opts);
                BrowserContext cr = browser.newContext(opts)) {
            Page att = open(ca, a.http(), "attending");
            String readoutId = (String) att.evaluate(
                    "async u => { const r = await fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                            + " body: JSON.stringify({title: 'Across nodes', worklist: [{source: 'local', studyInstanceUid: u}]})}); return (await r.json()).id; }",
                    study);
            Page res = open(cr, b.http(), "resident");
            enter(att, a.http(), readoutId);
            enter(res, b.http(), readoutId);
            for (Page p : List.of(att, res)) {
                waitFor(
                        p,
                        "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 2",
                        null);
            }

            att.click("[data-testid=floor-request]");
            String attId = att.getAttribute("[data-testid=readout-status]", "data-peer-id");
            waitFor(
                    res,
                    "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === id",
                    attId);
            assertInSync(att, res, "start");
            att.evaluate(
                    "i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i);"
                            + " s.dispatchEvent(new Event('input', {bubbles: true})); }",
                    71);
            assertInSync(att, res, "scroll");
            att.fill("[data-testid=wc-input]", "40");
            att.press("[data-testid=wc-input]", "Enter");
            assertInSync(att, res, "window");

            res.fill("[data-testid=chat-input]", "Seen from node b");
            res.press("[data-testid=chat-input]", "Enter");
            waitFor(
                    att,
                    "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Seen from node b'))",
                    null);
        }
    }
}
