package org.medsync.archive;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.access.Privileges;
import org.medsync.archive.anonymize.AnonymizeHandler;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Objects;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.encode.TranscodeHandler;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.jobs.Workers;
import org.medsync.archive.retention.Deletions;
import org.medsync.archive.retention.Holds;
import org.medsync.archive.retention.ObjectLocks;
import org.medsync.archive.retention.Retention;
import org.medsync.archive.retention.RetentionExpiry;
import org.medsync.archive.store.ObjectStore;
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
    private TusUploads uploads;
    private ScheduledExecutorService uploadSweeper;
    private ScheduledExecutorService retentionSchedule;
    private final Retention retention;
    private final RetentionExpiry expiry;
    private final List<JobHandler> handlers = new ArrayList<>();
    private Workers workers;

    private Archive(DataSource db, ArchiveSettings settings, ObjectStore store) {
        this.db = db;
        this.settings = settings;
        this.vault = new Vault(db, store);
        this.recordings = new Recordings(db);
        this.hospitals = new Hospitals(db);
        this.objects = new Objects(db);
        this.renditions = new Renditions(db);
        this.flags = new Flags(db);
        this.jobs = new JobQueue(db, settings.lease());
        this.devices = new Devices(db);
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
        ObjectStore store = settings.store().open();
        try {
            Archive archive = new Archive(db, settings, store);
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
            archive.handlers.add(archive.expiry);
            return archive;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The archive's objects (content by SHA-256), however they rest in the object store beneath. */
    public Vault vault() {
        return vault;
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
        if (uploadSweeper != null) {
            uploadSweeper.shutdownNow();
            uploadSweeper = null;
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
