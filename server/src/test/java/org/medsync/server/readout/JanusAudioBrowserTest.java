package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.conference.signaling.Hub;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;

/**
 * Audio in relay mode through a real Janus (Debian's, started by the server on loopback) in real Chromium with fake
 * microphones and the group size set to 2: with three participants each hears the other two through the SFU (the
 * subscribe connection's inbound audio grows per feed), mute stops a feed, forged and malformed AUDIO messages are
 * refused with a precise reason without disturbing anyone, a fourth participant's feed is added to the others'
 * subscriptions in place, and when Janus dies everyone's audio goes back to the mesh connections while the view
 * stays on the relay; back on the mesh, audio goes peer to peer again. When the server stops, Janus stops.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JanusAudioBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static String study;
    private static ReadoutPages pages;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        JanusLeftovers.kill();
        Properties p = new Properties();
        p.setProperty("readout.mesh.max", "2");
        p.setProperty("readout.mesh.return-seconds", "1");
        p.setProperty("readout.audio-sfu.interfaces", "lo");
        p.setProperty("readout.audio-sfu.ports", "42000-42199");
        server = TestServer.start(true, p);
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch();
        pages = new ReadoutPages(server);
        study = ReadoutPages.demoStudies(server).getFirst().studyUid();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            long pid = server.server().readouts().audioSfu().embeddedPid();
            server.close();
            if (pid > 0) {
                assertFalse(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "Janus's watchdog stops with the server");
            }
            assertEquals(0, JanusLeftovers.kill(), "no Janus outlives the server");
        }
        JanusLeftovers.kill();
    }

    private static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(
                js, arg, new Page.WaitForFunctionOptions().setTimeout(45_000).setPollingInterval(250));
    }

    private static String status(Page p, String attribute) {
        return p.getAttribute("[data-testid=readout-status]", attribute);
    }

    private static void waitForPaths(List<Page> pages, String topology, String audio) {
        for (Page p : pages) {
            waitFor(
                    p,
                    "a => { const s = document.querySelector('[data-testid=readout-status]');"
                            + " return s.getAttribute('data-topology') === a[0] && s.getAttribute('data-audio') === a[1]; }",
                    List.of(topology, audio));
        }
    }

    /** Inbound audio bytes from {@code feed} as {@code p} counts them on its current audio path (0: none yet). */
    private static long bytesFrom(Page p, String feed) {
        Object v = p.evaluate(
                "async f => { const s = (await window.__medsyncReadout.audioStats()).get(Number(f)); return s ? s.bytes : 0; }",
                feed);
        return ((Number) v).longValue();
    }

    /** Waits (at most 60 s) until {@code p}'s inbound audio from {@code feed} grows by 2 kB on one connection (Opus: well under a second). */
    private static void waitForAudio(Page p, String feed, String step) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long before = bytesFrom(p, feed);
        while (System.nanoTime() < deadline) {
            p.waitForTimeout(250);
            long now = bytesFrom(p, feed);
            if (now > before + 2000) {
                return;
            }
            if (now < before) { // a new subscribe connection (someone started publishing) counts from 0
                before = now;
            }
        }
        fail(step + ": no audio from peer " + feed + " within 60 s (" + bytesFrom(p, feed) + " bytes, audio path "
                + status(p, "data-audio") + ", last error " + status(p, "data-last-error") + ")");
    }

    /** Waits until {@code p}'s inbound audio from {@code feed} stays the same over a whole second (bounded). */
    private static void waitForSilence(Page p, String feed, String step) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = bytesFrom(p, feed);
        while (System.nanoTime() < deadline) {
            p.waitForTimeout(1_000);
            long now = bytesFrom(p, feed);
            if (now == last) {
                return;
            }
            last = now;
        }
        fail(step + ": audio from peer " + feed + " kept flowing");
    }

    private static List<Hub.Rejection> rejections(int peer, String code) {
        return server.server().readouts().hub.rejections().stream()
                .filter(r -> r.peer() == peer && r.code().equals(code))
                .toList();
    }

    @Test
    void relayModeAudioGoesThroughJanus_muteStopsIt_forgeriesRefused_meshAgainAfterwards() {
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1200, 900).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts);
                BrowserContext cr = b.newContext(opts);
                BrowserContext cr2 = b.newContext(opts)) {
            Page att = pages.open(ca, "attending");
            String readoutId = ReadoutPages.createReadout(att, List.of(study));
            Page res = pages.open(cr, "resident");
            Page res2 = pages.open(cr2, "resident2");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            waitForPaths(List.of(att, res), "mesh", "mesh");
            String attId = status(att, "data-peer-id"), resId = status(res, "data-peer-id");
            waitForAudio(res, attId, "mesh: the resident hears the attending peer to peer");
            assertEquals(
                    -1,
                    server.server().readouts().audioSfu().embeddedPid(),
                    "Janus starts only when a readout needs it");

            // A third participant: relay mode, and audio through Janus.
            pages.enter(res2, readoutId);
            String res2Id = status(res2, "data-peer-id");
            List<Page> all = List.of(att, res, res2);
            waitForPaths(all, "relay", "sfu");
            assertTrue(server.server().readouts().audioSfu().embeddedPid() > 0, "the server started Janus");
            Map<Page, List<String>> others =
                    Map.of(att, List.of(resId, res2Id), res, List.of(attId, res2Id), res2, List.of(attId, resId));
            for (Page p : all) {
                for (String feed : others.get(p)) {
                    waitForAudio(
                            p,
                            feed,
                            "relay: peer " + status(p, "data-peer-id") + " hears peer " + feed + " through Janus");
                }
            }
            for (Page p : all) {
                assertEquals(
                        2,
                        p.querySelectorAll("[data-testid=sfu-audio]").size(),
                        "one SFU stream per other participant");
            }
            // ... and the mesh is gone: in relay mode each holds the relay connection and its SFU connections only.
            for (Page p : all) {
                waitFor(p, "() => window.__medsyncReadout.meshPeers().length === 0", null);
            }

            // The speaking indicator reads the level of each feed received through Janus.
            String speaking =
                    "id => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${id}\"]`)?.getAttribute('data-speaking') === 'true'";
            waitFor(res, speaking, attId);

            // Mute: the attending's feed stops at both residents; the others still flow; unmute brings it back.
            att.click("[data-testid=mute-toggle]");
            waitFor(
                    res,
                    "id => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${id}\"]`)?.getAttribute('data-speaking') === 'false'",
                    attId);
            waitForSilence(res, attId, "muted");
            waitForSilence(res2, attId, "muted");
            waitForAudio(res, res2Id, "while the attending is muted, the resident still hears the second resident");
            att.click("[data-testid=mute-toggle]");
            waitForAudio(res, attId, "unmuted");

            // Forged and malformed AUDIO from the resident: refused with a precise reason, logged, nobody disturbed.
            int rid = Integer.parseInt(resId);
            res.evaluate(
                    "f => window.__medsyncReadout.sendRawAudio(1, 1, Number(f), 'v=0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n')",
                    attId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').startsWith('audio-not-yours')",
                    null);
            assertFalse(rejections(rid, "audio-not-yours").isEmpty());
            res.evaluate("f => window.__medsyncReadout.sendRawAudio(1, 1, Number(f), 'hello janus')", resId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').startsWith('audio-bad-jsep: not an SDP')",
                    null);
            res.evaluate(
                    "f => window.__medsyncReadout.sendRawAudio(1, 1, Number(f), 'v=0\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 96\\r\\n')",
                    resId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').includes('not audio')",
                    null);
            res.evaluate("f => window.__medsyncReadout.sendRawAudio(2, 3, Number(f), '{\"candidate\": 42')", resId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').startsWith('audio-bad-jsep: candidate is not JSON')",
                    null);
            res.evaluate("f => window.__medsyncReadout.sendRawAudio(2, 1, Number(f), 'v=0\\r\\n')", resId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').startsWith('audio-bad-kind')",
                    null);
            res.evaluate("f => window.__medsyncReadout.sendRawAudio(7, 1, Number(f), 'v=0\\r\\n')", resId);
            waitFor(
                    res,
                    "() => document.querySelector('[data-testid=readout-status]').getAttribute('data-last-error').includes('audio leg 7')",
                    null);
            for (String code : List.of("audio-bad-jsep", "audio-bad-kind", "malformed")) {
                assertFalse(rejections(rid, code).isEmpty(), code + " is logged");
            }
            for (Page p : all) {
                assertEquals("connected", status(p, "data-state"));
            }
            waitForAudio(res2, attId, "after the refusals the readout's audio goes on");
            waitForAudio(att, resId, "the refused resident's own audio goes on");

            // A fourth joins: everyone's subscription grows in place, so what they already heard goes on without
            // starting over (a new subscribe connection would count from 0).
            try (BrowserContext cs = b.newContext(opts)) {
                Page stu = pages.open(cs, "student");
                long heard = bytesFrom(res, attId);
                pages.enter(stu, readoutId);
                String stuId = status(stu, "data-peer-id");
                waitForPaths(List.of(stu), "relay", "sfu");
                waitForAudio(res, stuId, "the resident hears the newcomer through Janus");
                waitForAudio(stu, attId, "the newcomer hears the attending through Janus");
                assertTrue(
                        bytesFrom(res, attId) > heard,
                        "the resident's subscription grew in place (bytes from the attending went on from " + heard
                                + ", now " + bytesFrom(res, attId) + ")");
                stu.close();
            }

            // Janus dies while serving: TOPOLOGY tells everyone (relay, audio on the mesh) and each puts its audio
            // back on mesh connections made anew; the view data stays on the relay.
            ProcessHandle watchdog = ProcessHandle.of(
                            server.server().readouts().audioSfu().embeddedPid())
                    .orElseThrow();
            watchdog.children().forEach(ProcessHandle::destroyForcibly);
            waitForPaths(all, "relay", "mesh");
            waitForAudio(res, attId, "Janus gone: the resident hears the attending on the mesh again");
            waitForAudio(att, res2Id, "Janus gone: the attending hears the second resident on the mesh again");

            // Back to two: the mesh, audio peer to peer again.
            res2.close();
            waitForPaths(List.of(att, res), "mesh", "mesh");
            waitForAudio(att, resId, "mesh again: the attending hears the resident");
            waitForAudio(res, attId, "mesh again: the resident hears the attending");
        }
    }
}
