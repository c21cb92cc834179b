package org.medsync.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @Test
    void defaults_areHttpsEverywhere_plainHttpOnLoopback_embeddedDatabase() throws Exception {
        ServerConfig c = ServerConfig.load(null, Map.of());
        assertEquals(8443, c.httpsPort());
        assertEquals("0.0.0.0", c.httpsHost());
        assertEquals("127.0.0.1", c.httpHost());
        assertNull(c.dbUrl());
        assertEquals(1L << 30, c.uploadMaxBytes());
        assertTrue(c.sources().isEmpty());
    }

    @Test
    void environment_overridesTheFile_whichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("medsync.properties");
        Files.writeString(file, """
                https.port=9443
                upload.max-bytes=1000
                sources=pacs
                source.pacs.url=http://127.0.0.1:8042/dicom-web
                """);
        ServerConfig c = ServerConfig.load(
                file,
                Map.of(
                        "MEDSYNC_HTTPS_PORT",
                        "10443",
                        "MEDSYNC_SOURCE_PACS_NAME",
                        "Radiology PACS",
                        "MEDSYNC_SOURCE_PACS_TIMEOUT_SECONDS",
                        "5",
                        "MEDSYNC_DB_URL",
                        "jdbc:postgresql://db:5432/medsync"));
        assertEquals(10443, c.httpsPort());
        assertEquals(1000, c.uploadMaxBytes());
        assertEquals("jdbc:postgresql://db:5432/medsync", c.dbUrl());
        assertEquals(1, c.sources().size());
        assertEquals("Radiology PACS", c.sources().getFirst().name());
        assertEquals(5, c.sources().getFirst().timeout().toSeconds());
    }

    @Test
    void aLectureOfAHundredFits_moreThan128IsRefusedWithTheKeyNamed() {
        Properties lecture = new Properties();
        lecture.setProperty("readout.participants", "100");
        assertEquals(100, ServerConfig.from(lecture).readout().maxParticipants());
        Properties tooMany = new Properties();
        tooMany.setProperty("readout.participants", "129");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(tooMany))
                .getMessage()
                .contains("readout.participants"));
    }

    @Test
    void plainHttpOffLoopback_andNonsense_areRefusedWithTheKeyNamed() {
        Properties p = new Properties();
        p.setProperty("http.host", "0.0.0.0");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage()
                .contains("loopback"));
        Properties q = new Properties();
        q.setProperty("https.port", "eighty");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(q))
                .getMessage()
                .contains("https.port"));
        Properties r = new Properties();
        r.setProperty("sources", "pacs");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(r))
                .getMessage()
                .contains("source.pacs.url"));
    }

    @Test
    void decodeLimits_andPacsAnswerLimit_haveDefaults_andComeFromTheirKeys() throws Exception {
        ServerConfig defaults = ServerConfig.load(null, Map.of());
        assertEquals(org.medsync.dicom.part10.DecodeLimits.defaults(), defaults.decodeLimits());
        ServerConfig c = ServerConfig.load(
                null,
                Map.of(
                        "MEDSYNC_DICOM_MAX_INFLATED_BYTES",
                        "1000000",
                        "MEDSYNC_DICOM_MAX_INFLATION_RATIO",
                        "20",
                        "MEDSYNC_DICOM_MAX_DECODED_BYTES",
                        "2000000",
                        "MEDSYNC_SOURCES",
                        "pacs",
                        "MEDSYNC_SOURCE_PACS_URL",
                        "http://127.0.0.1:8042/dicom-web",
                        "MEDSYNC_SOURCES_MAX_RESPONSE_BYTES",
                        "3000000"));
        assertEquals(new org.medsync.dicom.part10.DecodeLimits(1_000_000, 20, 2_000_000), c.decodeLimits());
        assertEquals(3_000_000, c.sources().getFirst().maxResponseBytes());
        Properties p = new Properties();
        p.setProperty("dicom.max-inflated-bytes", "-1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage()
                .contains("dicom.max-inflated-bytes"));
        Properties q = new Properties();
        q.setProperty("dicom.max-inflation-ratio", "1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(q))
                .getMessage()
                .contains("dicom.max-inflation-ratio"));
    }

    @Test
    void archiveWorkersAndJobLease_haveDefaults_comeFromTheEnvironment_andNonsenseIsRefused() throws Exception {
        ServerConfig defaults = ServerConfig.load(null, Map.of());
        assertEquals(1, defaults.archive().workers());
        assertEquals(Duration.ofSeconds(60), defaults.archive().jobLease());
        assertEquals(defaults.dataDir().resolve("archive"), defaults.archive().dir());
        ServerConfig c =
                ServerConfig.load(null, Map.of("MEDSYNC_ARCHIVE_WORKERS", "0", "MEDSYNC_ARCHIVE_JOB_LEASE", "PT2M"));
        assertEquals(0, c.archive().workers());
        assertEquals(Duration.ofMinutes(2), c.archive().jobLease());
        Properties p = new Properties();
        p.setProperty("archive.job-lease", "60");
        assertEquals(
                "archive.job-lease must be an ISO 8601 duration such as PT60S, not '60'",
                assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                        .getMessage());
        Properties q = new Properties();
        q.setProperty("archive.workers", "-1");
        assertEquals(
                "archive.workers must be 0..64, not -1",
                assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(q))
                        .getMessage());
    }

    /** Encryption at rest is on unless turned off; the key file sits under the data directory by default. */
    @Test
    void archiveKeys_fileByDefault_noneOnRequest_garbageRefused() throws Exception {
        ServerConfig defaults = ServerConfig.load(null, Map.of());
        assertEquals("file", defaults.archive().keys());
        assertEquals(
                defaults.dataDir().resolve("archive/keys/archive.keys"),
                defaults.archive().keyFile());
        Properties p = new Properties();
        p.setProperty("archive.keys", " None ");
        p.setProperty("archive.keys.file", "/srv/keys/medsync.keys");
        ServerConfig none = ServerConfig.from(p);
        assertEquals("none", none.archive().keys());
        assertEquals(Path.of("/srv/keys/medsync.keys"), none.archive().keyFile());
        Properties q = new Properties();
        q.setProperty("archive.keys", "kms");
        assertEquals(
                "archive.keys is 'file' or 'none', not 'kms'",
                assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(q))
                        .getMessage());
    }
}
