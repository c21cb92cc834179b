package org.medsync.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The video archive's settings (docs/configuration.md, "Video archive"). Store, S3 and upload keys join this record
 * from the store-upload work.
 *
 * @param dir where the archive keeps its local files: {@code objects/} (the file store) and {@code staging/}
 * @param workers job worker threads on this node; 0 runs none here (other nodes do the jobs)
 * @param jobLease how long a job stays a worker's without renewal: a killed worker's job is taken over after it
 */
public record ArchiveConfig(Path dir, int workers, Duration jobLease) {
    public ArchiveConfig {
        if (workers < 0 || workers > 64) {
            throw new IllegalArgumentException("archive.workers must be 0..64, not " + workers);
        }
        if (jobLease.toMillis() < 1000 || jobLease.toHours() > 24) {
            throw new IllegalArgumentException("archive.job-lease must be 1 s .. 24 h, not " + jobLease);
        }
    }

    static ArchiveConfig from(Properties p, Path dataDir) {
        String workers = p.getProperty("archive.workers", "1").trim();
        String lease = p.getProperty("archive.job-lease", "PT60S").trim();
        int n;
        try {
            n = Integer.parseInt(workers);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("archive.workers must be a whole number, not '" + workers + "'");
        }
        Duration d;
        try {
            d = Duration.parse(lease);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "archive.job-lease must be an ISO 8601 duration such as PT60S, not '" + lease + "'");
        }
        return new ArchiveConfig(dataDir.resolve("archive"), n, d);
    }
}
