package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.FakeMicrophone;
import org.medsync.server.browser.ViewerPage;
import org.medsync.server.demo.DemoOr;

/**
 * Talk-back in real Chromium through the server's Janus (AudioBridge) on the demo OR: the OR station's fake
 * microphone plays a 600 Hz tone, the expert's a 1500 Hz one (one Chromium per side: a browser has one fake
 * microphone). What each page hears is read with an AnalyserNode on the audio it plays: the expert hears the OR at
 * once; the OR hears the expert only while push-to-talk is held (the server unmutes, never the page); a resident hears
 * the OR but may not speak (403, and the OR still hears no expert tone); a student admitted to watch this teaching OR
 * and an observer not on its allow-list get 403 and no audio.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TalkBackBrowserTest {
    private static final String OR = DemoOr.ID;
    private static final int STATION_HZ = 600;
    private static final int EXPERT_HZ = 1500;
    /** A tone is heard when its band is this loud (dBFS in the analyser) and the loudest of the spectrum. */
    private static final double HEARD_DB = -70;

    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions()
            .setState(WaitForSelectorState.ATTACHED)
            .setTimeout(90_000);
    private static TestServer server;
    private static Path tones;
    private static Chromium stationBrowser;
    private static Chromium expertBrowser;
    private static BrowserContext stationContext;
    private static Page station;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        Properties p = new Properties();
        DemoOr.settings().forEach(p::setProperty);
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", "45400-45599");
        p.setProperty("or.sfu.ingest-ports", "45600-45699");
        server = TestServer.start(false, p);
        tones = Files.createTempDirectory("medsync-talk-");
        Path stationWav = tones.resolve("station.wav");
        Path expertWav = tones.resolve("expert.wav");
        Files.write(stationWav, toneWav(STATION_HZ));
        Files.write(expertWav, toneWav(EXPERT_HZ));
        List<String> common = List.of("--autoplay-policy=no-user-gesture-required");
        stationBrowser = Chromium.launch(concat(common, "--use-file-for-fake-audio-capture=" + stationWav));
        expertBrowser = Chromium.launch(concat(common, "--use-file-for-fake-audio-capture=" + expertWav));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stationContext != null) {
            stationContext.close();
        }
        for (Chromium c : new Chromium[] {stationBrowser, expertBrowser}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
        if (tones != null) {
            try (var files = Files.list(tones)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(tones);
        }
    }

    private static List<String> concat(List<String> a, String b) {
        return Stream.concat(a.stream(), Stream.of(b)).toList();
    }

    /** A 3 s sine at {@code hz}, half of full scale (Chromium loops the file). */
    static byte[] toneWav(int hz) {
        return FakeMicrophone.toneWav(hz, 3, 0.5 * Short.MAX_VALUE);
    }

    /**
     * What the page's talk-back audio holds over {@code ms}: the loudest frequency above 100 Hz and its level, and the
     * level around {@code hz} (dBFS, averaged spectra of an AnalyserNode fed the stream the page plays); null while
     * the page plays nothing.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> listen(Page page, int hz, int ms) {
        return (Map<String, Object>) page.evaluate("""
                async ([hz, ms]) => {
                  const a = document.querySelector('[data-testid=talk-audio]');
                  if (!a || !a.srcObject) return null;
                  const ctx = (window.__talkCtx ??= new AudioContext());
                  await ctx.resume();
                  const an = ctx.createAnalyser();
                  an.fftSize = 4096;
                  an.smoothingTimeConstant = 0;
                  const src = ctx.createMediaStreamSource(a.srcObject);
                  src.connect(an);
                  const bins = new Float32Array(an.frequencyBinCount);
                  const sum = new Float64Array(an.frequencyBinCount);
                  let samples = 0;
                  const end = performance.now() + ms;
                  while (performance.now() < end) {
                    await new Promise((r) => setTimeout(r, 100));
                    an.getFloatFrequencyData(bins);
                    for (let i = 0; i < bins.length; i++) sum[i] += Math.max(bins[i], -160);
                    samples++;
                  }
                  src.disconnect();
                  const binHz = ctx.sampleRate / an.fftSize;
                  let peak = 0;
                  for (let i = Math.ceil(100 / binHz); i < sum.length; i++) if (sum[i] > sum[peak]) peak = i;
                  let at = -160 * samples;
                  for (let i = Math.round(hz / binHz) - 2; i <= Math.round(hz / binHz) + 2; i++) at = Math.max(at, sum[i]);
                  return { peakHz: peak * binHz, peakDb: sum[peak] / samples, atDb: at / samples };
                }
                """, List.of(hz, ms));
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** Whether the page hears the tone at {@code hz}: the loudest sound, within a few bins, and loud enough. */
    private static boolean hears(Map<String, Object> m, int hz) {
        return m != null && Math.abs(number(m, "peakHz") - hz) < 40 && number(m, "peakDb") > HEARD_DB;
    }

    /** Listens until the page hears {@code hz} or {@code timeoutMs} passed; returns the last reading. */
    private static Map<String, Object> untilHeard(Page page, int hz, long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        Map<String, Object> m;
        do {
            m = listen(page, hz, 600);
            if (hears(m, hz)) {
                return m;
            }
            page.waitForTimeout(200);
        } while (System.currentTimeMillis() < end);
        return m;
    }

    private static Page remotePage(BrowserContext context, String user) {
        Page page = context.newPage();
        ViewerPage.signIn(page, server.http(), user);
        page.navigate(server.http() + "/#/or/" + OR);
        page.waitForSelector("[data-testid=talk-join]", WAIT);
        return page;
    }

    private static Page stationPage() {
        if (station == null) {
            stationContext = stationBrowser.browser().newContext();
            station = stationContext.newPage();
            ViewerPage.signIn(station, server.http(), "resident");
            station.navigate(server.http() + "/#/or/" + OR + "/station");
            station.waitForSelector("[data-testid=station-status][data-state=ready]", WAIT);
            station.click("[data-testid=talk-join]");
            station.waitForSelector("[data-testid=talk-status][data-state=talking]", WAIT);
        }
        return station;
    }

    /** A POST from the page itself (its session, its origin): the status code. */
    private static int post(Page page, String path, String body) {
        return ((Number) page.evaluate(
                        "async ([p, b]) => (await fetch(p, {method: 'POST', headers: {'Content-Type':"
                                + " 'application/json'}, body: b})).status",
                        List.of(path, body)))
                .intValue();
    }

    @Test
    @Order(1)
    void theExpertHearsTheOr_andTheOrHearsTheExpertOnlyWhilePushToTalkIsHeld() {
        Page station = stationPage();
        try (BrowserContext context = expertBrowser.browser().newContext()) {
            Page expert = remotePage(context, "attending");
            expert.click("[data-testid=talk-join]");
            expert.waitForSelector("[data-testid=talk-status][data-state=listening]", WAIT);
            Locator ptt = expert.locator("[data-testid=talk-ptt]");
            assertTrue(ptt.isVisible(), "an attending is offered push-to-talk");

            Map<String, Object> atExpert = untilHeard(expert, STATION_HZ, 30_000);
            System.out.println("talk-back: the expert hears " + atExpert);
            assertTrue(hears(atExpert, STATION_HZ), "the expert hears the OR's 600 Hz tone: " + atExpert);

            Map<String, Object> silent = listen(station, EXPERT_HZ, 1500);
            System.out.println("talk-back: the OR before push-to-talk " + silent);
            assertTrue(!hears(silent, EXPERT_HZ), "the OR does not hear the expert before push-to-talk: " + silent);

            ptt.hover();
            long t0 = System.currentTimeMillis();
            expert.mouse().down();
            expert.waitForSelector("[data-testid=talk-status][data-state=talking]", WAIT);
            Map<String, Object> heard = untilHeard(station, EXPERT_HZ, 20_000);
            long ms = System.currentTimeMillis() - t0;
            System.out.println("talk-back: the OR hears the expert " + ms + " ms after push-to-talk (reading of "
                    + "600 ms included): " + heard);
            assertTrue(hears(heard, EXPERT_HZ), "the OR hears the expert's 1500 Hz tone: " + heard);
            assertTrue(
                    number(heard, "atDb") > number(silent, "atDb") + 20,
                    "the expert's tone is far louder than before: " + silent + " -> " + heard);

            expert.mouse().up();
            expert.waitForSelector("[data-testid=talk-status][data-state=listening]", WAIT);
            expert.waitForTimeout(500);
            Map<String, Object> after = listen(station, EXPERT_HZ, 1500);
            System.out.println("talk-back: the OR after release " + after);
            assertTrue(!hears(after, EXPERT_HZ), "released: the OR no longer hears the expert: " + after);
        }
    }

    @Test
    @Order(2)
    void aResidentHearsTheOrButMayNotSpeak() {
        Page station = stationPage();
        try (BrowserContext context = expertBrowser.browser().newContext()) {
            Page resident = remotePage(context, "resident");
            resident.click("[data-testid=talk-join]");
            resident.waitForSelector("[data-testid=talk-status][data-state=listening]", WAIT);
            assertTrue(!resident.locator("[data-testid=talk-ptt]").isVisible(), "no push-to-talk for a resident");
            Map<String, Object> m = untilHeard(resident, STATION_HZ, 30_000);
            assertTrue(hears(m, STATION_HZ), "a resident hears the OR: " + m);

            // The page offers no push-to-talk; asking the server anyway is refused and the OR hears nothing.
            String talk = (String) resident.evaluate("""
                    async () => {
                      const pc = new RTCPeerConnection();
                      pc.addTransceiver('audio');
                      await pc.setLocalDescription(await pc.createOffer());
                      const r = await fetch('/api/ors/%s/talk', {method: 'POST',
                        headers: {'Content-Type': 'application/json'},
                        body: JSON.stringify({side: 'remote', sdp: pc.localDescription.sdp})});
                      window.__extraTalk = pc;
                      return (await r.json()).talk;
                    }
                    """.formatted(OR));
            assertEquals(403, post(resident, "/api/ors/" + OR + "/talk/" + talk + "/talking", "{\"talking\":true}"));
            Map<String, Object> atStation = listen(station, EXPERT_HZ, 1500);
            assertTrue(!hears(atStation, EXPERT_HZ), "the OR hears no tone from a resident's page: " + atStation);
        }
    }

    private static String sdpBody(String side) {
        return "{\"side\":\"" + side + "\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\n\"}";
    }

    @Test
    @Order(3)
    void aStudentAndAnObserverGet403AndNoAudio() {
        try (BrowserContext context = expertBrowser.browser().newContext()) {
            // The demo OR is a teaching one: a student may watch it, but never take part in its talk-back.
            Page student = remotePage(context, "student");
            student.click("[data-testid=talk-join]");
            student.waitForSelector("[data-testid=talk-status][data-state=forbidden]", WAIT);
            assertNull(
                    student.evaluate("() => document.querySelector('[data-testid=talk-audio]').srcObject"),
                    "no audio for a student");
            assertEquals(403, post(student, "/api/ors/" + OR + "/talk", sdpBody("remote")));
            assertEquals(403, post(student, "/api/ors/" + OR + "/talk", sdpBody("station")));

            Page observer = context.newPage();
            context.clearCookies();
            ViewerPage.signIn(observer, server.http(), "observer");
            observer.navigate(server.http() + "/#/or/" + OR);
            observer.waitForSelector("[data-testid=or-status][data-state=forbidden]", WAIT);
            assertEquals(403, post(observer, "/api/ors/" + OR + "/talk", sdpBody("remote")));
            assertEquals(403, post(observer, "/api/ors/" + OR + "/talk", sdpBody("station")));
        }
    }
}
