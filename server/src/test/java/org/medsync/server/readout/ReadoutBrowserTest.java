package org.medsync.server.readout;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three participants (an attending and two residents) in real Chromium read two studies together; at every
 * step the followers' canvases equal the driver's pixel for pixel. Then floor races, chat, audio and mute,
 * a late guest joiner and the driver closing the tab.
 */
class ReadoutBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static List<String> studies;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        server = TestServer.start(true, new Properties());
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        List<StudyRow> rows = server.server().library().index().findStudies(StudyQuery.text("", 50));
        StudyRow ct = rows.stream().filter(r -> r.modalities().contains("CT") && r.description() != null
                && r.description().toLowerCase().contains("synthetic")).findFirst()
                .orElse(server.server().library().index().findStudies(StudyQuery.text("synthetic", 10)).getFirst());
        StudyRow other = rows.stream().filter(r -> !r.studyUid().equals(ct.studyUid()) && r.modalities().contains("MR")).findFirst()
                .orElse(rows.stream().filter(r -> !r.studyUid().equals(ct.studyUid())).findFirst().orElseThrow());
        studies = List.of(ct.studyUid(), other.studyUid());
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

    private static int peerId(Page p) {
        return Integer.parseInt(p.getAttribute("[data-testid=readout-status]", "data-peer-id"));
    }

    private static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(30_000));
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
            assertEquals(driver.getAttribute("[data-testid=viewport]", "data-voi"), f.getAttribute("[data-testid=viewport]", "data-voi"), step);
        }
    }

    @Test
    void threeReadTogether_pixelExact_floorChatAudio_lateJoiner_driverLeaves() throws Exception {
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts); BrowserContext cr = b.newContext(opts); BrowserContext cr2 = b.newContext(opts);
             BrowserContext cl = b.newContext(opts)) {
            Page att = open(ca, "attending");
            String readoutId = (String) att.evaluate("async s => { const r = await fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({title: 'Teaching', worklist: s.map(u => ({source: 'local', studyInstanceUid: u}))})}); return (await r.json()).id; }", studies);
            Page res = open(cr, "resident");
            Page res2 = open(cr2, "resident2");
            for (Page p : List.of(att, res, res2)) {
                enter(p, readoutId);
            }
            List<Page> followers = List.of(res, res2);
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 3", null);
            }

            // The attending drives.
            att.click("[data-testid=floor-request]");
            int attId = peerId(att);
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === String(id)", attId);
            }
            assertInSync(att, followers, "start");

            att.evaluate("i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i);"
                    + " s.dispatchEvent(new Event('input', {bubbles: true})); }", 71);
            assertInSync(att, followers, "scroll");
            att.fill("[data-testid=wc-input]", "40");
            att.press("[data-testid=wc-input]", "Enter");
            att.fill("[data-testid=ww-input]", "80");
            att.press("[data-testid=ww-input]", "Enter");
            assertInSync(att, followers, "window");
            att.click("[data-testid=tool-zoom-in]");
            assertInSync(att, followers, "zoom");
            var box = att.locator("[data-testid=viewport]").boundingBox();
            att.keyboard().down("Shift");
            att.mouse().move(box.x + 256, box.y + 256);
            att.mouse().down();
            att.mouse().move(box.x + 300, box.y + 280, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            att.mouse().up();
            att.keyboard().up("Shift");
            assertInSync(att, followers, "pan");
            att.click("[data-testid=tool-crosshair]");
            assertInSync(att, followers, "crosshair");
            for (Page f : followers) {
                waitFor(f, "() => getComputedStyle(document.querySelector('[data-testid=crosshair]')).display !== 'none'", null);
            }
            att.click("[data-testid=worklist-next]");
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-loaded-index') === '1'", null);
            }
            assertInSync(att, followers, "next study");

            // Chat reaches everyone.
            res.fill("[data-testid=chat-input]", "Is that a fracture?");
            res.press("[data-testid=chat-input]", "Enter");
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Is that a fracture?'))", null);
            }

            // Each peer receives audio; the attending mutes and the residents stop receiving from them.
            String audioBytes = "async id => { const m = await window.__medsyncReadout.audioStats(); return id ? (m.get(id)?.bytes ?? -1) : [...m.values()].map(v => v.bytes); }";
            for (Page p : List.of(att, res, res2)) {
                waitFor(p, "async () => { const m = await window.__medsyncReadout.audioStats(); return m.size === 2 && [...m.values()].every(v => v.bytes > 0); }", null);
            }
            att.click("[data-testid=mute-toggle]");
            res.waitForTimeout(700);
            long before = ((Number) res.evaluate(audioBytes, attId)).longValue();
            res.waitForTimeout(1200);
            long after = ((Number) res.evaluate(audioBytes, attId)).longValue();
            assertEquals(before, after, "no audio bytes from a muted participant");
            att.click("[data-testid=mute-toggle]");

            // A guest observer joins late with an invite and is in sync at once, with the chat history.
            String path = (String) att.evaluate("async id => { const r = await fetch('/api/readouts/' + id + '/invites', {method: 'POST',"
                    + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({role: 'observer', minutes: 10})}); return (await r.json()).path; }", readoutId);
            Page late = cl.newPage();
            long t0 = System.nanoTime();
            late.navigate(server.http() + path);
            late.fill("[data-testid=join-name]", "Visiting observer");
            late.click("[data-testid=join-submit]");
            late.waitForSelector("[data-testid=readout-status][data-state=connected]", new Page.WaitForSelectorOptions().setTimeout(30_000));
            late.addStyleTag(new Page.AddStyleTagOptions().setContent(
                    "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}"));
            assertInSync(att, List.of(late), "late joiner");
            System.out.printf("late join to in-sync (incl. page load and login): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            waitFor(late, "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Is that a fracture?'))", null);
            assertNull(late.querySelector("[data-testid=floor-request]:not([hidden])"), "an observer gets no floor button");

            // Two residents ask at the same moment after the attending releases: exactly one drives.
            att.click("[data-testid=floor-release]");
            waitFor(res, "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === '0'", null);
            Thread a1 = Thread.ofPlatform().start(() -> res.evaluate("() => document.querySelector('[data-testid=floor-request]').click()"));
            res2.evaluate("() => document.querySelector('[data-testid=floor-request]').click()");
            a1.join();
            waitFor(att, "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') !== '0'", null);
            String holder = att.getAttribute("[data-testid=readout-status]", "data-driver");
            for (Page p : List.of(res, res2, late)) {
                waitFor(p, "h => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === h", holder);
            }
            Page newDriver = holder.equals(String.valueOf(peerId(res))) ? res : res2;
            assertTrue(holder.equals(String.valueOf(peerId(res))) || holder.equals(String.valueOf(peerId(res2))));

            // The driver closes the tab: the floor frees itself.
            newDriver.close();
            for (Page p : List.of(att, late)) {
                waitFor(p, "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === '0'", null);
            }
        }
    }
}
