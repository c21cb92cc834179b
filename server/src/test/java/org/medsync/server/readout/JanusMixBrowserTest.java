package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.FakeMicrophone;
import org.medsync.server.demo.DemoContent;

/**
 * Mixed readout audio (docs/readout-protocol.md, "Mixed audio") through a real Janus AudioBridge started by the
 * server, in one real Chromium whose fake microphone plays a 440 Hz tone: with the mixing threshold at 0 three
 * participants each hold one audio connection and get one mixed stream; with one
 * talker at a time the other two hear energy and the talker hears silence (the mix leaves out its own voice), so each
 * hears each other; the speaking indicator lights for the talker only; a participant who leaves is removed from the
 * mixing room by the server (Janus's own list), and a socket without a session or invite is refused.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JanusMixBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static String study;
    private static ReadoutPages pages;

    @TempDir
    static Path tmp;

    /** A 2 s 440 Hz tone at about -10 dBFS (Chromium loops it). */
    static Path tone(Path dir) throws Exception {
        Path wav = dir.resolve("tone-440.wav");
        Files.write(wav, FakeMicrophone.toneWav(440, 2, 10_000));
        return wav;
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        JanusLeftovers.kill();
        Properties p = new Properties();
        p.setProperty("readout.mesh.max", "2");
        p.setProperty("readout.audio-sfu.mix-above", "0");
        p.setProperty("readout.audio-sfu.interfaces", "lo");
        p.setProperty("readout.audio-sfu.ports", "42200-42399");
        server = TestServer.start(true, p);
        server.server().accounts().create("resident2", "Second Resident", Role.RESIDENT, DemoContent.PASSWORD);
        chromium = Chromium.launch(List.of("--use-file-for-fake-audio-capture=" + tone(tmp)));
        pages = new ReadoutPages(server);
        study = ReadoutPages.demoStudies(server).getFirst().studyUid();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
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

    /** Inbound energy of {@code p}'s mixed stream (WebRTC's totalAudioEnergy) gained over one second. */
    private static double energyPerSecond(Page p) {
        String js = "async () => { const s = (await window.__medsyncReadout.audioStats()).get(0);"
                + " return s ? s.energy : -1; }";
        double before = ((Number) p.evaluate(js)).doubleValue();
        p.waitForTimeout(1_000);
        double after = ((Number) p.evaluate(js)).doubleValue();
        assertTrue(before >= 0, "no mixed stream at peer " + status(p, "data-peer-id"));
        return after - before;
    }

    /** Waits (at most 30 s) until {@code p} hears energy ({@code loud}) or silence in its mix. */
    private static double waitForMix(Page p, boolean loud, String step) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double e = -1;
        while (System.nanoTime() < deadline) {
            e = energyPerSecond(p);
            if (loud
                    ? e > 0.0008
                    : e < 0.0005) { // measured here: a talker heard at 0.0011 a second, silence below 0.0005
                return e;
            }
        }
        fail(step + ": peer " + status(p, "data-peer-id") + " heard energy " + e + " a second, wanted "
                + (loud ? "sound" : "silence") + " (audio path " + status(p, "data-audio") + ", last error "
                + status(p, "data-last-error") + ")");
        return e;
    }

    /** Mutes or unmutes {@code p} and waits until the server's roster says so. */
    private static void setMuted(Page p, boolean muted) {
        String me = "[data-testid=roster-entry][data-peer-id=\"" + status(p, "data-peer-id") + "\"]";
        if (!String.valueOf(muted).equals(p.getAttribute(me, "data-muted"))) {
            p.click("[data-testid=mute-toggle]");
        }
        waitFor(
                p,
                "a => document.querySelector(a[0])?.getAttribute('data-muted') === a[1]",
                List.of(me, String.valueOf(muted)));
    }

    private static final String SPEAKING =
            "a => document.querySelector(`[data-testid=roster-entry][data-peer-id=\"${a[0]}\"]`)?.getAttribute('data-speaking') === a[1]";

    @Test
    void threeHearEachOtherThroughOneMix_notThemselves_speakingShown_leaverRemoved_strangerRefused() throws Exception {
        Browser b = chromium.browser();
        var opts = new Browser.NewContextOptions().setViewportSize(1200, 900).setDeviceScaleFactor(1);
        try (BrowserContext ca = b.newContext(opts);
                BrowserContext cr = b.newContext(opts);
                BrowserContext cg = b.newContext(opts)) {
            Page att = pages.open(ca, "attending");
            String readoutId = ReadoutPages.createReadout(att, List.of(study));
            Page res = pages.open(cr, "resident");
            Page guest = pages.open(cg, "resident2");
            pages.enter(att, readoutId);
            pages.enter(res, readoutId);
            pages.enter(guest, readoutId);
            List<Page> all = List.of(att, res, guest);
            for (Page p : all) {
                waitFor(
                        p,
                        "() => { const s = document.querySelector('[data-testid=readout-status]');"
                                + " return s.getAttribute('data-topology') === 'relay' && s.getAttribute('data-audio') === 'mix'; }",
                        null);
            }
            for (Page p : all) {
                waitFor(p, "() => document.querySelectorAll('[data-testid=mix-audio]').length === 1", null);
                assertEquals(0, p.querySelectorAll("[data-testid=sfu-audio]").size(), "no per-feed streams");
                waitFor(p, "() => window.__medsyncReadout.meshPeers().length === 0", null);
            }
            Map<Page, String> ids = Map.of(
                    att, status(att, "data-peer-id"),
                    res, status(res, "data-peer-id"),
                    guest, status(guest, "data-peer-id"));
            assertEquals(
                    Set.of(
                            Integer.parseInt(ids.get(att)),
                            Integer.parseInt(ids.get(res)),
                            Integer.parseInt(ids.get(guest))),
                    server.server().readouts().audioSfu().mixParticipants(readoutId),
                    "Janus's mixing room holds exactly the readout's three participants");

            // One talker at a time: the two others hear it, the talker hears silence (its own voice is not mixed
            // back), and the others' pages show it speaking.
            for (Page talker : all) {
                for (Page p : all) {
                    setMuted(p, p != talker);
                }
                for (Page p : all) {
                    String who = "talker " + ids.get(talker);
                    if (p == talker) {
                        waitForMix(p, false, who + " hears no one (the others are muted, its own voice is left out)");
                    } else {
                        waitForMix(p, true, who + " is heard");
                        waitFor(p, SPEAKING, List.of(ids.get(talker), "true"));
                        for (Page other : all) {
                            if (other != talker && other != p) {
                                waitFor(p, SPEAKING, List.of(ids.get(other), "false"));
                            }
                        }
                    }
                }
            }

            // A participant who leaves is taken out of the mixing room by the server.
            setMuted(guest, false);
            int guestId = Integer.parseInt(ids.get(guest));
            guest.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.server()
                            .readouts()
                            .audioSfu()
                            .mixParticipants(readoutId)
                            .contains(guestId)
                    && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertEquals(
                    Set.of(Integer.parseInt(ids.get(att)), Integer.parseInt(ids.get(res))),
                    server.server().readouts().audioSfu().mixParticipants(readoutId),
                    "the participant who left is no longer in the mixing room");
            setMuted(res, false);
            waitForMix(att, true, "the attending still hears the resident");

            // No session, no invite: the readout's socket (the only way to its audio room) is refused.
            CompletableFuture<WebSocket> stranger = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(
                            URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + readoutId),
                            new WebSocket.Listener() {});
            assertThrows(CompletionException.class, stranger::join);
        }
    }
}
