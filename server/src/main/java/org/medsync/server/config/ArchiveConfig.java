package org.medsync.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.retention.RetentionSettings;
import org.medsync.archive.store.S3ObjectStore;
import org.medsync.archive.upload.TusUploads;
import org.medsync.library.secrets.Secrets;
import org.medsync.server.auth.Role;

/**
 * The video archive's settings (docs/configuration.md, "Video archive"): where objects live (a directory, or an
 * S3-compatible bucket shared by every node), where and how large resumable uploads may be, and this node's share of
 * the job workers.
 *
 * @param dir where the archive keeps its local files: staging of jobs, and by default objects and uploads
 * @param workers job worker threads on this node; 0 runs none here (other nodes do the jobs)
 * @param jobLease how long a job stays a worker's without renewal: a killed worker's job is taken over after it
 * @param store {@code file} (default, zero setup) or {@code s3}
 * @param s3Endpoint null: AWS itself (for {@code s3Region})
 * @param uploadExpiry how long an upload may rest between PATCHes before it is discarded
 * @param retention the daily expiry job: whether it deletes (archive.retention.delete-expired) and when it is queued
 * @param holdRoles the roles that may place and lift legal holds besides admin (archive.retention.hold-roles)
 * @param s3ObjectLock whether S3 objects are written locked until their retention end (archive.s3.object-lock)
 */
public record ArchiveConfig(
        Path dir,
        int workers,
        Duration jobLease,
        String store,
        Path storeDir,
        URI s3Endpoint,
        String s3Region,
        String s3Bucket,
        String s3AccessKey,
        String s3SecretKey,
        Path uploadDir,
        long uploadMaxBytes,
        Duration uploadExpiry,
        RetentionSettings retention,
        Set<Role> holdRoles,
        S3ObjectStore.ObjectLock s3ObjectLock) {

    public static final long DEFAULT_UPLOAD_MAX_BYTES = ArchiveSettings.DEFAULT_UPLOAD_MAX_BYTES;

    public ArchiveConfig {
        if (workers < 0 || workers > 64) {
            throw new IllegalArgumentException("archive.workers must be 0..64, not " + workers);
        }
        if (jobLease.toMillis() < 1000 || jobLease.toHours() > 24) {
            throw new IllegalArgumentException("archive.job-lease must be 1 s .. 24 h, not " + jobLease);
        }
        if (!store.equals("file") && !store.equals("s3")) {
            throw new IllegalArgumentException("archive.store is 'file' or 's3', not '" + store + "'");
        }
        if (store.equals("s3") && (s3Bucket == null || s3AccessKey == null || s3SecretKey == null)) {
            throw new IllegalArgumentException("archive.store=s3 needs archive.s3.bucket, archive.s3.access-key and"
                    + " archive.s3.secret-key (or MEDSYNC_ARCHIVE_S3_SECRET_KEY)");
        }
        if (uploadMaxBytes <= 0) {
            throw new IllegalArgumentException("archive.upload.max-bytes must be positive");
        }
        if (uploadExpiry.isNegative() || uploadExpiry.isZero()) {
            throw new IllegalArgumentException("archive.upload.expiry must be a positive ISO 8601 duration");
        }
        // Admins always may: the set only widens who else may.
        EnumSet<Role> roles = EnumSet.of(Role.ADMIN);
        roles.addAll(holdRoles);
        holdRoles = Set.copyOf(roles);
    }

    /** The archive's settings for this node, named {@code node} in its job workers' ids. */
    public ArchiveSettings settings(String node) {
        ArchiveSettings.StoreSettings objects = store.equals("s3")
                ? ArchiveSettings.StoreSettings.s3(new S3ObjectStore.Settings(
                        s3Endpoint,
                        s3Region,
                        s3Bucket,
                        s3AccessKey,
                        s3SecretKey,
                        S3ObjectStore.Settings.DEFAULT_PART_SIZE,
                        true,
                        s3ObjectLock))
                : ArchiveSettings.StoreSettings.directory(storeDir);
        return ArchiveSettings.defaults(dir)
                .withStore(objects)
                .withUploads(
                        new TusUploads.Settings(uploadDir, uploadMaxBytes, uploadExpiry, ArchiveSettings.UPLOADS_PATH))
                .withWorkers(workers)
                .withLease(jobLease)
                .withNode(node)
                .withRetention(retention);
    }

    static ArchiveConfig from(Properties p, Path dataDir) {
        String workers = p.getProperty("archive.workers", "1").trim();
        int n;
        try {
            n = Integer.parseInt(workers);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("archive.workers must be a whole number, not '" + workers + "'");
        }
        String endpoint = text(p, "archive.s3.endpoint");
        String storeDir = text(p, "archive.store.dir");
        String uploadDir = text(p, "archive.upload.dir");
        String maxBytes = p.getProperty("archive.upload.max-bytes", "").trim();
        long max;
        try {
            max = maxBytes.isEmpty() ? DEFAULT_UPLOAD_MAX_BYTES : Long.parseLong(maxBytes);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "archive.upload.max-bytes must be a whole number of bytes, not '" + maxBytes + "'");
        }
        String region = text(p, "archive.s3.region");
        Path dir = dataDir.resolve("archive");
        return new ArchiveConfig(
                dir,
                n,
                duration(p, "archive.job-lease", "PT60S", "PT60S"),
                p.getProperty("archive.store", "file").trim().toLowerCase(Locale.ROOT),
                storeDir == null ? dir.resolve("objects") : Path.of(storeDir),
                endpoint == null ? null : URI.create(endpoint),
                region == null ? "us-east-1" : region,
                text(p, "archive.s3.bucket"),
                text(p, "archive.s3.access-key"),
                text(p, "archive.s3.secret-key"),
                uploadDir == null ? dir.resolve("uploads") : Path.of(uploadDir),
                max,
                duration(p, "archive.upload.expiry", "P7D", "P7D or PT12H"),
                new RetentionSettings(
                        flag(p, "archive.retention.delete-expired"), time(p, "archive.retention.daily-at", "02:00")),
                roles(p, "archive.retention.hold-roles"),
                S3ObjectStore.ObjectLock.parse(p.getProperty("archive.s3.object-lock", "off")));
    }

    private static boolean flag(Properties p, String key) {
        String v = p.getProperty(key, "false").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException(key + " is true or false, not '" + v + "'");
        };
    }

    private static LocalTime time(Properties p, String key, String fallback) {
        String v = p.getProperty(key, "").trim();
        try {
            return LocalTime.parse(v.isEmpty() ? fallback : v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is a time of day in UTC such as 02:00, not '" + v + "'");
        }
    }

    /** A comma-separated list of role names (admin is always included). */
    private static Set<Role> roles(Properties p, String key) {
        EnumSet<Role> out = EnumSet.of(Role.ADMIN);
        for (String name : p.getProperty(key, "").split(",")) {
            if (!name.isBlank()) {
                try {
                    out.add(Role.parse(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static Duration duration(Properties p, String key, String fallback, String example) {
        String v = p.getProperty(key, "").trim();
        try {
            return Duration.parse((v.isEmpty() ? fallback : v).toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    key + " must be an ISO 8601 duration such as " + example + ", not '" + v + "'");
        }
    }

    private static String text(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() ? null : v;
    }

    /** Without the S3 secret key. */
    @Override
    public String toString() {
        return Secrets.recordString(this, "s3SecretKey");
    }
}
