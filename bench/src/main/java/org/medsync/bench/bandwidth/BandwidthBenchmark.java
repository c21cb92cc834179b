package org.medsync.bench.bandwidth;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.medsync.bench.readout.Pages;
import org.medsync.library.index.StudyQuery;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;

/**
 * The paper's Fig. 5: bytes per second in and out of the driver and of one follower, 2 to 32 participants, the
 * driver scrolling at 30 Hz, microphones on, over the full mesh and over the server's relay. The driver (an
 * attending) and the follower (a resident) are real Chromium pages; the other participants are the light
 * node-datachannel peers of bench/crowd ({@link Crowd}), real participants of the same readout. The data path
 * is forced with the server setting {@code readout.mesh.max}: 64 keeps every group on the mesh, 1 puts every
 * group on the relay (the default, 4, is the hybrid: the mesh up to 4, the relay above). Traffic is read from
 * RTCPeerConnection.getStats() of every connection of each page ({@link Traffic}) over a window of
 * {@code --seconds} while the driver scrolls. Writes bandwidth.csv, PNG plots and summary.txt under
 * results/bandwidth.
 */
public final class BandwidthBenchmark {
    private static final double HZ = 30;
    private static final int TIMEOUT_MS = 180_000;

    /**
     * The data path and the audio path: {@code mixAbove} is the server's readout.audio-sfu.mix-above (relay: never
     * mixed, every stream forwarded; mix: mixed at every size, one stream down per participant).
     */
    enum Topology {
        MESH("mesh", "mesh", 128, 1000),
        RELAY("relay", "relay", 1, 1000),
        MIX("mix", "relay", 1, 0);

        final String label;
        /** The page's data-topology in this case. */
        final String dataPath;

        final int meshMax;
        final int mixAbove;

        Topology(String label, String dataPath, int meshMax, int mixAbove) {
            this.label = label;
            this.dataPath = dataPath;
            this.meshMax = meshMax;
            this.mixAbove = mixAbove;
        }
    }

    record Options(List<Integer> participants, List<Topology> topologies, int seconds, String links) {
        static Options parse(List<String> args) {
            List<Integer> participants = List.of(2, 4, 8, 16, 32);
            List<Topology> topologies = List.of(Topology.MESH, Topology.RELAY);
            int seconds = 10;
            String links = "chromium";
            for (int i = 0; i < args.size(); i++) {
                String flag = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String v = args.get(++i);
                switch (flag) {
                    case "--participants" ->
                        participants =
                                parseList(v).stream().map(Integer::parseInt).toList();
                    case "--topologies" ->
                        topologies = parseList(v).stream()
                                .map(t -> Topology.valueOf(t.toUpperCase(Locale.ROOT)))
                                .toList();
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--links" -> links = v;
                    default ->
                        throw new IllegalArgumentException(
                                "bench bandwidth takes --participants 2,4,.. --topologies mesh,relay,mix"
                                        + " --seconds 10 --links chromium|all, not " + flag);
                }
            }
            if (participants.isEmpty() || participants.stream().anyMatch(n -> n < 2 || n > 128)) {
                throw new IllegalArgumentException("--participants: each 2..128, got " + participants);
            }
            if (seconds < 2 || !(links.equals("chromium") || links.equals("all"))) {
                throw new IllegalArgumentException("--seconds at least 2, --links chromium or all");
            }
            return new Options(participants, topologies, seconds, links);
        }

        private static List<String> parseList(String v) {
            return List.of(v.split(",")).stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
    }

    private BandwidthBenchmark() {}

