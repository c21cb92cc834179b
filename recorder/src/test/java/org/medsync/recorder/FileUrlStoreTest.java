package org.medsync.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUrlStoreTest {
    @TempDir
    Path dir;

    @Test
    void aRememberedUrl_survivesANewStore_andIsForgottenOnRemove() throws Exception {
        URL url = URI.create("http://127.0.0.1:8080/api/archive/uploads/0123456789abcdef0123456789abcdef")
                .toURL();
        new FileUrlStore(dir).set("upload-a", url);
        FileUrlStore restarted = new FileUrlStore(dir);
        assertEquals(url, restarted.get("upload-a"));
        assertNull(restarted.get("upload-b"));
        restarted.remove("upload-a");
        assertNull(new FileUrlStore(dir).get("upload-a"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary files left");
        }
    }

    @Test
    void anUnreadableEntry_startsTheUploadAgain() throws Exception {
        FileUrlStore store = new FileUrlStore(dir);
        store.set("x", URI.create("http://h/u").toURL());
        try (var files = Files.list(dir)) {
            Files.writeString(files.findFirst().orElseThrow(), "not a url \u0000");
        }
        assertNull(store.get("x"));
    }

    @Test
    void sha256_ofAFile_isItsHexDigest() throws Exception {
        Path f = Files.write(dir.resolve("f"), "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RecorderClient.sha256(f));
    }

    @Test
    void metadata_namesTheGivenFieldsOnly_andToStringHidesThePatient() {
        Recording r = Recording.startedAt(Instant.parse("2026-03-01T08:00:00Z"))
                .withPatient("PID-1", "Doe^Jane")
                .withTitle(" ");
        var m = r.metadata("a.mp4", "ab".repeat(32));
        assertEquals("2026-03-01T08:00:00Z", m.get("startedAt"));
        assertEquals("Doe^Jane", m.get("patientName"));
        assertFalse(m.containsKey("title"), "blank values are left out");
        assertFalse(m.containsKey("hospital"));
        assertTrue(m.keySet().containsAll(java.util.List.of("filename", "sha256")));
        assertFalse(r.toString().contains("Doe"));
    }
}
