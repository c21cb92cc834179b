package org.medsync.server.janus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's Janus as a child process of the server: a generated minimal configuration in a temporary directory
 * that loads only the HTTP transport (on 127.0.0.1, a free port, a random api_secret, no admin API) and the plugins
 * its user names (the readout audio SFU: VideoRoom, and AudioBridge to mix large groups; the OR gateway: Streaming,
 * with no mountpoint until the server creates one, and AudioBridge for the OR's talk-back, with no room until the
 * server creates one), ICE on the configured interfaces and RTP port range. Stopped (and its directory deleted) when closed,
 * and by a shutdown hook if the JVM exits without closing it.
 */
public final class EmbeddedJanus implements AutoCloseable {
    /** The VideoRoom plugin (readout audio). */
    public static final String VIDEOROOM = "videoroom";
    /** The Streaming plugin (the OR gateway's fan-out). */
    public static final String STREAMING = "streaming";
    /**
     * The AudioBridge plugin: it mixes, so each participant gets one Opus stream of the others (the OR's talk-back,
     * and readout audio of large groups).
     */
    public static final String AUDIOBRIDGE = "audiobridge";

    /**
     * What to start.
     *
     * @param janus      the janus binary
     * @param rtpMin     first RTP/ICE port of the core (0: Janus's default range)
     * @param rtpMax     last RTP/ICE port
     * @param interfaces the only interfaces or addresses ICE gathers on (empty: all)
     * @param plugins    {@link #VIDEOROOM}, {@link #STREAMING}, {@link #AUDIOBRIDGE}
     * @param streamingRtpMin first port the Streaming plugin may bind a mountpoint's RTP ingest to (0: its default)
     * @param streamingRtpMax last such port
     * @param name       what the logs call this Janus
     */
    public record Options(
            Path janus,
            int rtpMin,
            int rtpMax,
            String interfaces,
            List<String> plugins,
            int streamingRtpMin,
            int streamingRtpMax,
            String name) {
        public Options {
            plugins = List.copyOf(plugins);
            if (plugins.isEmpty() || !List.of(VIDEOROOM, STREAMING, AUDIOBRIDGE).containsAll(plugins)) {
                throw new IllegalArgumentException(
                        "Janus plugins are " + VIDEOROOM + ", " + STREAMING + " and " + AUDIOBRIDGE);
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedJanus.class);
    private static final List<Path> LIBRARY_DIRS = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/janus"),
            Path.of("/usr/lib/aarch64-linux-gnu/janus"),
            Path.of("/usr/lib/janus"),
            Path.of("/usr/local/lib/janus"));

    /**
     * Runs Janus ("$0" with its arguments) under a small shell that stops it when told to (SIGTERM from
     * {@link #close()}) and also when the server's JVM is gone without closing it (killed): the shell's parent is the
     * JVM, checked every second. Janus alone would outlive a killed server.
     */
    public static final String WATCHDOG = """
            "$0" "$@" & janus=$!
            trap 'kill $janus 2>/dev/null; wait $janus; exit 0' TERM INT
            while kill -0 $PPID 2>/dev/null && kill -0 $janus 2>/dev/null; do sleep 1; done
            kill $janus 2>/dev/null; wait $janus
            """;

    private final Path dir;
    private final Process process;
    private final Thread hook;
    private final URI api;
    private final String apiSecret;

    private EmbeddedJanus(Path dir, Process process, URI api, String apiSecret) {
        this.dir = dir;
        this.process = process;
        this.api = api;
        this.apiSecret = apiSecret;
        this.hook = new Thread(this::stop, "janus-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Janus's HTTP API, on loopback. */
    public URI api() {
        return api;
    }

    /** The api_secret every request must carry. */
    public String apiSecret() {
        return apiSecret;
    }

    /** Starts Janus and waits until its HTTP API answers. */
    public static EmbeddedJanus start(Options settings, HttpClient http) throws JanusException {
        if (!Files.isExecutable(settings.janus())) {
            throw new JanusException(settings.janus() + " is missing: install Debian's janus (scripts/setup)");
        }
        Path lib = LIBRARY_DIRS.stream()
                .filter(d -> settings.plugins().stream()
                        .allMatch(p -> Files.exists(d.resolve("plugins/libjanus_" + p + ".so"))))
                .findFirst()
                .orElseThrow(() ->
                        new JanusException("Janus's plugins " + settings.plugins() + " not found in " + LIBRARY_DIRS));
        Path dir;
        Process process;
        int port;
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String secret = HexFormat.of().formatHex(raw);
        try {
            dir = Files.createTempDirectory("medsync-janus-");
            for (String d : List.of("plugins", "transports", "events", "loggers")) {
                Files.createDirectory(dir.resolve(d));
            }
            for (String plugin : settings.plugins()) {
                String so = "plugins/libjanus_" + plugin + ".so";
                Files.createSymbolicLink(dir.resolve(so), lib.resolve(so));
            }
            Files.createSymbolicLink(
                    dir.resolve("transports/libjanus_http.so"), lib.resolve("transports/libjanus_http.so"));
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            // 0600: janus.jcfg holds the api_secret.
            PrivateFiles.write(
                    dir.resolve("janus.jcfg"), config(dir, secret, settings).getBytes(StandardCharsets.UTF_8));
            PrivateFiles.write(dir.resolve("janus.transport.http.jcfg"), """
                    general: {
                    \tjson = "plain"
                    \tbase_path = "/janus"
                    \thttp = true
                    \tport = %d
                    \tip = "127.0.0.1"
                    \thttps = false
                    }
                    admin: {
                    \tadmin_http = false
                    \tadmin_https = false
                    }
                    """.formatted(port)
                    .getBytes(StandardCharsets.UTF_8));
            PrivateFiles.write(
                    dir.resolve("janus.plugin.videoroom.jcfg"), "general: {\n}\n".getBytes(StandardCharsets.UTF_8));
            // No room from a file (Debian's sample has a demo room with a known secret): the server creates each one
            // over the API with a secret and a pin.
            PrivateFiles.write(
                    dir.resolve("janus.plugin.audiobridge.jcfg"), "general: {\n}\n".getBytes(StandardCharsets.UTF_8));
            // No mountpoint from a file: the server creates each one over the API with a secret only it knows.
            PrivateFiles.write(
                    dir.resolve("janus.plugin.streaming.jcfg"),
                    (settings.streamingRtpMin() == 0
                                    ? "general: {\n}\n"
                                    : "general: {\n\trtp_port_range = \"" + settings.streamingRtpMin() + "-"
                                            + settings.streamingRtpMax() + "\"\n}\n")
                            .getBytes(StandardCharsets.UTF_8));
            PrivateFiles.create(dir.resolve("janus.log"), new byte[0]);
            process = new ProcessBuilder(
                            "/bin/sh",
                            "-c",
                            WATCHDOG,
                            settings.janus().toString(),
                            "-F",
                            dir.toString(),
                            "-C",
                            dir.resolve("janus.jcfg").toString(),
                            "-o")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("janus.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new JanusException("cannot start Janus: " + e.getMessage(), e);
        }
        EmbeddedJanus janus =
                new EmbeddedJanus(dir, process, URI.create("http://127.0.0.1:" + port + "/janus"), secret);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                String tail = janus.logTail();
                janus.close();
                throw new JanusException("Janus exited at start (" + process.exitValue() + "): " + tail);
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(janus.api + "/info"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200
                        && settings.plugins().stream().allMatch(p -> r.body().contains("janus.plugin." + p))) {
                    log.info(
                            "{}: Janus started (pid {}) on {} with ICE on {} and RTP ports {}",
                            settings.name(),
                            process.pid(),
                            janus.api,
                            settings.interfaces().isEmpty() ? "all interfaces" : settings.interfaces(),
                            settings.rtpMin() == 0 ? "default" : settings.rtpMin() + "-" + settings.rtpMax());
                    return janus;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                janus.close();
                throw new JanusException("interrupted while Janus started", e);
            }
            if (System.nanoTime() > deadline) {
                String tail = janus.logTail();
                janus.close();
                throw new JanusException("Janus did not answer within 20 s: " + tail);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                janus.close();
                throw new JanusException("interrupted while Janus started", e);
            }
        }
    }

    private static String config(Path dir, String secret, Options s) {
        StringBuilder c = new StringBuilder();
        c.append("general: {\n");
        c.append("\tconfigs_folder = \"").append(dir).append("\"\n");
        for (String d : List.of("plugins", "transports", "events", "loggers")) {
            c.append('\t')
                    .append(d)
                    .append("_folder = \"")
                    .append(dir.resolve(d))
                    .append("\"\n");
        }
        c.append("\tdebug_level = 4\n\tapi_secret = \"").append(secret).append("\"\n");
        c.append("\tsession_timeout = 60\n\tserver_name = \"medsync-")
                .append(s.plugins().getFirst())
                .append("\"\n}\n");
        c.append("media: {\n\tipv6 = false\n");
        if (s.rtpMin() != 0) {
            c.append("\trtp_port_range = \"")
                    .append(s.rtpMin())
                    .append('-')
                    .append(s.rtpMax())
                    .append("\"\n");
        }
        c.append("}\nnat: {\n\tnice_debug = false\n\tignore_mdns = true\n");
        if (!s.interfaces().isEmpty()) {
            c.append("\tice_enforce_list = \"").append(s.interfaces()).append("\"\n");
        }
        c.append("}\n");
        return c.toString();
    }

    /** The process id of Janus's watchdog shell (Janus itself is its only child). */
    public long pid() {
        return process.pid();
    }

    /** Whether Janus's watchdog runs (it outlives a dead Janus by up to a second: see {@link #answers}). */
    public boolean alive() {
        return process.isAlive();
    }

    /** Whether Janus answers on its API (within 2 s). */
    public boolean answers(HttpClient http) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/info"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines Janus logged (no patient data: it logs only ids, addresses and codecs). */
    public String logTail() {
        try (Stream<String> lines = Files.lines(dir.resolve("janus.log"))) {
            List<String> all = lines.toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - 8), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** Stops Janus and its watchdog: SIGTERM, then SIGKILL for whatever is still there after 5 s. */
    private void stop() {
        List<ProcessHandle> janus = process.descendants().toList();
        janus.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : janus) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still running after SIGTERM: forced below
        }
        janus.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle h : janus) { // SIGKILL is not instant either: wait until it is gone
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Janus (pid {}) did not exit within 10 s", h.pid());
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("janus: cannot delete {}: {}", dir, e.toString());
        }
        log.info("Janus stopped");
    }
}
