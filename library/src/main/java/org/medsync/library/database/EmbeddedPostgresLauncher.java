package org.medsync.library.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts zonky's embedded PostgreSQL with a persistent data directory on 127.0.0.1. PostgreSQL refuses to
 * run as root; when MedSync is started as root zonky runs it in a user namespace ({@code unshare -U}), where
 * it is not root but still owns the files, so nothing needs chown-ing.
 */
final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {}

    static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
        Files.createDirectories(dataDirectory);
        var builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "50")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setPGStartupWait(Duration.ofSeconds(60));
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }
}
