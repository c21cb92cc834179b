package org.medsync.server.archive;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.S3ObjectStore;
import org.medsync.archive.upload.TusUploads;
import org.medsync.archive.upload.UploadListener;
import org.medsync.server.config.ArchiveConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's parts this server's routes use, built from its settings in one place.
 *
 * <p>MERGE NOTE (H1): stands in for H2's {@code org.medsync.archive.Archive} facade until it is merged: then the
 * store, hospitals and recordings come from the facade and the upload listener is {@code Archive}'s (enqueue the
 * transcode job). Until then an accepted upload is only logged.
 */
public final class ArchiveService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchiveService.class);
    public static final String UPLOADS_PATH = "/api/archive/uploads";

    private final ObjectStore store;
    private final Hospitals hospitals;
    private final Devices devices;
    private final Recordings recordings;
    private final TusUploads uploads;
    private final ScheduledExecutorService sweeper;

    private ArchiveService(
            ObjectStore store, Hospitals hospitals, Devices devices, Recordings recordings, TusUploads uploads) {
        this.store = store;
        this.hospitals = hospitals;
        this.devices = devices;
        this.recordings = recordings;
        this.uploads = uploads;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("archive-upload-sweeper").factory());
    }

    /** Opens the store and the upload staging directory; the sweeper of expired uploads starts with the server. */
    public static ArchiveService open(ArchiveConfig config, DataSource db, UploadListener listener) throws IOException {
        ObjectStore store = openStore(config);
        try {
            Hospitals hospitals = new Hospitals(db);
            Recordings recordings = new Recordings(db);
            TusUploads uploads = new TusUploads(
                    new TusUploads.Settings(
                            config.uploadDir(), config.uploadMaxBytes(), config.uploadExpiry(), UPLOADS_PATH),
                    db,
                    hospitals,
                    recordings,
                    store,
                    listener,
                    Clock.systemUTC());
            log.info("Archive objects in {}, uploads staged in {}", store.describe(), config.uploadDir());
            return new ArchiveService(store, hospitals, new Devices(db), recordings, uploads);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Until the archive's job queue is wired in (see the class comment): an accepted upload is logged. */
    public static UploadListener loggingListener() {
        return r -> log.info("Recording {} accepted; its processing starts when the job queue is merged", r.id());
    }

    static ObjectStore openStore(ArchiveConfig config) throws IOException {
        if (config.store().equals("s3")) {
            return new S3ObjectStore(new S3ObjectStore.Settings(
                    config.s3Endpoint(),
                    config.s3Region(),
                    config.s3Bucket(),
                    config.s3AccessKey(),
                    config.s3SecretKey(),
                    S3ObjectStore.Settings.DEFAULT_PART_SIZE,
                    true));
        }
        return new FileObjectStore(config.storeDir());
    }

    /** Starts discarding uploads that expired, every 10 minutes on this node. */
    public void startSweeping() {
        sweeper.scheduleWithFixedDelay(
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

    public ObjectStore store() {
        return store;
    }

    public Hospitals hospitals() {
        return hospitals;
    }

    public Devices devices() {
        return devices;
    }

    public Recordings recordings() {
        return recordings;
    }

    public TusUploads uploads() {
        return uploads;
    }

    @Override
    public void close() throws IOException {
        sweeper.shutdownNow();
        store.close();
    }
}