    public static List<String> run(Path root, Path results, List<String> args) throws Exception {
        Options o = Options.parse(args);
        Path out = Files.createDirectories(results.resolve("bandwidth"));
        Path crowdLog = out.resolve("crowd.log");
        Files.deleteIfExists(crowdLog);
        List<Measurement> measured = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (Topology topology : o.topologies()) {
            Properties config = new Properties();
            config.setProperty("https.port", "-1");
            config.setProperty("readout.mesh.max", String.valueOf(topology.meshMax));
            config.setProperty("readout.audio-sfu.mix-above", String.valueOf(topology.mixAbove));
            config.setProperty("readout.participants", "128");
            // Joining crowds burst signals (offers, answers, candidates) far above a person's 60/s; traffic is
            // unaffected.
            config.setProperty("readout.rate", "1000");
            try (TestServer server = TestServer.start(true, config);
                    Chromium chromium = Chromium.launch()) {
                String ct = server.server()
                        .library()
                        .index()
                        .findStudies(StudyQuery.text("synthetic", 5))
                        .getFirst()
                        .studyUid();
                String http = server.http().toString();
                Browser browser = chromium.browser();
                var options = new Browser.NewContextOptions()
                        .setViewportSize(1400, 1000)
                        .setDeviceScaleFactor(1);
                try (BrowserContext cd = browser.newContext(options);
                        BrowserContext cf = browser.newContext(options)) {
                    cd.addInitScript(Pages.KEEP_PEER_CONNECTIONS);
                    cf.addInitScript(Pages.KEEP_PEER_CONNECTIONS);
                    Page driver = Pages.logIn(cd, http, "attending");
                    Page follower = Pages.logIn(cf, http, "resident");
                    for (int n : o.participants()) {
                        System.out.printf(Locale.ROOT, "bandwidth: %s, %d participants%n", topology.label, n);
                        try {
                            measured.add(measure(root, http, ct, topology, n, o, driver, follower, crowdLog));
                            System.out.println(
                                    "bandwidth:   " + measured.getLast().brief());
                        } catch (RuntimeException e) {
                            summary.add(String.format(
                                    Locale.ROOT,
                                    "bandwidth %s: %d participants did not run: %s (larger groups not tried)",
                                    topology.label,
                                    n,
                                    e.getMessage().lines().findFirst().orElse("")));
                            System.err.println(summary.getLast());
                            break;
                        }
                    }
                }
            }
        }
        BandwidthReport.write(out, measured, summary, o);
        Files.write(out.resolve("summary.txt"), summary);
        return summary;
    }

