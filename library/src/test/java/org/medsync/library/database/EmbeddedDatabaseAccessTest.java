package org.medsync.library.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL holds password hashes, the invite key and the de-identification salt: only MedSync may connect. */
class EmbeddedDatabaseAccessTest {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private Path dir;

    @BeforeEach
    void createDirectory() throws Exception {
        // Under /tmp: when tests run as root the embedded PostgreSQL runs in a user namespace and must reach it.
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-db-test-");
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void localUserCannotConnectToEmbeddedDatabaseWithoutPassword() throws Exception {
        Path pgdata = dir.resolve("postgres");
        try (Database db = Database.start(Database.Settings.embedded(pgdata, 0))) {
            int port = db.embeddedPort();
            assertRefused(port, null);
            assertRefused(port, "");
            assertRefused(port, "postgres");
            assertRefused(port, password(pgdata).substring(1));
            try (Connection c = connect(port, password(pgdata));
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'")) {
                assertTrue(r.next());
                assertEquals(0, r.getInt(1), "every pg_hba.conf line asks for the password");
            }
            try (Connection c = connect(port, password(pgdata));
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SHOW unix_socket_directories")) {
                assertTrue(r.next());
                assertEquals("", r.getString(1), "no Unix socket in /tmp for every local user to knock at");
            }
            assertEquals(
                    org.medsync.library.files.PrivateFiles.FILE,
                    Files.getPosixFilePermissions(EmbeddedPostgresLauncher.passwordFile(pgdata)));
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.toList()) {
                    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
                    open.addAll(Files.getPosixFilePermissions(p));
                    open.retainAll(GROUP_OR_OTHER);
                    assertTrue(open.isEmpty(), p + " is readable by others: " + open);
                }
            }
        }
    }

    @Test
    void trustingDataDirectoryOfAnEarlierVersionIsClosedAtStartWithItsDataKept() throws Exception {
        Path pgdata = dir.resolve("postgres");
        // What earlier versions made: zonky's initdb with "trust", started exactly as they started it.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(pgdata)
                        .setCleanDataDirectory(false)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            Flyway.configure()
                    .dataSource(old.getPostgresDatabase())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before the upgrade')");
        }
        assertTrue(Files.readString(pgdata.resolve("pg_hba.conf")).contains("trust"));

        try (Database db = Database.start(Database.Settings.embedded(pgdata, 0))) {
            int port = db.embeddedPort();
            assertRefused(port, null);
            assertRefused(port, "wrong");
            assertEquals(EmbeddedPostgresLauncher.PG_HBA, Files.readString(pgdata.resolve("pg_hba.conf")));
            try (Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(r.next());
                assertEquals("before the upgrade", r.getString(1));
            }
        }
        // And the next start finds it closed and opens it with the same password.
        try (Database db = Database.start(Database.Settings.embedded(pgdata, 0))) {
            assertRefused(db.embeddedPort(), null);
            assertTrue(db.isUp());
        }
        // Without its password file it cannot be opened: a clear refusal, not a new password that does not fit.
        Path passwordFile = EmbeddedPostgresLauncher.passwordFile(pgdata);
        Files.move(passwordFile, dir.resolve("elsewhere"));
        IOException missing = assertThrows(
                IOException.class,
                () -> Database.start(Database.Settings.embedded(pgdata, 0)).close());
        assertTrue(missing.getMessage().contains(passwordFile.toString()), missing.getMessage());
        assertFalse(Files.exists(passwordFile));
    }

    private static void assertRefused(int port, String password) {
        SQLException e = assertThrows(
                SQLException.class,
                () -> connect(port, password).close(),
                "a connection with password " + (password == null ? "(none)" : "'" + password + "'")
                        + " must be refused");
        assertFalse(e.getMessage().isBlank());
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static String password(Path pgdata) throws Exception {
        return Files.readString(EmbeddedPostgresLauncher.passwordFile(pgdata)).trim();
    }
}
