package org.medsync.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.access.Privileges;
import org.medsync.archive.anonymize.AnonymizeHandler;
import org.medsync.archive.audit.AuditChain;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Objects;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.encode.ExportWatermark;
import org.medsync.archive.encode.TranscodeHandler;
import org.medsync.archive.export.ExportMarker;
import org.medsync.archive.export.ExportSigningKey;
import org.medsync.archive.export.LegalExports;
import org.medsync.archive.fixity.Fixity;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.jobs.Workers;
import org.medsync.archive.keys.KeyProvider;
import org.medsync.archive.retention.Deletions;
import org.medsync.archive.retention.Holds;
import org.medsync.archive.retention.ObjectLocks;
import org.medsync.archive.retention.Retention;
import org.medsync.archive.retention.RetentionExpiry;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.ReplicatedObjectStore;
import org.medsync.archive.upload.TusUploads;
import org.medsync.archive.vault.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video archive of one node, wired from its settings (docs/archive.md): the object store, the index, the job
 * queue, and (after {@link #startWorkers()}) this node's job workers. Every node of a cluster opens its own Archive on
 * the shared database and store; any of them may run workers.
 */
public final class Archive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Archive.class);
    /** The export signing key's file name in the archive's directory. */
    public static final String EXPORT_KEY_FILE = "export-signing-key.pem";

    private final DataSource db;
    private final ArchiveSettings settings;
    private final Vault vault;
    private final Recordings recordings;
    private final Hospitals hospitals;
    private final Objects objects;
    private final Renditions renditions;
    private final Flags flags;
    private final JobQueue jobs;
    private final Devices devices;
    private final Fixity fixity;
    private TusUploads uploads;
    private ScheduledExecutorService uploadSweeper;
    private ScheduledExecutorService anchorPublisher;
    private ExportMarker exportMarker = ExportMarker.NONE;
    private ScheduledExecutorService retentionSchedule;
    private final Retention retention;
    private final RetentionExpiry expiry;
    private final List<JobHandler> handlers = new ArrayList<>();
    private Workers workers;

    private Archive(DataSource db, ArchiveSettings settings, Vault vault) {
        this.db = db;
        this.settings = settings;
        this.vault = vault;
        this.recordings = new Recordings(db);
        this.hospitals = new Hospitals(db);
        this.objects = new Objects(db);
        this.renditions = new Renditions(db);
        this.flags = new Flags(db);
        this.jobs = new JobQueue(db, settings.lease());
        this.devices = new Devices(db);
        ArchiveSettings.Fixity f = settings.fixity();
        this.fixity = new Fixity(
                db,
                vault.store(),
                jobs,
                accessLog(),
                settings.stagingDir().resolve("fixity"),
                settings.node() == null ? Workers.defaultNode() : settings.node(),
                f.interval(),
                f.batchSize(),
                f.maxBytesPerRound());
        if (vault.store() instanceof ReplicatedObjectStore replicated) {
            replicated.onCopyFailed(fixity::copyFailed);
        }
        this.retention = new Retention(db);
        this.expiry = new RetentionExpiry(
                db,
                retention,
                holds(),
                deletions(),
                new ObjectLocks(db, vault),
                accessLog(),
                settings.retention(),
                clock());
    }

    /** Opens the store and the index on a migrated database (Flyway runs db/migration at Database.start). */
    public static Archive open(DataSource db, ArchiveSettings settings) throws IOException {
        ObjectStore store = openStore(settings);
        try {
            Optional<KeyProvider> keys = settings.keys().open();
            Vault vault = keys.isPresent()
                    ? new Vault(db, store, keys.get(), settings.stagingDir().resolve("vault"))
                    : new Vault(db, store);
            Archive archive = new Archive(db, settings, vault);
            // A recording whose upload completed is transcoded; after a crash the listener may hear of it twice.
            archive.uploads = new TusUploads(
                    settings.uploads(),
                    db,
                    archive.hospitals,
                    archive.recordings,
                    archive.vault,
                    r -> archive.jobs.enqueueOnce(r.id(), TranscodeHandler.KIND, "{}"),
                    Clock.systemUTC());
            // Where the store locks objects (S3 Object Lock), an upload is locked until its retention end at once.
            archive.uploads.retainUntil(archive.retention::endAtIngest);
            archive.handlers.add(new TranscodeHandler(
                    archive.recordings,
                    archive.hospitals,
                    archive.renditions,
                    archive.flags,
                    archive.vault,
                    settings.stagingDir(),
                    settings.transcode()));
            archive.handlers.add(new AnonymizeHandler(
                    db, archive.vault, settings.stagingDir().resolve("anonymize")));
            // Rows written before the chain existed join it once, oldest first, before anything new is appended.
            int chained = archive.audit().chainUnchained();
            if (chained > 0) {
                log.info("Chained {} audit rows written before the audit chain existed", chained);
            }
            archive.handlers.add(archive.fixity.handler());
            if (settings.transcode().watermark() != null) {
                archive.useExportMarker(
                        recipientMarker(new ExportWatermark(settings.transcode().watermark())));
            }
            archive.handlers.add(archive.expiry);
            return archive;
        } catch (SQLException e) {
            store.close();
            throw new IOException("the audit trail could not be chained: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** A legal export's master copy marked for its recipient: the package then says whom a leaked copy came from. */
    private static ExportMarker recipientMarker(ExportWatermark watermark) {
        return (video, mark, workDir) -> {
            Path marked = workDir.resolve("marked-" + video.getFileName());
            try {
                watermark.mark(
                        video,
                        marked,
                        mark.hospitalId(),
                        mark.recordingId(),
                        mark.exportId(),
                        mark.recipientFingerprint());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("marking the export's copy was interrupted");
            }
            return marked;
        };
    }

    /** The primary location, and with {@code archive.copy.*} a second one every blob is also written to. */
    private static ObjectStore openStore(ArchiveSettings settings) throws IOException {
        ObjectStore primary = settings.store().open();
        if (settings.fixity().copy() == null) {
            return primary;
        }
        try {
            return new ReplicatedObjectStore(List.of(
                    new ReplicatedObjectStore.Location(Fixity.PRIMARY, primary),
                    new ReplicatedObjectStore.Location(
                            "copy", settings.fixity().copy().open())));
        } catch (IOException | RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    /** Fixity of the stored blobs: checks, repairs, the integrity status (docs/archive-evidence.md). */
    public Fixity fixity() {
        return fixity;
    }

    /** Starts this node's fixity scheduler (one node per interval queues a round; every node's workers run it). */
    public void startFixityScheduler() {
        fixity.startScheduler();
    }

    /** The archive's objects (content by SHA-256), however they rest in the object store beneath. */
    public Vault vault() {
        return vault;
    }

    /** What {@link #encryptExisting} did. */
    public record Encrypted(int encrypted, int unused) {}

    /**
     * Encrypts every object still stored in the clear (from before encryption at rest) for the hospitals whose
     * recordings use it, each as a new blob, the old blob deleted. Objects no recording uses are left and counted.
     */
    public Encrypted encryptExisting() throws IOException {
        Map<String, List<String>> users = new LinkedHashMap<>();
        int unused = 0;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select b.sha256, u.hospital_id from archive_blob b left join"
                        + " (select source_object as sha256, hospital_id from archive_recording"
                        + " union select f.sha256, r.hospital_id from archive_rendition_file f"
                        + " join archive_recording r on r.id = f.recording_id) u on u.sha256 = b.sha256"
                        + " where b.cipher = 'none' order by b.sha256, u.hospital_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String hospital = r.getString(2);
                if (hospital == null) {
                    unused++;
                } else {
                    users.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(hospital);
                }
            }
        } catch (SQLException e) {
            throw new IOException("the archive's index could not list the objects stored in the clear", e);
        }
        int n = 0;
        for (Map.Entry<String, List<String>> e : users.entrySet()) {
            if (vault.encryptExisting(e.getKey(), e.getValue())) {
                n++;
            }
        }
        return new Encrypted(n, unused);
    }

    /** The database the archive's tables live in (beside the library's and the server's). */
    public DataSource dataSource() {
        return db;
    }

    /** Who may see and do what with a recording: the one place that decides (docs/archive.md "Access"). */
    public Privileges privileges() {
        return new Privileges(db, clock());
    }

    /** Where every access to a recording is appended. */
    public AccessLog accessLog() {
        return new AccessLog(db);
    }

    /** The access log as a hash chain: verification, anchors, entries for export (docs/archive-evidence.md). */
    public AuditChain audit() {
        return new AuditChain(db);
    }

    /**
     * Sets what marks the video of a legal export for its recipient (the watermark module's mark); until then
     * {@link ExportMarker#NONE}. The one place a marker is wired in, for the routes and the command line alike.
     */
    public synchronized void useExportMarker(ExportMarker marker) {
        this.exportMarker = marker;
    }

    /**
     * Legal exports (docs/archive-evidence.md "Legal export"), the video of each marked for its recipient by the
     * {@link #useExportMarker marker}, signed by {@link #exportSigningKey()}.
     */
    public synchronized LegalExports exports() {
        return new LegalExports(
                recordings,
                hospitals,
                renditions,
                flags,
                vault,
                accessLog(),
                audit(),
                exportSigningKey(),
                exportMarker,
                settings.stagingDir().resolve("exports"),
                settings.node() == null ? "medsync-archive" : "medsync-archive:" + settings.node(),
                clock());
    }

    /** The key legal exports are signed with: in the archive's directory (beside staging), 0600, made on first use. */
    public ExportSigningKey exportSigningKey() {
        return new ExportSigningKey(settings.stagingDir().resolveSibling(EXPORT_KEY_FILE));
    }

    /**
     * Publishes the audit chain's head every {@code period} on this node: a log line and a row of
     * archive_audit_anchor (docs/archive-evidence.md). Harmless on several nodes: an unchanged head is not repeated.
     */
    public synchronized void startAuditAnchors(Duration period) {
        if (anchorPublisher != null) {
            return;
        }
        anchorPublisher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("archive-audit-anchor").factory());
        anchorPublisher.scheduleWithFixedDelay(this::publishAuditAnchor, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes the head now; the log line is what an operator ships off this machine. */
    public void publishAuditAnchor() {
        try {
            audit().publishAnchor(settings.node())
                    .ifPresent(a -> log.info("Audit chain head: seq={} hash={} at={}", a.seq(), a.hash(), a.at()));
        } catch (SQLException | RuntimeException e) {
            log.warn("Publishing the audit chain's head failed: {}", e.toString());
        }
    }

    /** The clock grants, links and leases are judged by. */
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Retention policies, patient visits and each recording's retention end. */
    public Retention retention() {
        return retention;
    }

    /** Legal holds. */
    public Holds holds() {
        return new Holds(db, accessLog(), clock());
    }

    /** The only way a recording and its objects are deleted. */
    public Deletions deletions() {
        return new Deletions(db, vault, retention, accessLog(), clock());
    }

    /** The daily retention-expiry job and its reports. */
    public RetentionExpiry expiry() {
        return expiry;
    }

    /** S3 Object Locks that follow retention ends. */
    public ObjectLocks objectLocks() {
        return new ObjectLocks(db, vault);
    }

    public Recordings recordings() {
        return recordings;
    }

    public Hospitals hospitals() {
        return hospitals;
    }

    public Objects objects() {
        return objects;
    }

    public Renditions renditions() {
        return renditions;
    }

    public Flags flags() {
        return flags;
    }

    public JobQueue jobs() {
        return jobs;
    }

    public ArchiveSettings settings() {
        return settings;
    }

    /**
     * Adds the handler of another job kind (anonymize, send-to-pacs), before {@link #startWorkers()}.
     *
     * @throws IllegalStateException once workers run
     */
    public synchronized void addHandler(JobHandler handler) {
        if (workers != null) {
            throw new IllegalStateException("add job handlers before the workers start");
        }
        handlers.add(handler);
    }

    /** Queues the transcode of a stored recording and returns the job's id. */
    public long enqueueTranscode(String recordingId) throws SQLException {
        return jobs.enqueue(recordingId, TranscodeHandler.KIND, "{}");
    }

    /** Recorders and their credentials. */
    public Devices devices() {
        return devices;
    }

    /** Resumable (tus) uploads of recordings into this archive. */
    public TusUploads uploads() {
        return uploads;
    }

    /** Starts discarding uploads that expired, every 10 minutes on this node. */
    public synchronized void startUploadSweeper() {
        if (uploadSweeper != null) {
            return;
        }
        uploadSweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("archive-upload-sweeper").factory());
        uploadSweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        uploads.sweep();
                    } catch (Exception e) {
                        log.warn("Sweeping expired uploads failed: {}", e.toString());
                    }
                },
                1,
                10,
                TimeUnit.MINUTES);
    }

    /**
     * Queues the day's retention-expiry run once it is due (archive.retention.*), checking every 10 minutes on this
     * node; every node may do so, the queue keeps one run a day, and any node's workers run it.
     */
    public synchronized void startRetentionSchedule() {
        if (retentionSchedule != null) {
            return;
        }
        retentionSchedule = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("archive-retention-schedule").factory());
        retentionSchedule.scheduleWithFixedDelay(
                () -> {
                    try {
                        RetentionExpiry.enqueueDaily(db, jobs, settings.retention(), clock().instant())
                                .ifPresent(id -> log.info("Queued the daily retention-expiry run as job {}", id));
                    } catch (Exception e) {
                        log.warn("Queueing the retention-expiry run failed: {}", e.toString());
                    }
                },
                1,
                10,
                TimeUnit.MINUTES);
    }

    /** Starts {@code settings.workers()} worker threads on this node; no-op when 0 or already started. */
    public synchronized void startWorkers() {
        if (workers != null || settings.workers() == 0) {
            return;
        }
        workers = new Workers(jobs, handlers, settings.workers(), settings.node(), settings.poll()).start();
    }

    /** This node's workers, or null when none run. */
    public synchronized Workers workers() {
        return workers;
    }

    /** Stops the workers (their jobs go back to the queue) and closes the store. */
    @Override
    public synchronized void close() throws IOException {
        fixity.close();
        if (uploadSweeper != null) {
            uploadSweeper.shutdownNow();
            uploadSweeper = null;
        }
        if (anchorPublisher != null) {
            anchorPublisher.shutdownNow();
            anchorPublisher = null;
        }
        if (retentionSchedule != null) {
            retentionSchedule.shutdownNow();
            retentionSchedule = null;
        }
        if (workers != null) {
            workers.close();
            workers = null;
        }
        vault.close();
    }
}
