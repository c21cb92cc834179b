package org.medsync.archive.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.vault.Vault;

/**
 * What a storage provider or the thief of a disk holds: every raw byte under a directory store and behind an S3
 * bucket, scanned for the content stored through an encrypting vault. Nothing of it may be there.
 */
class EncryptedAtRestRawReadTest {
    private static final String MARKER = "MEDSYNC-PLAINTEXT-MARKER-7f3a9c";
    private static final byte[] FTYP = "ftyp".getBytes(StandardCharsets.US_ASCII);
    private static EmbeddedArchiveDatabase db;
    private static S3ProxyServer s3;
    private static Path mp4;
    private static Path text;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("raw-read");
        s3 = new S3ProxyServer();
        mp4 = db.dir().resolve("marked.mp4");
        FfmpegRun.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=s=160x90:r=10:d=1",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-metadata",
                        "title=" + MARKER,
                        "-metadata",
                        "comment=" + MARKER,
                        mp4.toString()),
                0,
                f -> {});
        text = db.dir().resolve("report.txt");
        Files.writeString(text, ("Operative report. " + MARKER + " Findings: none.\n").repeat(200));
        byte[] video = Files.readAllBytes(mp4);
        assertTrue(contains(video, MARKER.getBytes(StandardCharsets.US_ASCII)), "the test video carries the marker");
        assertTrue(contains(video, FTYP), "the test video is an MP4");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        db.close();
    }

    @Test
    void directoryStore_holdsNoPlaintext() throws Exception {
        Path objects = db.dir().resolve("objects");
        storeAndRead(new FileObjectStore(objects), objects);
    }

    @Test
    void s3Bucket_holdsNoPlaintext() throws Exception {
        storeAndRead(new S3ObjectStore(s3.settings("medsync-raw", S3ObjectStore.MIN_PART_SIZE)), s3.dir());
    }

    /** The scan finds the marker when the same content rests in the clear: it is not blind. */
    @Test
    void scanOfAStoreInTheClear_findsTheMarker() throws Exception {
        Path objects = db.dir().resolve("clear-objects");
        try (Vault clear = new Vault(db.dataSource(), new FileObjectStore(objects))) {
            String sha = clear.put(text, "clear-hospital").sha256();
            try {
                assertTrue(!findings(objects).isEmpty(), "a clear store shows the marker");
            } finally {
                clear.delete(sha); // the tests share one index
            }
        }
    }

    private static void storeAndRead(ObjectStore store, Path raw) throws Exception {
        Path scratch = db.dir().resolve("scratch-" + raw.getFileName());
        try (Vault vault =
                new Vault(db.dataSource(), store, new LocalKeyFile(db.dir().resolve("keys/k.keys")), scratch)) {
            List<String> stored = new ArrayList<>();
            for (Path f : List.of(mp4, text)) {
                String sha = vault.put(f, "raw-hospital").sha256();
                stored.add(sha);
                assertEquals("aes-256-gcm", vault.find(sha).orElseThrow().cipher());
                try (InputStream in = vault.open(sha, 0, -1)) {
                    assertArrayEquals(Files.readAllBytes(f), in.readAllBytes(), "readable through the vault");
                }
                assertTrue(store.size(vault.find(sha).orElseThrow().blob()).orElseThrow() > Files.size(f));
            }
            long bytes;
            try (Stream<Path> walk = Files.walk(raw)) {
                bytes = walk.filter(Files::isRegularFile)
                        .mapToLong(p -> p.toFile().length())
                        .sum();
            }
            assertTrue(bytes > Files.size(mp4) + Files.size(text), "the blobs are there to scan: " + bytes);
            try {
                assertEquals(List.of(), findings(raw));
                assertEquals(List.of(), findings(scratch), "nothing left in the vault's scratch space");
            } finally {
                for (String sha : stored) {
                    vault.delete(sha); // the tests share one index
                }
            }
        }
    }

    /** Every file under a directory that contains the marker, an MP4 box or a line of the text. */
    private static List<String> findings(Path dir) throws IOException {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        byte[] line = "Operative report.".getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                for (byte[] needle : List.of(marker, FTYP, line)) {
                    if (contains(b, needle)) {
                        out.add(p + ": " + new String(needle, StandardCharsets.US_ASCII));
                    }
                }
            }
        }
        return out;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
