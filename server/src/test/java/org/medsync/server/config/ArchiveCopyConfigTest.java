package org.medsync.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveSettings;

/** archive.copy.* (a second location) and archive.fixity.*: off by default, each key read, nonsense refused. */
class ArchiveCopyConfigTest {
    @Test
    void byDefault_oneLocation_dailyChecks() throws Exception {
        ArchiveConfig a = ServerConfig.load(null, Map.of()).archive();
        assertNull(a.copyStore());
        assertEquals(Duration.ofDays(1), a.fixityInterval());
        assertEquals(1000, a.fixityBatchSize());
        assertEquals(0, a.fixityMaxBytes());
        ArchiveSettings.Fixity f = a.settings("node").fixity();
        assertNull(f.copy());
        assertEquals(Duration.ofDays(1), f.interval());
    }

    @Test
    void aCopyInAnS3Bucket_withItsOwnKeys_secretFromTheEnvironment_neverPrinted() throws Exception {
        ServerConfig c = ServerConfig.load(
                null,
                Map.of(
                        "MEDSYNC_ARCHIVE_COPY_STORE", "S3",
                        "MEDSYNC_ARCHIVE_COPY_S3_ENDPOINT", "http://127.0.0.1:9000",
                        "MEDSYNC_ARCHIVE_COPY_S3_BUCKET", "medsync-copy",
                        "MEDSYNC_ARCHIVE_COPY_S3_ACCESS_KEY", "copier",
                        "MEDSYNC_ARCHIVE_COPY_S3_SECRET_KEY", "copy-secret-123",
                        "MEDSYNC_ARCHIVE_FIXITY_INTERVAL", "PT6H",
                        "MEDSYNC_ARCHIVE_FIXITY_BATCH_SIZE", "250",
                        "MEDSYNC_ARCHIVE_FIXITY_MAX_BYTES", "1000000000000"));
        ArchiveConfig a = c.archive();
        assertEquals("s3", a.copyStore());
        assertEquals(URI.create("http://127.0.0.1:9000"), a.copyS3Endpoint());
        assertEquals("medsync-copy", a.copyS3Bucket());
        assertEquals("us-east-1", a.copyS3Region());
        assertEquals(Duration.ofHours(6), a.fixityInterval());
        assertEquals(250, a.fixityBatchSize());
        assertEquals(1_000_000_000_000L, a.fixityMaxBytes());
        assertTrue(a.settings("n").fixity().copy() != null);
        assertFalse(a.toString().contains("copy-secret-123"), a.toString());
    }

    @Test
    void aCopyInADirectory() {
        Properties p = new Properties();
        p.setProperty("archive.copy.store", "file");
        p.setProperty("archive.copy.dir", "/mnt/second-array/medsync");
        ArchiveConfig a = ServerConfig.from(p).archive();
        assertEquals("file", a.copyStore());
        assertEquals(Path.of("/mnt/second-array/medsync"), a.copyDir());
    }

    @Test
    void nonsense_isRefusedWithTheKeyNamed() {
        assertEquals(
                "archive.copy.store is empty (no copy), 'file' or 's3', not 'tape'",
                refused(Map.of("archive.copy.store", "tape")));
        assertEquals("archive.copy.store=file needs archive.copy.dir", refused(Map.of("archive.copy.store", "file")));
        assertTrue(refused(Map.of("archive.copy.store", "s3", "archive.copy.s3.bucket", "b"))
                .startsWith("archive.copy.store=s3 needs archive.copy.s3.bucket"));
        assertTrue(refused(Map.of(
                        "archive.copy.store", "file", "archive.copy.dir", "/srv/o", "archive.store.dir", "/srv/o"))
                .contains("a copy in the same place is no copy"));
        assertEquals(
                "archive.fixity.batch-size must be a whole number, not 'many'",
                refused(Map.of("archive.fixity.batch-size", "many")));
        assertEquals(
                "archive.fixity.batch-size must be 1..100000, not 0",
                refused(Map.of("archive.fixity.batch-size", "0")));
        assertEquals(
                "archive.fixity.interval must be an ISO 8601 duration such as P1D or PT12H, not 'daily'",
                refused(Map.of("archive.fixity.interval", "daily")));
        assertEquals(
                "archive.fixity.interval must be at least a minute, not PT1S",
                refused(Map.of("archive.fixity.interval", "PT1S")));
    }

    private static String refused(Map<String, String> keys) {
        Properties p = new Properties();
        p.putAll(keys);
        return assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage();
    }
}
