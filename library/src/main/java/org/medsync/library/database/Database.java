package org.medsync.library.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.medsync.library.secrets.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database of one MedSync installation: zonky's embedded server by default, or any external
 * server by JDBC URL. The schema is migrated by Flyway at start; migrations live in {@code db/migration}
 * of every module (library: V1-V99, server: V100-V199).
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** Either {@code jdbcUrl} is set (external) or {@code embeddedDataDirectory} (embedded). */
    public record Settings(String jdbcUrl, String user, String password, Path embeddedDataDirectory, int embeddedPort) {
        public static Settings embedded(Path dataDirectory, int port) {
            return new Settings(null, null, null, dataDirectory, port);
        }

        public static Settings external(String jdbcUrl, String user, String password) {
            return new Settings(jdbcUrl, user, password, null, 0);
        }

        public boolean isEmbedded() {
            return jdbcUrl == null || jdbcUrl.isBlank();
        }

        /** Without the password (see {@link Secrets}). */
        @Override
        public String toString() {
            return Secrets.recordString(this, "password");
        }
    }

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
    }

    public static Database start(Settings settings) throws IOException {
        EmbeddedPostgres embedded = null;
        HikariConfig config = new HikariConfig();
        if (settings.isEmbedded()) {
            var started = EmbeddedPostgresLauncher.start(settings.embeddedDataDirectory(), settings.embeddedPort());
            embedded = started.postgres();
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres");
            config.setUsername(EmbeddedPostgresLauncher.SUPERUSER);
            config.setPassword(started.password());
            log.info("Embedded PostgreSQL on 127.0.0.1:{}", embedded.getPort());
        } else {
            config.setJdbcUrl(settings.jdbcUrl());
            config.setUsername(settings.user());
            config.setPassword(settings.password());
            log.info("External PostgreSQL at {}", redact(settings.jdbcUrl()));
        }
        config.setMaximumPoolSize(16);
        config.setPoolName("medsync");
        // While PostgreSQL is down a request waits this long for a connection, then fails with a clear 503
        // (and /health says "down") instead of hanging for Hikari's default 30 s.
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new IOException("cannot connect to PostgreSQL: " + e.getMessage(), e);
        }
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new Database(embedded, ds);
    }

    /** Where the embedded server in {@code dataDirectory} keeps its superuser password (0600): other nodes of a cluster sharing it connect with it. */
    public static Path embeddedPasswordFile(Path dataDirectory) {
        return EmbeddedPostgresLauncher.passwordFile(dataDirectory);
    }

    /** The embedded server's TCP port (tests connect to it directly), or -1 for an external database. */
    int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Whether {@code e} (or a cause) says PostgreSQL cannot be reached: refused or dropped connections, the pool
     * timing out for want of one, the server shutting down or starting (SQLSTATE classes 08 and 57P). Such a
     * failure is the installation's, not the request's: answered 503 and retried, never shown as an empty result.
     */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    public boolean isUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***");
    }
}
