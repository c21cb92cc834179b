package org.medsync.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.medsync.archive.encode.Transcoder;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;

/**
 * How an archive is set up on this node (ServerConfig's {@code archive.*} keys; docs/configuration.md).
 *
 * @param store where the bytes live (a directory by default; S3 for several nodes)
 * @param stagingDir local scratch space for jobs (a source copy and its outputs while a transcode runs)
 * @param workers job worker threads on this node (0: this node runs no jobs)
 * @param lease how long a claimed job stays a worker's without a renewal; a killed worker's job is taken over after it
 * @param node the prefix of this node's worker ids (null: {@code host:pid})
 * @param poll how often an idle worker looks for a job
 */
public record ArchiveSettings(
        StoreSettings store,
        Path stagingDir,
        int workers,
        Duration lease,
        String node,
        Duration poll,
        Transcoder.Settings transcode) {

    /** Opens the object store (the merge adds S3 beside {@link #directory}). */
    @FunctionalInterface
    public interface StoreSettings {
        ObjectStore open() throws IOException;

        /** Objects in a directory of this machine (or a shared file system). */
        static StoreSettings directory(Path dir) {
            return () -> new FileObjectStore(dir);
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
                Transcoder.Settings.defaults());
    }

    public ArchiveSettings withWorkers(int n) {
        return new ArchiveSettings(store, stagingDir, n, lease, node, poll, transcode);
    }

    public ArchiveSettings withLease(Duration d) {
        return new ArchiveSettings(store, stagingDir, workers, d, node, poll, transcode);
    }

    public ArchiveSettings withNode(String name) {
        return new ArchiveSettings(store, stagingDir, workers, lease, name, poll, transcode);
    }

    public ArchiveSettings withPoll(Duration d) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, d, transcode);
    }

    public ArchiveSettings withTranscode(Transcoder.Settings t) {
        return new ArchiveSettings(store, stagingDir, workers, lease, node, poll, t);
    }
}
