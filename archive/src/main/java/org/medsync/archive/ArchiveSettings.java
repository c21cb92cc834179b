package org.medsync.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.medsync.archive.encode.Transcoder;
import org.medsync.archive.retention.RetentionSettings;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.S3ObjectStore;
import org.medsync.archive.upload.TusUploads;

/**
 * How an archive is set up on this node (ServerConfig's {@code archive.*} keys; docs/configuration.md).
 *
 * @param store where the bytes live (a directory by default; S3 for several nodes)
 * @param stagingDir local scratch space for jobs (a source copy and its outputs while a transcode runs)
 * @param workers job worker threads on this node (0: this node runs no jobs)
 * @param lease how long a claimed job stays a worker's without a renewal; a killed worker's job is taken over after it
 * @param node the prefix of this node's worker ids (null: {@code host:pid})
 * @param poll how often an idle worker looks for a job
 * @param uploads where resumable uploads are staged until complete, how large they may be, how long they may rest
 * @param retention whether the daily expiry job deletes what it finds expired, and when it is queued
 */
public record ArchiveSettings(
        StoreSettings store,
        Path stagingDir,
        int workers,
        Duration lease,
        String node,
        Duration poll,
        Transcoder.Settings transcode,
        TusUploads.Settings uploads,
        RetentionSettings retention) {

    /** The path the recorder upload endpoint is served at (docs/archive-api.md). */
    public static final String UPLOADS_PATH = "/api/archive/uploads";

    /** 200 GB: ten hours of a 4:2:2 10-bit master at 45 Mb/s, with room to spare. */
    public static final long DEFAULT_UPLOAD_MAX_BYTES = 200L * 1000 * 1000 * 1000;

    /** Opens the object store: a directory, or S3. */
    @FunctionalInterface
    public interface StoreSettings {
        ObjectStore open() throws IOException;

        /** Objects in a directory of this machine (or a shared file system). */
        static StoreSettings directory(Path dir) {
            return () -> new FileObjectStore(dir);
        }

        /** Objects in an S3-compatible bucket every node shares. */
        static StoreSettings s3(S3ObjectStore.Settings settings) {
            return () -> new S3ObjectStore(settings);
        }
    }

    public ArchiveSettings {
        if (workers < 0) {
            throw new IllegalArgumentException("archive.workers must be 0 or more: " + workers);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("archive.job-lease must be positive: " + lease);
        }
    }

    /** Defaults for a data directory: objects in {@code <dir>/objects}, staging in {@code <dir>/staging}. */
    public static ArchiveSettings defaults(Path dir) {
        return new ArchiveSettings(
                StoreSettings.directory(dir.resolve("objects")),
                dir.resolve("staging"),
                1,
                Duration.ofSeconds(60),
                null,
                Duration.ofSeconds(1),
                Transcoder.Settings.defaults(),
                new TusUploads.Settings(
                        dir.resolve("uploads"), DEFAULT_UPLOAD_MAX_BYTES, Duration.ofDays(7), UPLOADS_PATH),
                RetentionSettings.defaults());
    }

    public ArchiveSettings withWorkers(int n) {
        return new ArchiveSettings(store, stagingDir, n, lease, node, poll, transcode, uploads, retention);
    }

    public ArchiveSettings withLease(Duration d) {
        return new ArchiveSettings(store, stagingDir, workers, d, node, poll, transcode, uploads, retention);
    }

    public ArchiveSettings withNode(String name) {
        return new ArchiveSettings(store, stagingDir, workers, lease, name, poll, transcode, uploads, retention);
    }

    public ArchiveSettings withPoll(Duration d) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, d, transcode, uploads, retention);
    }

    public ArchiveSettings withStore(StoreSettings s) {
        return new ArchiveSettings(s, stagingDir, workers, lease, node, poll, transcode, uploads, retention);
    }

    public ArchiveSettings withUploads(TusUploads.Settings u) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, transcode, u, retention);
    }

    public ArchiveSettings withRetention(RetentionSettings r) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, transcode, uploads, r);
    }

    public ArchiveSettings withTranscode(Transcoder.Settings t) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, t, uploads, retention);
    }
}
