package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.medsync.server.readout.ReadoutPages.assertInSync;
import static org.medsync.server.readout.ReadoutPages.peerId;
import static org.medsync.server.readout.ReadoutPages.scrollTo;
import static org.medsync.server.readout.ReadoutPages.setWindow;
import static org.medsync.server.readout.ReadoutPages.waitAllReady;
import static org.medsync.server.readout.ReadoutPages.waitFor;
import static org.medsync.server.readout.ReadoutPages.waitForDriver;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.ViewUpdate;
import org.medsync.library.index.SeriesRow;
import org.medsync.library.index.StudyRow;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readout beyond the happy path, in real Chromium: bad data-channel input (forged sender, garbage,
 * oversized) and a student reaching for the floor are refused and logged while the followers stay pixel-equal
 * to the driver; students see de-identified overlays; dropped connections reconnect and resync by themselves;
 * follow / free-browse / snap back; the telepointer; handing the floor over and taking it.
 */
class ReadoutResilienceBrowserTest {
    private static final Codec CODEC = new Codec(ReadoutService.LIMITS);
    private static TestServer server;
    private static Chromium chromium;
    private static ReadoutPages pages;
    private static StudyRow ct;
    private static final Queue<String> serverLog = new ConcurrentLinkedQueue<>();
    private static AppenderBase<ILoggingEvent> logCapture;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        server = TestServer.start(true, new Properties());
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        pages = new ReadoutPages(server);
        ct = ReadoutPages.demoStudies(server).getFirst();
        // Everything the server logs from here on (System.Logger of the conference module included).
        logCapture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                serverLog.add(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage());
            }
        };
        logCapture.start();
        root().addAppender(logCapture);
    }

    @AfterAll
    static void stop() throws Exception {
        if (logCapture != null) {
            root().detachAppender(logCapture);
        }
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private static Browser.NewContextOptions contextOptions() {
        return new Browser.NewContextOptions().setViewportSize(1400, 1000).setDeviceScaleFactor(1);
    }

    // ------------------------------------------------------------------ bad input, student, de-identification

    @Test
    void badPeerInputAndStudentFloorRequest_refusedAndLogged_followersStayInSync_studentSeesNoPatient()
            throws Exception {
        Browser b = chromium.browser();
        try (BrowserContext ca = b.newContext(contextOptions());
                BrowserContext cr = b.newContext(contextOptions());
                BrowserContext cs = b.newContext(contextOptions())) {
            Page att = pages.open(ca, "attending");
            // The organizer labels the study with the patient's name, as free text allows.
            String patient = formatPersonName(ct.patientName());
            String readoutId = ReadoutPages.createReadout(att, List.of(ct.studyUid()), patient + " follow-up");
            Page res = pages.open(cr, "resident");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            Page stu = pages.join(cs, ReadoutPages.invite(att, readoutId, "student"), "Student Sam");
            List<Page> all = List.of(att, res, stu);
            waitAllReady(all);
            att.click("[data-testid=floor-request]");
            int attId = peerId(att);
            int resId = peerId(res);
            int stuId = peerId(stu);
            waitForDriver(all, attId);
            scrollTo(att, 60);
            assertInSync(att, List.of(res, stu), "start");

            // Students see the study de-identified: the resident's overlay names the patient, nothing on the student's
            // page does, and neither does what the server sent the student about the readout (no worklist labels).
            waitFor(
                    res,
                    "n => document.querySelector('[data-testid=overlay-top-left]').textContent.includes(n)",
                    patient);
            waitFor(
                    stu,
                    "() => document.querySelector('[data-testid=overlay-top-left]').textContent.includes('ANONYMIZED')",
                    null);
            String studentPage = (String) stu.evaluate("() => document.documentElement.outerHTML");
            String studentData = (String) stu.evaluate(
                    "id => fetch('/api/readouts/' + id).then(r => r.text())"
                            + ".then(t => t + JSON.stringify(window.__medsyncReadout.session.state.worklist))",
                    readoutId);
            for (String identity : List.of(patient, ct.patientName(), ct.patientId())) {
                assertFalse(studentPage.contains(identity), "the student's page shows " + identity);
                assertFalse(studentData.contains(identity), "the server told the student " + identity);
            }
            assertEquals(
                    patient + " follow-up",
                    res.evaluate("() => window.__medsyncReadout.session.state.worklist[0].label"));

            // The UI offers a student no floor; forced through the session API, the server refuses and logs it.
            assertTrue(
                    stu.isHidden("[data-testid=floor-request]") && stu.isHidden("[data-testid=floor-take]"),
                    "floor buttons shown to a student");
            for (boolean take : List.of(false, true)) {
                stu.evaluate("take => window.__medsyncReadout.session.requestFloor(take)", take);
                waitFor(
                        stu,
                        "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').startsWith('floor-not-allowed')",
                        null);
                stu.evaluate(
                        "() => document.querySelector('[data-testid=readout-status]').setAttribute('data-last-error', '')");
            }
            awaitServerLog(
                    "readout " + readoutId + ": refused from peer " + stuId + ": floor-not-allowed (role student)");

            // A non-driver sends a forged VIEW (valid, with a sequence far ahead), a POINTER, garbage and an oversized
            // message.
            // The series shown (the largest): a forged view that would be applied, if anything applied it.
            String series = server.server().library().index().findSeries(ct.studyUid()).stream()
                    .max(Comparator.comparingInt(SeriesRow::numberOfInstances))
                    .orElseThrow()
                    .seriesUid();
            byte[] forgedView = CODEC.encodeView(new ViewUpdate(
                    4_000_000_000L,
                    4_000_000_000L,
                    ViewUpdate.ALL,
                    0,
                    series,
                    0,
                    -1000,
                    1000,
                    2,
                    0.3,
                    0.3,
                    true,
                    0.1,
                    0.1,
                    false,
                    0,
                    true));
            // [2, 65535, true, 0.5f, 0.5f]: fixarray 5, POINTER, uint16, true, float32, float32
            byte[] forgedPointer = HexFormat.of().parseHex("9502cdffffc3ca3f000000ca3f000000");
            byte[] garbage = HexFormat.of().parseHex("c1ff0013");
            byte[] oversized = CODEC.encodeView(new ViewUpdate(
                    1, 1, ViewUpdate.SERIES, 0, "1.".repeat(2300), 0, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false));
            assertTrue(oversized.length > 4096);
            record Attack(byte[] bytes, String reason) {}
            for (Attack a : List.of(
                    new Attack(forgedView, "not-driver"),
                    new Attack(forgedPointer, "not-driver"),
                    new Attack(garbage, "malformed"),
                    new Attack(oversized, "too-large"))) {
                assertEquals(2, sendRaw(stu, a.bytes()), "the student's data channels to both others are open");
                for (Page p : List.of(att, res)) {
                    awaitRefusal(p, stuId, a.reason());
                }
            }
            // The driver's own app sending a broken VIEW ([1, seq 5, baseDelta 9, mask 511]) is refused as malformed
            // too.
            assertEquals(2, sendRaw(att, HexFormat.of().parseHex("94010509cd01ff")));
            for (Page p : List.of(res, stu)) {
                awaitRefusal(p, attId, "malformed");
            }
            assertTrue(res.isHidden("[data-testid=telepointer]"), "a forged pointer is not shown");
            assertEquals(String.valueOf(attId), res.getAttribute("[data-testid=readout-status]", "data-driver"));
            assertInSync(att, List.of(res, stu), "after bad input");
            assertTrue(((Number) res.evaluate("() => window.__medsyncReadout.rejectedPeerMessages")).intValue() >= 5);

            // The readout goes on for everyone: the driver still drives and both followers follow.
            scrollTo(att, 90);
            assertInSync(att, List.of(res, stu), "scroll after bad input");
            setWindow(att, 40, 80);
            assertInSync(att, List.of(res, stu), "window after bad input");
            waitForDriver(all, attId);

            // Nothing the server logged names the patient.
            for (String line : serverLog) {
                for (String identity : List.of(patient, ct.patientName(), ct.patientId())) {
                    assertFalse(line.contains(identity), "server log names the patient: " + line);
                }
            }
        }
    }

    // ------------------------------------------------------------------ reconnection

    @Test
    void droppedConnections_reconnectAndResyncByThemselves_driverDropFreesTheFloor() {
        Browser b = chromium.browser();
        try (BrowserContext ca = b.newContext(contextOptions());
                BrowserContext cr = b.newContext(contextOptions())) {
            Page att = pages.open(ca, "attending");
            String readoutId = ReadoutPages.createReadout(att, List.of(ct.studyUid()));
            Page res = pages.open(cr, "resident");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            List<Page> both = List.of(att, res);
            waitAllReady(both);
            att.click("[data-testid=floor-request]");
            waitForDriver(both, peerId(att));
            scrollTo(att, 40);
            assertInSync(att, List.of(res), "start");

            // The follower's network drops: reconnecting, then connected again by itself under a new peer id.
            int oldRes = peerId(res);
            int newRes = dropAndAwaitReconnect(res);
            int attId = peerId(att);
            waitFor(
                    att,
                    "a => { const e = [...document.querySelectorAll('[data-testid=roster-entry]')];"
                            + " return !e.some(x => x.dataset.peerId === String(a[0])) && e.some(x => x.dataset.peerId === String(a[1]) && x.dataset.ready === 'true'); }",
                    List.of(oldRes, newRes));
            awaitMesh(att, newRes);
            awaitMesh(res, attId);
            assertInSync(att, List.of(res), "follower reconnected");
            scrollTo(att, 80);
            assertInSync(att, List.of(res), "scroll after the follower reconnected");
            setWindow(att, 35, 90);
            assertInSync(att, List.of(res), "window after the follower reconnected");

            // The driver's network drops: the floor frees itself (docs/readout-protocol.md, Reconnection); the
            // reconnected attending asks again and drives, and the follower follows.
            int newAtt = dropAndAwaitReconnect(att);
            waitForDriver(both, 0);
            awaitMesh(res, newAtt);
            att.click("[data-testid=floor-request]");
            waitForDriver(both, newAtt);
            scrollTo(att, 20);
            assertInSync(att, List.of(res), "scroll after the driver reconnected");
            setWindow(att, 60, 300);
            assertInSync(att, List.of(res), "window after the driver reconnected");
        }
    }

    /** Drops the page's signaling socket; returns its new peer id once the session reconnected on its own. */
    private static int dropAndAwaitReconnect(Page p) {
        int old = peerId(p);
        p.evaluate("() => { window.__states = []; const el = document.querySelector('[data-testid=readout-status]');"
                + " new MutationObserver(() => window.__states.push(el.getAttribute('data-state'))).observe(el, {attributes: true, attributeFilter: ['data-state']});"
                + " window.__medsyncReadout.dropConnection(); }");
        waitFor(
                p,
                "old => { const s = document.querySelector('[data-testid=readout-status]');"
                        + " return window.__states.includes('reconnecting') && s.getAttribute('data-state') === 'connected' && s.getAttribute('data-peer-id') !== String(old); }",
                old);
        int now = peerId(p);
        assertNotEquals(old, now);
        return now;
    }

    /** Waits until the page receives audio from {@code peer}: their RTCPeerConnection is up. */
    private static void awaitMesh(Page p, int peer) {
        waitFor(p, "id => window.__medsyncReadout.audioStats().then(m => (m.get(id)?.bytes ?? 0) > 0)", peer);
    }

    // ------------------------------------------------------------------ follow, telepointer, hand-over

    @Test
    void freeBrowseAndSnapBack_telepointer_handOverAndTake() {
        Browser b = chromium.browser();
        try (BrowserContext ca = b.newContext(contextOptions());
                BrowserContext cr = b.newContext(contextOptions());
                BrowserContext cr2 = b.newContext(contextOptions())) {
            Page att = pages.open(ca, "attending");
            String readoutId = ReadoutPages.createReadout(att, List.of(ct.studyUid()));
            Page res = pages.open(cr, "resident");
            Page res2 = pages.open(cr2, "resident2");
            List<Page> all = List.of(att, res, res2);
            for (Page p : all) {
                pages.enter(p, readoutId);
            }
            waitAllReady(all);
            att.click("[data-testid=floor-request]");
            int attId = peerId(att);
            int resId = peerId(res);
            int res2Id = peerId(res2);
            waitForDriver(all, attId);
            assertInSync(att, List.of(res, res2), "start");

            // Telepointer: followers show the driver's pointer at the same image position, and hide it when it leaves.
            var box = att.locator("[data-testid=viewport]").boundingBox();
            att.mouse().move(box.x + 100, box.y + 100);
            att.mouse().move(box.x + 128, box.y + 384, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(4));
            List<double[]> seen = new ArrayList<>();
            for (Page f : List.of(res, res2)) {
                waitFor(
                        f,
                        "() => { const t = document.querySelector('[data-testid=telepointer]');"
                                + " return !t.hidden && Math.abs(parseFloat(t.style.left) - 128) < 1.5 && Math.abs(parseFloat(t.style.top) - 384) < 1.5; }",
                        null);
                seen.add(new double[] {
                    Double.parseDouble(f.getAttribute("[data-testid=telepointer]", "data-x")),
                    Double.parseDouble(f.getAttribute("[data-testid=telepointer]", "data-y"))
                });
            }
            assertEquals(seen.get(0)[0], seen.get(1)[0], 1e-3);
            assertEquals(seen.get(0)[1], seen.get(1)[1], 1e-3);
            // A 512 x 512 image fitted to the 512 x 512 viewport: 128, 384 px is a quarter across, three quarters down.
            assertEquals(0.25, seen.get(0)[0], 3e-3);
            assertEquals(0.75, seen.get(0)[1], 3e-3);
            att.mouse().move(box.x + box.width + 200, box.y + 100);
            for (Page f : List.of(res, res2)) {
                waitFor(f, "() => document.querySelector('[data-testid=telepointer]').hidden", null);
            }

            // Free-browse: the resident scrolls on their own; everybody sees it; the driver no longer moves them.
            var rbox = res.locator("[data-testid=viewport]").boundingBox();
            res.mouse().move(rbox.x + 256, rbox.y + 256);
            res.mouse().wheel(0, 120);
            res.waitForSelector("[data-testid=not-following]", new Page.WaitForSelectorOptions().setTimeout(10_000));
            for (Page p : all) {
                waitFor(
                        p,
                        "id => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${id}\"]`)?.dataset.following === 'false'",
                        resId);
            }
            res.waitForSelector("[data-testid=viewport][data-rendered=true]");
            String ownImage = res.getAttribute("[data-testid=viewport]", "data-image-index");
            String ownSeq = res.getAttribute("[data-testid=viewport]", "data-sync-seq");
            String ownCanvas = ReadoutPages.canvas(res);
            scrollTo(att, 100);
            setWindow(att, 50, 400);
            att.mouse().move(box.x + 200, box.y + 200);
            assertInSync(att, List.of(res2), "driver moves on while the resident browses");
            waitFor(res2, "() => !document.querySelector('[data-testid=telepointer]').hidden", null);
            assertEquals(
                    ownImage,
                    res.getAttribute("[data-testid=viewport]", "data-image-index"),
                    "the driver moved a free-browsing follower");
            assertEquals(ownSeq, res.getAttribute("[data-testid=viewport]", "data-sync-seq"));
            assertEquals(ownCanvas, ReadoutPages.canvas(res));
            assertTrue(
                    res.isHidden("[data-testid=telepointer]"),
                    "the driver's pointer over another view than the driver's");

            // Snap back: at once pixel-equal to the driver, without the driver doing anything.
            res.click("[data-testid=snap-back]");
            assertTrue(res.isHidden("[data-testid=not-following]"));
            assertInSync(att, List.of(res, res2), "snap back");
            waitFor(
                    att,
                    "id => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${id}\"]`).dataset.following === 'true'",
                    resId);

            // The keyboard (handled at document level) and the toolbar also mean browsing on one's own.
            res.evaluate("() => document.activeElement?.blur()");
            res.keyboard().press("ArrowDown");
            res.waitForSelector("[data-testid=not-following]", new Page.WaitForSelectorOptions().setTimeout(10_000));
            res.click("[data-testid=snap-back]");
            assertInSync(att, List.of(res, res2), "snap back after keys");
            res.click("[data-testid=tool-zoom-in]");
            res.waitForSelector("[data-testid=not-following]", new Page.WaitForSelectorOptions().setTimeout(10_000));
            res.click("[data-testid=snap-back]");
            assertInSync(att, List.of(res, res2), "snap back after the toolbar");

            // Hand-over: the second resident asks, the attending sees it and hands the floor over from the roster.
            assertTrue(att.isHidden(handOver(attId)), "no hand-over to oneself");
            for (Page p : List.of(res, res2)) {
                assertEquals(
                        0,
                        p.locator("[data-testid=floor-hand-over]:visible").count(),
                        "hand-over buttons shown to a non-driver");
            }
            res2.click("[data-testid=floor-request]");
            waitFor(
                    att,
                    "id => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${id}\"]`).dataset.requesting === 'true'",
                    res2Id);
            att.click(handOver(res2Id));
            waitForDriver(all, res2Id);
            assertEquals(
                    0,
                    att.locator("[data-testid=floor-hand-over]:visible").count(),
                    "hand-over buttons left with the old driver");
            scrollTo(res2, 120);
            assertInSync(res2, List.of(att, res), "the new driver scrolls");
            setWindow(res2, 30, 150);
            assertInSync(res2, List.of(att, res), "the new driver sets the window");

            // An attending takes the floor back; a resident has no such button.
            assertTrue(res.isHidden("[data-testid=floor-take]"));
            att.click("[data-testid=floor-take]");
            waitForDriver(all, attId);
            scrollTo(att, 10);
            assertInSync(att, List.of(res, res2), "the attending took the floor");
        }
    }

    private static String handOver(int peer) {
        return "[data-testid=roster-entry][data-peer-id=\"" + peer + "\"] [data-testid=floor-hand-over]";
    }

    // ------------------------------------------------------------------ helpers

    private static int sendRaw(Page p, byte[] bytes) {
        List<Integer> unsigned = new ArrayList<>(bytes.length);
        for (byte x : bytes) {
            unsigned.add(x & 0xff);
        }
        return ((Number) p.evaluate("b => window.__medsyncReadout.sendRawToPeers(new Uint8Array(b))", unsigned))
                .intValue();
    }

    /** Waits until the page refused a data-channel message from {@code from} for {@code reason} and warned about it on the console. */
    private static void awaitRefusal(Page p, int from, String reason) {
        waitFor(
                p,
                "a => window.__medsyncReadout.peerRefusals.some(r => r.from === a[0] && r.reason === a[1])",
                List.of(from, reason));
        String expected = "refused a data-channel message from peer " + from + ": " + reason;
        long end = System.nanoTime() + 10_000_000_000L;
        while (pages.warnings(p).stream().noneMatch(w -> w.contains(expected))) {
            assertTrue(System.nanoTime() < end, "no console warning '" + expected + "' in " + pages.warnings(p));
            p.waitForTimeout(50);
        }
    }

    private static void awaitServerLog(String expected) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (serverLog.stream().noneMatch(l -> l.startsWith("WARN") && l.contains(expected))) {
            assertTrue(System.nanoTime() < end, "the server did not log '" + expected + "'");
            Thread.sleep(50);
        }
    }

    /** DICOM PN "FAMILY^GIVEN^MIDDLE" as the overlays show it: "FAMILY, GIVEN MIDDLE". */
    private static String formatPersonName(String pn) {
        String[] parts = pn.split("=")[0].split("\\^", -1);
        String rest = String.join(
                " ",
                Arrays.stream(parts)
                        .skip(1)
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList());
        return rest.isEmpty() ? parts[0].strip() : parts[0].strip() + ", " + rest;
    }
}