    private static Measurement measure(
            Path root,
            String http,
            String ct,
            Topology topology,
            int n,
            Options o,
            Page driver,
            Page follower,
            Path crowdLog)
            throws Exception {
        for (Page p : List.of(driver, follower)) {
            p.navigate(
                    "about:blank"); // leaves the last readout; a fresh document also starts a fresh list of connections
        }
        driver.navigate(http + "/#/worklist");
        String id = (String) driver.evaluate(
                "async s => { const r = await fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                        + " body: JSON.stringify({title: 'Bandwidth', worklist: [{source: 'local', studyInstanceUid: s}]})}); return (await r.json()).id; }",
                ct);
        // One link for the whole crowd: an invite admits one guest unless asked for more (126 = the guest seats of a
        // 128-participant readout).
        String token = (String) driver.evaluate(
                "async id => { const r = await fetch('/api/readouts/' + id + '/invites', {method: 'POST',"
                        + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({role: 'student', minutes: 120, maxUses: 126})});"
                        + " if (!r.ok) throw new Error('invite: HTTP ' + r.status); return (await r.json()).token; }",
                id);
        for (Page p : List.of(driver, follower)) {
            p.navigate(http + "/#/readout/" + id);
            p.waitForSelector(
                    "[data-testid=readout-status][data-state=connected]",
                    new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
        }
        for (Page p : List.of(driver, follower)) {
            p.waitForSelector(
                    "[data-testid=series-progress][data-complete=true]",
                    new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS).setState(WaitForSelectorState.ATTACHED));
        }
        Crowd crowd = n > 2 ? Crowd.start(root, http, id, token, n - 2, o.links(), crowdLog) : null;
        try {
            if (crowd != null) {
                crowd.awaitJoined(Duration.ofSeconds(60 + 3L * n));
            }
            int relay = topology == Topology.MESH ? 0 : 1;
            // Media connections: one per peer on the mesh; in relay mode the two to the SFU (publish, subscribe),
            // once the page has closed its mesh (docs/readout-protocol.md, "Switching"); mixed, the one to the mixer.
            int media = topology == Topology.MIX ? 1 : relay == 1 ? 2 : n - 1;
            for (Page p : List.of(driver, follower)) {
                waitFor(p, "n => document.querySelectorAll('[data-testid=roster-entry]').length === n", n);
                waitFor(
                        p,
                        "([t, n]) => document.querySelector('[data-testid=readout-status]').getAttribute('data-topology') === t",
                        List.of(topology.dataPath, n));
                awaitConnections(p, media, relay);
            }
            driver.click("[data-testid=floor-request]");
            int me = Integer.parseInt(driver.getAttribute("[data-testid=readout-status]", "data-peer-id"));
            for (Page p : List.of(driver, follower)) {
                waitFor(
                        p,
                        "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === String(id)",
                        me);
            }
            Thread.sleep(3000); // full states on every channel, audio at its steady rate
            driver.evaluate("() => document.activeElement?.blur()");
            int seqStart = sentSeq(driver);
            Traffic d0 = Traffic.parse(driver.evaluate(Traffic.SNAPSHOT));
            Traffic f0 = Traffic.parse(follower.evaluate(Traffic.SNAPSHOT));
            List<?> scrolled = (List<?>) driver.evaluate(Pages.SCROLL, Map.of("seconds", o.seconds(), "hz", HZ));
            Traffic d1 = Traffic.parse(driver.evaluate(Traffic.SNAPSHOT));
            Traffic f1 = Traffic.parse(follower.evaluate(Traffic.SNAPSHOT));
            int views = sentSeq(driver) - seqStart;
            if (crowd != null && !crowd.alive()) {
                throw new IllegalStateException("the crowd stopped during the window (see crowd.log)");
            }
            // A connection can go 'disconnected' for a moment when ICE consent checks starve on the loaded machine; its
            // counters stay in the sums (only a closed one would leave them, which Traffic refuses), so it is reported,
            // not fatal.
            for (Traffic t : List.of(d1, f1)) {
                if (t.meshConnected() != media || t.relayConnected() < relay) {
                    System.err.printf(
                            Locale.ROOT,
                            "bandwidth: %s %d: at the window's end %d media connections (expected %d) and %d of %d relay connections were connected%n",
                            topology.label,
                            n,
                            t.meshConnected(),
                            media,
                            t.relayConnected(),
                            relay);
                }
            }
            double scrollSeconds = ((Number) scrolled.get(1)).doubleValue() / 1000;
            return new Measurement(
                    n,
                    topology.label,
                    ((Number) scrolled.get(0)).doubleValue() / scrollSeconds,
                    views / scrollSeconds,
                    d1.meshConnected() + d1.relayConnected(),
                    d0.sentUntil(d1),
                    d0.receivedUntil(d1),
                    f0.sentUntil(f1),
                    f0.receivedUntil(f1),
                    loadAverage());
        } finally {
            if (crowd != null) {
                crowd.close();
            }
        }
    }

    /**
     * Waits until the page has exactly {@code media} connected media connections (mesh peers, or the SFU's in relay
     * mode: more means its mesh is not closed yet) and {@code relay} to the relay.
     */
    private static void awaitConnections(Page p, int media, int relay) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        Traffic t;
        do {
            t = Traffic.parse(p.evaluate(Traffic.SNAPSHOT));
            if (t.meshConnected() == media && t.relayConnected() >= relay) {
                return;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < end);
        throw new IllegalStateException(
                t.meshConnected() + " media connections (expected " + media + ") and " + t.relayConnected() + " of "
                        + relay + " relay connections connected after " + TIMEOUT_MS / 1000 + " s");
    }

    /** The 1-minute load average (-1 where /proc/loadavg cannot be read). */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The sequence number of the driver's last VIEW (the viewport's attribute is set on every send). */
    private static int sentSeq(Page driver) {
        return Integer.parseInt(driver.getAttribute("[data-testid=viewport]", "data-sync-seq"));
    }

    private static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
    }
}
