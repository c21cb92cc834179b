package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.medsync.server.readout.ReadoutPages.assertInSync;
import static org.medsync.server.readout.ReadoutPages.peerId;
import static org.medsync.server.readout.ReadoutPages.scrollTo;
import static org.medsync.server.readout.ReadoutPages.setWindow;
import static org.medsync.server.readout.ReadoutPages.waitFor;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.library.index.StudyRow;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

/**
 * Three participants (an attending and two residents) in real Chromium read two studies together; at every
 * step the followers' canvases equal the driver's pixel for pixel. Then floor races, chat, audio and mute,
 * a late guest joiner and the driver closing the tab; once with the viewers drawing on the CPU, once with WebGL.
 */
class ReadoutBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static ReadoutPages pages;
    private static List<String> studies;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        server = TestServer.start(true, new Properties());
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        studies = ReadoutPages.demoStudies(server).stream()
                .map(StudyRow::studyUid)
                .toList();
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

    /** On both rendering paths: Cornerstone's CPU path (the choice for stations without a GPU) and WebGL. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void threeReadTogether_pixelExact_floorChatAudio_lateJoiner_driverLeaves(String rendering) throws Exception {
        pages = new ReadoutPages(server, rendering);
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts);
                BrowserContext cr = b.newContext(opts);
                BrowserContext cr2 = b.newContext(opts);
                BrowserContext cl = b.newContext(opts)) {
            Page att = pages.open(ca, "attending");
            String readoutId = ReadoutPages.createReadout(att, studies);
            Page res = pages.open(cr, "resident");
            Page res2 = pages.open(cr2, "resident2");
            for (Page p : List.of(att, res, res2)) {
                pages.enter(p, readoutId);
            }
            List<Page> followers = List.of(res, res2);
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "() => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === 3",
                        null);
            }

            // The attending drives.
            att.click("[data-testid=floor-request]");
            int attId = peerId(att);
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === String(id)",
                        attId);
            }
            assertInSync(att, followers, "start");

            scrollTo(att, 70);
            assertInSync(att, followers, "scroll");
            setWindow(att, 40, 80);
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
                waitFor(
                        f,
                        "() => getComputedStyle(document.querySelector('[data-testid=crosshair]')).display !== 'none'",
                        null);
            }
            att.click("[data-testid=worklist-next]");
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-loaded-index') === '1'",
                        null);
            }
            assertInSync(att, followers, "next study");

            // Chat reaches everyone.
            res.fill("[data-testid=chat-input]", "Is that a fracture?");
            res.press("[data-testid=chat-input]", "Enter");
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Is that a fracture?'))",
                        null);
            }
            assertTrue(
                    att.isHidden("[data-testid=chat-deidentified-warning]"),
                    "no de-identified participant yet: no warning");

            // Each peer receives audio; the attending mutes and the residents stop receiving from them.
            String audioBytes =
                    "async id => { const m = await window.__medsyncReadout.audioStats(); return id ? (m.get(id)?.bytes ?? -1) : [...m.values()].map(v => v.bytes); }";
            for (Page p : List.of(att, res, res2)) {
                waitFor(
                        p,
                        "async () => { const m = await window.__medsyncReadout.audioStats(); return m.size === 2 && [...m.values()].every(v => v.bytes > 0); }",
                        null);
            }
            att.click("[data-testid=mute-toggle]");
            res.waitForTimeout(700);
            long before = ((Number) res.evaluate(audioBytes, attId)).longValue();
            res.waitForTimeout(1200);
            long after = ((Number) res.evaluate(audioBytes, attId)).longValue();
            assertEquals(before, after, "no audio bytes from a muted participant");
            att.click("[data-testid=mute-toggle]");

            // A guest observer joins late with an invite and is in sync at once.
            String path = ReadoutPages.invite(att, readoutId, "observer");
            long t0 = System.nanoTime();
            Page late = pages.join(cl, path, "Visiting observer");
            assertInSync(att, List.of(late), "late joiner");
            System.out.printf(
                    "late join to in-sync (incl. page load and login): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertNull(
                    late.querySelector("[data-testid=floor-request]:not([hidden])"),
                    "an observer gets no floor button");
            // Chat reaches the observer as typed: whoever writes is warned, the observer is not. What the
            // clinicians wrote among themselves before, without the warning, is not in the observer's history.
            waitFor(att, "() => !document.querySelector('[data-testid=chat-deidentified-warning]').hidden", null);
            assertTrue(late.isHidden("[data-testid=chat-deidentified-warning]"));
            att.fill("[data-testid=chat-input]", "Note the cortical break.");
            att.press("[data-testid=chat-input]", "Enter");
            waitFor(
                    late,
                    "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Note the cortical break.'))",
                    null);
            assertEquals(
                    Boolean.FALSE,
                    late.evaluate(
                            "() => [...document.querySelectorAll('[data-testid=chat-message]')].some(e => e.textContent.includes('Is that a fracture?'))"),
                    "the clinicians' earlier chat stays theirs");

            // Two residents ask at the same moment after the attending releases: exactly one drives.
            att.click("[data-testid=floor-release]");
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === '0'",
                    null);
            Thread a1 = Thread.ofPlatform()
                    .start(() -> res.evaluate("() => document.querySelector('[data-testid=floor-request]').click()"));
            res2.evaluate("() => document.querySelector('[data-testid=floor-request]').click()");
            a1.join();
            waitFor(
                    att,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') !== '0'",
                    null);
            String holder = att.getAttribute("[data-testid=readout-status]", "data-driver");
            for (Page p : List.of(res, res2, late)) {
                waitFor(
                        p,
                        "h => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === h",
                        holder);
            }
            Page newDriver = holder.equals(String.valueOf(peerId(res))) ? res : res2;
            assertTrue(holder.equals(String.valueOf(peerId(res))) || holder.equals(String.valueOf(peerId(res2))));

            // The driver closes the tab: the floor frees itself.
            newDriver.close();
            for (Page p : List.of(att, late)) {
                waitFor(
                        p,
                        "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === '0'",
                        null);
            }

            // The guest reads as a guest to everyone, in the roster and in the chat, whatever name they chose.
            late.fill("[data-testid=chat-input]", "Hello from the gallery");
            late.press("[data-testid=chat-input]", "Enter");
            waitFor(
                    att,
                    "() => [...document.querySelectorAll('[data-testid=chat-message][data-guest=true][data-role=observer]')]"
                            + ".some(e => e.textContent.includes('Visiting observer guest observer: Hello from the gallery'))",
                    null);
            waitFor(
                    att,
                    "() => [...document.querySelectorAll('[data-testid=roster-entry][data-guest=true]')].length === 1",
                    null);

            // The organizer revokes the guest's invite from the panel: the guest is out at once.
            att.click("[data-testid=invite-create]");
            waitFor(att, "() => document.querySelectorAll('[data-testid=invite-entry]').length === 2", null);
            att.click("[data-testid=invite-entry]:first-child [data-testid=invite-revoke]");
            waitFor(
                    att,
                    "() => [...document.querySelectorAll('[data-testid=roster-entry][data-guest=true]')].length === 0",
                    null);
            assertEquals(
                    401,
                    ((Number) late.evaluate("id => fetch('/api/readouts/' + id).then(r => r.status)", readoutId))
                            .intValue());
        }
        // Everything above ran under the server's Content-Security-Policy: WASM decoders, workers, WebRTC, styles.
        assertEquals(List.of(), pages.cspViolations());
        // The policy is in force, and a violation would have been seen: injected inline script (XSS) does not run.
        try (BrowserContext c = chromium.browser().newContext()) {
            Page p = pages.open(c, "student");
            Object ran = p.evaluate(
                    "() => { const s = document.createElement('script'); s.textContent = 'window.injected = true';"
                            + " document.head.append(s); return window.injected === true; }");
            assertEquals(false, ran);
            long deadline = System.currentTimeMillis() + 5000;
            while (pages.cspViolations().isEmpty() && System.currentTimeMillis() < deadline) {
                p.waitForTimeout(100);
            }
            assertFalse(pages.cspViolations().isEmpty(), "the browser's violation report did not reach the test");
        }
    }
}
