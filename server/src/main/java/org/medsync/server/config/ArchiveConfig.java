package org.medsync.server.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.encode.Transcoder;
import org.medsync.archive.keys.WatermarkKeys;
import org.medsync.archive.retention.RetentionSettings;
import org.medsync.archive.store.S3ObjectStore;
import org.medsync.archive.upload.TusUploads;
import org.medsync.library.secrets.Secrets;
import org.medsync.server.auth.Role;
import org.medsync.server.settings.PropertyValues;

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
 * @param keys {@code file} (default: objects encrypted at rest, keys in {@code keyFile}) or {@code none} (in the clear)
 * @param keyFile the local key file of the hospitals' key-encryption keys
 * @param copyStore a second location every blob is also written to: null (none, the default), {@code file} or
 *     {@code s3}, with its own directory or bucket and keys ({@code archive.copy.*})
 * @param fixityInterval how often the cluster queues a round of fixity checks
 * @param fixityBatchSize blobs per fixity job
 * @param fixityMaxBytes most bytes of blobs one round queues (0: all)
 * @param watermark whether the playback ladder and legal exports carry an invisible identifier (docs/archive-evidence.md)
 * @param watermarkKeyFile the key that writes and reads those marks (made 0600 on first use)
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
        String keys,
        Path keyFile,
        String copyStore,
        Path copyDir,
        URI copyS3Endpoint,
        String copyS3Region,
        String copyS3Bucket,
        String copyS3AccessKey,
        String copyS3SecretKey,
        Duration fixityInterval,
        int fixityBatchSize,
        long fixityMaxBytes,
        boolean watermark,
        Path watermarkKeyFile,
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
        if (!keys.equals("file") && !keys.equals("none")) {
            throw new IllegalArgumentException("archive.keys is 'file' or 'none', not '" + keys + "'");
        }
        if (uploadMaxBytes <= 0) {
            throw new IllegalArgumentException("archive.upload.max-bytes must be positive");
        }
        if (uploadExpiry.isNegative() || uploadExpiry.isZero()) {
            throw new IllegalArgumentException("archive.upload.expiry must be a positive ISO 8601 duration");
        }
        if (copyStore != null && !copyStore.equals("file") && !copyStore.equals("s3")) {
            throw new IllegalArgumentException(
                    "archive.copy.store is empty (no copy), 'file' or 's3', not '" + copyStore + "'");
        }
        if ("file".equals(copyStore) && copyDir == null) {
            throw new IllegalArgumentException("archive.copy.store=file needs archive.copy.dir");
        }
        if ("file".equals(copyStore)
                && store.equals("file")
                && copyDir.toAbsolutePath().equals(storeDir.toAbsolutePath())) {
            throw new IllegalArgumentException(
                    "archive.copy.dir is the object directory itself: a copy in the same" + " place is no copy");
        }
        if ("s3".equals(copyStore) && (copyS3Bucket == null || copyS3AccessKey == null || copyS3SecretKey == null)) {
            throw new IllegalArgumentException("archive.copy.store=s3 needs archive.copy.s3.bucket,"
                    + " archive.copy.s3.access-key and archive.copy.s3.secret-key (or"
                    + " MEDSYNC_ARCHIVE_COPY_S3_SECRET_KEY)");
        }
        if ("s3".equals(copyStore)
                && store.equals("s3")
                && copyS3Bucket.equals(s3Bucket)
                && Objects.equals(copyS3Endpoint, s3Endpoint)) {
            throw new IllegalArgumentException(
                    "archive.copy.s3.bucket is the archive's own bucket: a copy in the same" + " place is no copy");
        }
        if (fixityInterval.toMinutes() < 1) {
            throw new IllegalArgumentException(
                    "archive.fixity.interval must be at least a minute, not " + fixityInterval);
        }
        if (fixityBatchSize < 1 || fixityBatchSize > 100_000) {
            throw new IllegalArgumentException("archive.fixity.batch-size must be 1..100000, not " + fixityBatchSize);
        }
        if (fixityMaxBytes < 0) {
            throw new IllegalArgumentException("archive.fixity.max-bytes must be 0 (no limit) or more");
        }
        // Admins always may: the set only widens who else may.
        EnumSet<Role> roles = EnumSet.of(Role.ADMIN);
        roles.addAll(holdRoles);
        holdRoles = Set.copyOf(roles);
    }

    /**
     * The archive's settings for this node, named {@code node} in its job workers' ids.
     *
     * @throws IOException when the watermark key can be neither read nor made
     */
    public ArchiveSettings settings(String node) throws IOException {
        ArchiveSettings.StoreSettings objects =
                location(store, storeDir, s3Endpoint, s3Region, s3Bucket, s3AccessKey, s3SecretKey, s3ObjectLock);
        ArchiveSettings.StoreSettings copy = copyStore == null
                ? null
                : location(
                        copyStore,
                        copyDir,
                        copyS3Endpoint,
                        copyS3Region,
                        copyS3Bucket,
                        copyS3AccessKey,
                        copyS3SecretKey,
                        S3ObjectStore.ObjectLock.OFF);
        ArchiveSettings defaults = ArchiveSettings.defaults(dir);
        Transcoder.Settings transcode = watermark
                ? defaults.transcode().withWatermark(WatermarkKeys.loadOrCreate(watermarkKeyFile))
                : defaults.transcode();
        return defaults.withTranscode(transcode)
                .withFixity(new ArchiveSettings.Fixity(copy, fixityInterval, fixityBatchSize, fixityMaxBytes))
                .withStore(objects)
                .withUploads(
                        new TusUploads.Settings(uploadDir, uploadMaxBytes, uploadExpiry, ArchiveSettings.UPLOADS_PATH))
                .withWorkers(workers)
                .withLease(jobLease)
                .withNode(node)
                .withKeys(
                        keys.equals("none")
                                ? ArchiveSettings.KeySettings.none()
                                : ArchiveSettings.KeySettings.localFile(keyFile))
                .withRetention(retention);
    }

    /** A directory or a bucket, for the objects or for their copy. */
    private static ArchiveSettings.StoreSettings location(
            String kind,
            Path dir,
            URI endpoint,
            String region,
            String bucket,
            String accessKey,
            String secretKey,
            S3ObjectStore.ObjectLock objectLock) {
        return kind.equals("s3")
                ? ArchiveSettings.StoreSettings.s3(new S3ObjectStore.Settings(
                        endpoint,
                        region,
                        bucket,
                        accessKey,
                        secretKey,
                        S3ObjectStore.Settings.DEFAULT_PART_SIZE,
                        true,
                        objectLock))
                : ArchiveSettings.StoreSettings.directory(dir);
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
        String keyFile = text(p, "archive.keys.file");
        String watermarkKeyFile = text(p, "archive.watermark.key-file");
        Path dir = dataDir.resolve("archive");
        String copyStore = text(p, "archive.copy.store");
        String copyDir = text(p, "archive.copy.dir");
        String copyEndpoint = text(p, "archive.copy.s3.endpoint");
        String copyRegion = text(p, "archive.copy.s3.region");
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
                p.getProperty("archive.keys", "file").trim().toLowerCase(Locale.ROOT),
                keyFile == null ? dir.resolve("keys").resolve(ArchiveSettings.DEFAULT_KEY_FILE) : Path.of(keyFile),
                copyStore == null ? null : copyStore.toLowerCase(Locale.ROOT),
                copyDir == null ? null : Path.of(copyDir),
                copyEndpoint == null ? null : URI.create(copyEndpoint),
                copyRegion == null ? "us-east-1" : copyRegion,
                text(p, "archive.copy.s3.bucket"),
                text(p, "archive.copy.s3.access-key"),
                text(p, "archive.copy.s3.secret-key"),
                duration(p, "archive.fixity.interval", "P1D", "P1D or PT12H"),
                (int) PropertyValues.number(p, "archive.fixity.batch-size", 1000),
                PropertyValues.number(p, "archive.fixity.max-bytes", 0),
                flag(p, "archive.watermark", true),
                watermarkKeyFile == null ? dir.resolve("keys").resolve("watermark.key") : Path.of(watermarkKeyFile),
                new RetentionSettings(
                        flag(p, "archive.retention.delete-expired", false),
                        time(p, "archive.retention.daily-at", "02:00")),
                roles(p, "archive.retention.hold-roles"),
                S3ObjectStore.ObjectLock.parse(p.getProperty("archive.s3.object-lock", "off")));
    }

    /** A switch: true or on, false or off; empty is {@code fallback}. */
    private static boolean flag(Properties p, String key, boolean fallback) {
        String v = p.getProperty(key, "").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> fallback;
            case "true", "on" -> true;
            case "false", "off" -> false;
            default -> throw new IllegalArgumentException(key + " is true (on) or false (off), not '" + v + "'");
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

    /** Without the S3 secret keys. */
    @Override
    public String toString() {
        return Secrets.recordString(this, "s3SecretKey", "copyS3SecretKey");
    }
}
