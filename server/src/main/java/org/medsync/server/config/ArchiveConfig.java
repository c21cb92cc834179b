package org.medsync.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import org.medsync.library.secrets.Secrets;

/**
 * The video archive's storage and upload settings (docs/configuration.md, "Video archive"): where objects live (a
 * directory, or an S3-compatible bucket shared by every node) and where and how large resumable uploads may be.
 *
 * @param store {@code file} (default, zero setup) or {@code s3}
 * @param s3Endpoint null: AWS itself (for {@code s3Region})
 * @param uploadExpiry how long an upload may rest between PATCHes before it is discarded
 */
public record ArchiveConfig(
        String store,
        Path storeDir,
        URI s3Endpoint,
        String s3Region,
        String s3Bucket,
        String s3AccessKey,
        String s3SecretKey,
        Path uploadDir,
        long uploadMaxBytes,
        Duration uploadExpiry) {

    public static final long DEFAULT_UPLOAD_MAX_BYTES = 200L * 1000 * 1000 * 1000;

    public ArchiveConfig {
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
    }

    static ArchiveConfig from(Properties p, Path dataDir) {
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
        String expiry = p.getProperty("archive.upload.expiry", "").trim();
        Duration ttl;
        try {
            ttl = expiry.isEmpty() ? Duration.ofDays(7) : Duration.parse(expiry.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "archive.upload.expiry must be an ISO 8601 duration such as P7D or PT12H, not '" + expiry + "'");
        }
        String region = text(p, "archive.s3.region");
        return new ArchiveConfig(
                p.getProperty("archive.store", "file").trim().toLowerCase(Locale.ROOT),
                storeDir == null ? dataDir.resolve("archive/objects") : Path.of(storeDir),
                endpoint == null ? null : URI.create(endpoint),
                region == null ? "us-east-1" : region,
                text(p, "archive.s3.bucket"),
                text(p, "archive.s3.access-key"),
                text(p, "archive.s3.secret-key"),
                uploadDir == null ? dataDir.resolve("archive/uploads") : Path.of(uploadDir),
                max,
                ttl);
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
