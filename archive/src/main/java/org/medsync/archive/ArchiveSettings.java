package org.medsync.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.medsync.archive.encode.Transcoder;
import org.medsync.archive.keys.KeyProvider;
import org.medsync.archive.keys.LocalKeyFile;
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
 * @param keys where the hospitals' key-encryption keys are (objects are encrypted at rest), or none (in the clear)
 * @param fixity a second location for copies of every blob, and how often blobs are re-verified (docs/archive.md)
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
        KeySettings keys,
        Fixity fixity,
        RetentionSettings retention) {

    /** The path the recorder upload endpoint is served at (docs/archive-api.md). */
    public static final String UPLOADS_PATH = "/api/archive/uploads";

    /** 200 GB: ten hours of a 4:2:2 10-bit master at 45 Mb/s, with room to spare. */
    public static final long DEFAULT_UPLOAD_MAX_BYTES = 200L * 1000 * 1000 * 1000;

    /** The name of the local key file in its directory. */
    public static final String DEFAULT_KEY_FILE = "archive.keys";

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

    /** Opens the key provider that wraps each object's data key; none: new objects are stored in the clear. */
    @FunctionalInterface
    public interface KeySettings {
        /** The provider, or empty to store new objects in the clear. */
        Optional<KeyProvider> open() throws IOException;

        /** The embedded default: keys in a 0600 file of this machine (docs/archive-evidence.md). */
        static KeySettings localFile(Path file) {
            return () -> Optional.of(new LocalKeyFile(file));
        }

        /** No encryption at rest: only for a store already encrypted by other means, or for tests. */
        static KeySettings none() {
            return Optional::empty;
        }
    }

    /**
     * Copies and their checks.
     *
     * @param copy a second location every blob is also written to (null: one location, the default)
     * @param interval how often the cluster queues a round of fixity batches (one node per round)
     * @param batchSize blobs per fixity job: small enough that a lost worker's batch is soon redone
     * @param maxBytesPerRound most bytes of blobs a round queues (0: every blob, each round); at scale, the stored
     *     bytes divided by the days a full pass may take, times the interval in days
     */
    public record Fixity(StoreSettings copy, Duration interval, int batchSize, long maxBytesPerRound) {
        public Fixity {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("archive.fixity.interval must be positive: " + interval);
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("archive.fixity.batch-size must be 1..100000, not " + batchSize);
            }
            if (maxBytesPerRound < 0) {
                throw new IllegalArgumentException("archive.fixity.max-bytes must be 0 or more: " + maxBytesPerRound);
            }
        }

        /** One location, every blob re-verified daily in batches of 1000. */
        public static Fixity defaults() {
            return new Fixity(null, Duration.ofDays(1), 1000, 0);
        }

        public Fixity withCopy(StoreSettings s) {
            return new Fixity(s, interval, batchSize, maxBytesPerRound);
        }
    }

    public ArchiveSettings {
        Objects.requireNonNull(fixity, "fixity");
        if (workers < 0) {
            throw new IllegalArgumentException("archive.workers must be 0 or more: " + workers);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("archive.job-lease must be positive: " + lease);
        }
    }

    /**
     * Defaults for a data directory: objects in {@code <dir>/objects}, staging in {@code <dir>/staging}, encrypted with
     * keys in {@code <dir>/keys/archive.keys}.
     */
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
                KeySettings.localFile(dir.resolve("keys").resolve(DEFAULT_KEY_FILE)),
                Fixity.defaults(),
                RetentionSettings.defaults());
    }

    public ArchiveSettings withWorkers(int n) {
        return new ArchiveSettings(
                store, stagingDir, n, lease, node, poll, transcode, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withLease(Duration d) {
        return new ArchiveSettings(
                store, stagingDir, workers, d, node, poll, transcode, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withNode(String name) {
        return new ArchiveSettings(
                store, stagingDir, workers, lease, name, poll, transcode, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withPoll(Duration d) {
        return new ArchiveSettings(
                store, stagingDir, workers, lease, node, d, transcode, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withStore(StoreSettings s) {
        return new ArchiveSettings(
                s, stagingDir, workers, lease, node, poll, transcode, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withUploads(TusUploads.Settings u) {
        return new ArchiveSettings(
                store, stagingDir, workers, lease, node, poll, transcode, u, keys, fixity, retention);
    }

    public ArchiveSettings withTranscode(Transcoder.Settings t) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, t, uploads, keys, fixity, retention);
    }

    public ArchiveSettings withKeys(KeySettings k) {
        return new ArchiveSettings(
                store, stagingDir, workers, lease, node, poll, transcode, uploads, k, fixity, retention);
    }

    public ArchiveSettings withFixity(Fixity f) {
        return new ArchiveSettings(
                store, stagingDir, workers, lease, node, poll, transcode, uploads, keys, f, retention);
    }

    public ArchiveSettings withRetention(RetentionSettings r) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, transcode, uploads, keys, fixity, r);
    }
}
