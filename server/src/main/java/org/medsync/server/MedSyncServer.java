package org.medsync.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.medsync.archive.Archive;
import org.medsync.archive.pacs.SendToPacsHandler;
import org.medsync.dicom.Deidentification;
import org.medsync.dicom.part10.DecodeLimits;
import org.medsync.library.StudyLibrary;
import org.medsync.library.database.Database;
import org.medsync.library.dicomweb.DicomWebSource;
import org.medsync.library.files.PrivateFiles;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.library.source.StudySource;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Sessions;
import org.medsync.server.config.ServerConfig;
import org.medsync.server.http.WebServer;
import org.medsync.server.or.LiveOrs;
import org.medsync.server.photo.PhotoIntake;
import org.medsync.server.readout.ReadoutService;
import org.medsync.server.tls.SelfSignedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running MedSync: database, library, accounts and the web server, started and stopped together. */
public final class MedSyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MedSyncServer.class);
    /** How often a serving node publishes the audit chain's head (docs/archive-evidence.md). */
    static final Duration AUDIT_ANCHOR_PERIOD = Duration.ofHours(1);

    public static final String VERSION = "0.1.0";

    private final ServerConfig config;
    private final Database database;
    private final StudyLibrary library;
    private final Accounts accounts;
    private ReadoutService readouts;
    private WebServer web;
    private Archive archive;
    private LiveOrs ors;
    private PhotoIntake photos;
    /** Photo processing: one worker (OpenCV and the restorer use the cores themselves), and a bounded queue. */
    static final int PHOTO_WORKERS = 1;

    static final int PHOTO_QUEUE = 64;

    private MedSyncServer(ServerConfig config, Database database) throws IOException {
        this.config = config;
        this.database = database;
        // Every read of an uploaded or stored file from here on inflates and decodes under these limits.
        DecodeLimits.use(config.decodeLimits());
        this.library = new StudyLibrary(database.dataSource(), config.storeDir());
        this.accounts = new Accounts(database.dataSource());
    }

    /** Opens the database and library without serving HTTP (for CLI commands such as import). */
    public static MedSyncServer open(ServerConfig config) throws IOException {
        restrictDataDirectory(config.dataDir());
        Database db = Database.start(
                config.dbUrl() == null
                        ? Database.Settings.embedded(config.embeddedDatabaseDir(), config.dbEmbeddedPort())
                        : Database.Settings.external(config.dbUrl(), config.dbUser(), config.dbPassword()));
        try {
            return new MedSyncServer(config, db);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public MedSyncServer serve() throws IOException {
        try {
            InstallationSettings settings = new InstallationSettings(database.dataSource());
            KeyStore keyStore = null;
            char[] keyPassword = null;
            if (config.httpsPort() >= 0) {
                keyPassword = (config.tlsKeystorePassword().isEmpty()
                                ? settings.secret("tls.keystore-password")
                                : config.tlsKeystorePassword())
                        .toCharArray();
                keyStore = SelfSignedCertificate.loadOrCreate(config.tlsKeystore(), keyPassword);
            }
            Map<String, StudySource> sources = new LinkedHashMap<>();
            sources.put(library.source().info().id(), library.source());
            for (DicomWebSource.Settings s : config.sources()) {
                sources.put(s.id(), new DicomWebSource(s));
            }
            // The invite key lives in the database, so every node of a cluster signs and verifies with the same key.
            readouts = new ReadoutService(
                    config.readout(),
                    settings.secret("readout.invite-key"),
                    Clock.systemUTC(),
                    database.dataSource(),
                    config.cluster());
            var services = new WebServer.Services(
                    accounts,
                    new Sessions(config.sessionIdle(), Clock.systemUTC()),
                    sources,
                    library.importer(),
                    new JsonDeidentifier(new Deidentification(settings.secret("deidentify.salt"))),
                    config.uploadMaxBytes(),
                    database::isUp,
                    VERSION,
                    readouts,
                    archive(),
                    config.pacs().destinations(config.sources()),
                    ors = new LiveOrs(
                            config.ors(),
                            database.dataSource(),
                            config.cluster().nodeName(),
                            Clock.systemUTC()),
                    config.archive().holdRoles(),
                    photos = new PhotoIntake(
                            database.dataSource(),
                            config.dataDir().resolve("photos"),
                            library,
                            PHOTO_WORKERS,
                            PHOTO_QUEUE,
                            Clock.systemUTC()));
            photos.resumeUnfinished();
            ors.joinCluster(config.cluster()); // one encode per flow across the nodes (docs/or-gateway.md)
            startArchiveWorkers();
            web = new WebServer(
                            new WebServer.Listen(
                                    config.httpHost(),
                                    config.httpPort(),
                                    config.httpsHost(),
                                    config.httpsPort(),
                                    keyStore,
                                    keyPassword,
                                    config.httpOrigins()),
                            services)
                    .start();
            return this;
        } catch (SQLException | GeneralSecurityException e) {
            throw new IOException("cannot start the server: " + e.getMessage(), e);
        }
    }

    /** The installation's database (the library's index, accounts, the archive's index). */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public StudyLibrary library() {
        return library;
    }

    public Accounts accounts() {
        return accounts;
    }

    /**
     * The video archive (store, index, job queue), opened on first use: by serve(), or by a CLI command that works on
     * the archive without serving.
     */
    public synchronized Archive archive() throws IOException {
        if (archive == null) {
            archive = Archive.open(
                    database.dataSource(),
                    config.archive()
                            .settings(config.cluster().nodeName() + ":"
                                    + ProcessHandle.current().pid()));
        }
        return archive;
    }

    /** This node's share of the archive's job workers (archive.workers; 0: other nodes do the jobs). */
    private void startArchiveWorkers() throws IOException {
        Archive archive = archive();
        archive.addHandler(new SendToPacsHandler(
                database.dataSource(),
                archive.vault(),
                config.pacs().destinations(config.sources()),
                archive.settings().stagingDir().resolve("pacs")));
        archive.startWorkers();
        archive.startUploadSweeper();
        archive.startAuditAnchors(AUDIT_ANCHOR_PERIOD);
        archive.startFixityScheduler();
        archive.startRetentionSchedule();
    }

    /** Photos of a screen (issue 15); null before the server started. */
    public PhotoIntake photos() {
        return photos;
    }

    /** Live ORs (the OR gateway and its SFU); null before the server started. */
    public LiveOrs ors() {
        return ors;
    }

    /** Readouts, their signaling hub and data relay; null before the server started. */
    public ReadoutService readouts() {
        return readouts;
    }

    /** The plain-HTTP address on loopback, or null when HTTP is off. */
    public URI httpUri() {
        return web == null || web.httpPort() < 0
                ? null
                : URI.create("http://" + hostForUri(config.httpHost()) + ":" + web.httpPort());
    }

    public URI httpsUri() {
        return web == null || web.httpsPort() < 0
                ? null
                : URI.create("https://" + (config.httpsHost().equals("0.0.0.0") ? "localhost" : config.httpsHost())
                        + ":" + web.httpsPort());
    }

    @Override
    public void close() {
        if (readouts != null) {
            readouts.close(); // leaves the cluster, then disposes the readout relay's native objects
        }
        if (web != null) {
            web.close();
        }
        if (ors != null) {
            ors.close(); // the encoders, then Janus
        }
        if (photos != null) {
            photos.close(); // unfinished photos stay "received" and are processed at the next start
        }
        if (archive != null) {
            try {
                archive.close(); // running jobs go back to the queue for another node
            } catch (IOException e) {
                log.warn("The archive did not close cleanly: {}", e.getMessage());
            }
        }
        try {
            library.close();
        } catch (IOException e) {
            log.warn("The study store did not close cleanly: {}", e.getMessage());
        }
        database.close();
    }

    /**
     * The data directory holds the database, its password, the studies and the TLS key: only the server's own
     * user may enter it. Everything is created 0700/0600; a directory of an earlier version (0755) gets its top
     * level restricted here, which closes what lies below without walking millions of study files.
     */
    static void restrictDataDirectory(Path dataDir) throws IOException {
        PrivateFiles.ownDirectory(dataDir);
        try (var entries = Files.list(dataDir)) {
            for (Path p : entries.toList()) {
                PrivateFiles.restrict(p);
            }
        }
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
