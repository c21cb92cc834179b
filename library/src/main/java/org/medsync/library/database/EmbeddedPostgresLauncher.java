package org.medsync.library.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts zonky's embedded PostgreSQL with a persistent data directory on 127.0.0.1, closed to everyone who does
 * not hold its password. PostgreSQL refuses to run as root; when MedSync is started as root zonky runs it in a
 * user namespace ({@code unshare -U}), where it is not root but still owns the files, so nothing needs chown-ing.
 *
 * <p>zonky's own initdb trusts every local connection, which would let any user of the host connect as
 * superuser and read password hashes, the invite key and the de-identification salt. So the superuser gets a
 * generated password, kept 0600 in {@code <data directory>.password} beside the PostgreSQL directory, and every
 * line of pg_hba.conf asks for it with scram-sha-256. A directory made by an earlier version (trust) is
 * migrated at its first start: password set, pg_hba.conf rewritten, configuration reloaded.
 */
final class EmbeddedPostgresLauncher {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    static final String SUPERUSER = "postgres";
    /** The only pg_hba.conf MedSync runs with: nothing connects without the password. */
    static final String PG_HBA = """
            # Written by MedSync: every connection needs the superuser's password (<data directory>.password).
            # MedSync starts PostgreSQL without a Unix socket; the local lines close it should one be configured.
            local   all          all                 scram-sha-256
            host    all          all  127.0.0.1/32   scram-sha-256
            host    all          all  ::1/128        scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all  127.0.0.1/32   scram-sha-256
            host    replication  all  ::1/128        scram-sha-256
            """;

    /** The running server and the superuser password its JDBC connections must give. */
    record Started(EmbeddedPostgres postgres, String password) {}

    private EmbeddedPostgresLauncher() {}

    static Started start(Path dataDirectory, int port) throws IOException {
        PrivateFiles.directories(dataDirectory);
        Path passwordFile = passwordFile(dataDirectory);
        boolean fresh = !Files.exists(dataDirectory.resolve("postgresql.conf"));
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (!fresh
                && !Files.exists(passwordFile)
                && Files.exists(hba)
                && Files.readString(hba).equals(PG_HBA)) {
            // A new password would not open it: say so now rather than after a minute of refused logins.
            throw new IOException("the embedded database in " + dataDirectory + " needs its password, and "
                    + passwordFile + " is missing: restore it from the backup of the data directory");
        }
        String password = readOrCreatePassword(passwordFile);
        var builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // No Unix socket: it would be in /tmp, open to every local user (behind the password, but one door
                // fewer).
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("max_connections", "50")
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky turns this off for throwaway test databases; here a commit must survive a crash of PostgreSQL.
                .setServerConfig("synchronous_commit", "on")
                .setConnectConfig("password", password)
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setPGStartupWait(Duration.ofSeconds(60));
        if (fresh) {
            // zonky runs "initdb -A trust" and passes its "locale" entries after that as --key=value; initdb's
            // last option wins, so the cluster is created with the password and never trusts anyone, not even
            // for the moment between initdb and a later ALTER ROLE.
            builder.setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString());
        }
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        try {
            closeTrustingDirectory(postgres, dataDirectory, password);
            // zonky's lock file is made with the umask's permissions; it holds nothing, but nothing of ours is readable
            // by others.
            Path lock = dataDirectory.resolve("epg-lock");
            if (Files.exists(lock)) {
                PrivateFiles.restrict(lock);
            }
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new Started(postgres, password);
    }

    static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    }

    /**
     * Sets the password and writes MedSync's pg_hba.conf unless it is in place: a directory made by an earlier
     * version trusts every local connection, and one made by initdb here has the password but initdb's lines.
     * Each step can be repeated, so a start interrupted half-way finishes the job at the next start.
     */
    private static void closeTrustingDirectory(EmbeddedPostgres postgres, Path dataDirectory, String password)
            throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readString(hba).equals(PG_HBA)) {
            return;
        }
        boolean trusted = Files.readString(hba)
                .lines()
                .map(String::strip)
                .anyMatch(l -> !l.startsWith("#") && l.endsWith("trust"));
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            // The password is base64url: no quote can end the literal. DDL takes no bind parameters.
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            PrivateFiles.write(hba, PG_HBA.getBytes(StandardCharsets.UTF_8));
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
        if (trusted) {
            log.warn(
                    "Embedded PostgreSQL in {} trusted local connections (made by an earlier MedSync): it now requires the password in {}",
                    dataDirectory,
                    passwordFile(dataDirectory));
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            try {
                PrivateFiles.create(
                        file, Base64.getUrlEncoder().withoutPadding().encode(raw));
            } catch (FileAlreadyExistsException e) {
                // another start made it first: use that one
            }
        }
        PrivateFiles.restrict(file);
        String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!password.matches("[A-Za-z0-9_-]{20,}")) {
            throw new IOException(
                    file
                            + " does not hold a MedSync database password (20 or more of A-Z a-z 0-9 - _); delete it only together with the database");
        }
        return password;
    }
}
