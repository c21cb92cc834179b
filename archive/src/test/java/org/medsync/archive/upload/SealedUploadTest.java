package org.medsync.archive.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medsync.archive.upload.TusUploadsTest.content;
import static org.medsync.archive.upload.TusUploadsTest.headers;
import static org.medsync.archive.upload.TusUploadsTest.metadata;
import static org.medsync.archive.upload.TusUploadsTest.sha256;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;
import org.medsync.archive.catalog.Device;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.EncryptedBlob;
import org.medsync.archive.vault.Vault;

/**
 * Uploads sealed as they arrive (encryption at rest on, as by default): the staging file becomes the stored blob by a
 * rename; PATCHes that end inside a 64 KiB chunk leave their tail sealed on disk and survive a restart, a torn write,
 * and a continuation through another node that shares the staging directory, database and store.
 */
class SealedUploadTest {
    private static EmbeddedArchiveDatabase db;
    private static Hospitals hospitals;
    private static Recordings recordings;
    private static Vault vault;
    private static Uploader recorder;
    private static Path objects;

    private final List<Recording> accepted = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("sealed-upload");
        hospitals = new Hospitals(db.dataSource());
        recordings = new Recordings(db.dataSource());
        hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        Device north = new Devices(db.dataSource())
                .issue("north-or-1", "north", "OR 1", "", "admin")
                .device();
        recorder = Uploader.device(north);
        objects = db.dir().resolve("objects");
        vault = new Vault(
                db.dataSource(),
                new FileObjectStore(objects),
                new LocalKeyFile(db.dir().resolve("keys/archive.keys")),
                db.dir().resolve("scratch"));
    }

    @AfterAll
    static void stop() throws Exception {
        vault.close();
        db.close();
    }

    /** A node: its own TusUploads (its own memory), on the shared staging directory, database and store. */
    private TusUploads node() throws Exception {
        return new TusUploads(
                new TusUploads.Settings(db.dir().resolve("uploads"), 10_000_000, Duration.ofHours(1), "/u"),
                db.dataSource(),
                hospitals,
                recordings,
                vault,
                accepted::add,
                Clock.systemUTC());
    }

    private static String create(TusUploads tus, byte[] file) throws Exception {
        TusResponse r = tus.create(
                recorder,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Upload-Length",
                        String.valueOf(file.length),
                        "Upload-Metadata",
                        metadata(sha256(file))));
        assertEquals(201, r.status(), r.message());
        return r.headers().get("Location").substring(3);
    }

    private static TusResponse patch(TusUploads tus, String id, byte[] file, int from, int to) throws Exception {
        TusResponse r = tus.patch(
                recorder,
                id,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Content-Type",
                        "application/offset+octet-stream",
                        "Upload-Offset",
                        String.valueOf(from),
                        "Content-Length",
                        String.valueOf(to - from)),
                new ByteArrayInputStream(Arrays.copyOfRange(file, from, to)));
        assertEquals(204, r.status(), r.message());
        assertEquals(String.valueOf(to), r.headers().get("Upload-Offset"));
        return r;
    }

    private static long offset(TusUploads tus, String id) throws Exception {
        TusResponse r = tus.head(recorder, id, headers("Tus-Resumable", "1.0.0"));
        assertEquals(200, r.status(), r.message());
        return Long.parseLong(r.headers().get("Upload-Offset"));
    }

    private static byte[] read(String sha256) throws Exception {
        try (InputStream in = vault.open(sha256, 0, -1)) {
            return in.readAllBytes();
        }
    }

    @Test
    void patchesThatEndInsideChunks_areSealedAsTheyArrive_andTheStagingFileBecomesTheBlob() throws Exception {
        TusUploads tus = node();
        byte[] file = content(300_001);
        String id = create(tus, file);
        Path part = tus.part(id);
        patch(tus, id, file, 0, 70_000); // one whole chunk and 4 464 bytes of the next
        assertEquals(EncryptedBlob.HEADER + EncryptedBlob.CHUNK + EncryptedBlob.TAG, Files.size(part));
        assertTrue(Files.exists(part.resolveSibling(part.getFileName() + ".tail")), "the tail is kept apart");
        patch(tus, id, file, 70_000, 200_000);
        byte[] staged = Files.readAllBytes(part);
        assertFalse(contains(staged, Arrays.copyOfRange(file, 0, 32)), "no content in the clear in the staging file");
        TusResponse last = patch(tus, id, file, 200_000, file.length);
        Recording r =
                recordings.find(last.headers().get(TusUploads.RECORDING_HEADER)).orElseThrow();
        assertEquals(sha256(file), r.sourceObject());
        assertArrayEquals(file, read(r.sourceObject()));
        // The blob is the staging file, moved: it begins with the bytes the staging file began with.
        Vault.Entry e = vault.find(sha256(file)).orElseThrow();
        Path blob = objects.resolve(e.blob().substring(0, 2))
                .resolve(e.blob().substring(2, 4))
                .resolve(e.blob());
        byte[] stored = Files.readAllBytes(blob);
        assertArrayEquals(Arrays.copyOf(staged, staged.length), Arrays.copyOf(stored, staged.length));
        assertEquals(sha256(stored), e.blob(), "the blob's name is the SHA-256 of its bytes");
        assertEquals(EncryptedBlob.blobSize(file.length, EncryptedBlob.CHUNK), stored.length);
        assertFalse(Files.exists(part));
        assertFalse(Files.exists(part.resolveSibling(part.getFileName() + ".tail")));
        assertEquals(0, intakeRows(id), "the data key moved to archive_key");
    }

    @Test
    void aRestart_midChunk_andAWriteTornByTheCrash_resumeFromTheLastAcknowledgedByte() throws Exception {
        byte[] file = content(400_003);
        TusUploads first = node();
        String id = create(first, file);
        patch(first, id, file, 0, 100_000);
        patch(first, id, file, 100_000, 150_000); // ends 18 928 bytes into chunk 2: only in the tail file
        Path part = first.part(id);
        // What a kill -9 in the middle of the next PATCH can leave: part of a sealed chunk, and a torn tail slot.
        Files.write(part, Arrays.copyOf(content(20_000), 20_000), StandardOpenOption.APPEND);
        Path tail = part.resolveSibling(part.getFileName() + ".tail");
        byte[] slots = Files.readAllBytes(tail);
        byte[] torn = Arrays.copyOf(slots, Math.max(slots.length, 2 * 65_600));
        torn[65_600] = 9; // the slot the next commit would write holds garbage
        Files.write(tail, torn);

        TusUploads second = node(); // a new process: nothing in memory
        assertEquals(150_000, offset(second, id));
        TusResponse last = patch(second, id, file, 150_000, file.length);
        assertArrayEquals(
                file,
                read(recordings
                        .find(last.headers().get(TusUploads.RECORDING_HEADER))
                        .orElseThrow()
                        .sourceObject()));
    }

    @Test
    void anUploadStartedOnOneNode_continuesThroughAnother_andBack() throws Exception {
        TusUploads a = node();
        TusUploads b = node();
        byte[] file = content(333_333);
        String id = create(a, file);
        patch(a, id, file, 0, 40_000);
        assertEquals(40_000, offset(b, id));
        patch(b, id, file, 40_000, 100_000);
        // Node A's memory says 40 000; the files say 100 000: A must follow the files.
        assertEquals(100_000, offset(a, id));
        patch(a, id, file, 100_000, 250_000);
        patch(b, id, file, 250_000, 250_001);
        TusResponse last = patch(a, id, file, 250_001, file.length);
        String recording = last.headers().get(TusUploads.RECORDING_HEADER);
        assertArrayEquals(file, read(recordings.find(recording).orElseThrow().sourceObject()));
        TusResponse head = b.head(recorder, id, headers("Tus-Resumable", "1.0.0"));
        assertEquals(recording, head.headers().get(TusUploads.RECORDING_HEADER));
    }

    @Test
    void aPatchThroughAnotherNode_waitsForOneStillBeingReceived() throws Exception {
        TusUploads a = node();
        TusUploads b = node();
        byte[] file = content(200_000);
        String id = create(a, file);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Node A still receives a slow body (the recorder's connection to A hangs, and it tries B meanwhile).
        InputStream slow = new InputStream() {
            private int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (pos == 100_000) {
                    return -1;
                }
                if (pos == 50_000) {
                    reading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = Math.min(len, (pos < 50_000 ? 50_000 : 100_000) - pos);
                System.arraycopy(file, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<TusResponse> onA = pool.submit(() -> a.patch(
                    recorder,
                    id,
                    headers(
                            "Tus-Resumable",
                            "1.0.0",
                            "Content-Type",
                            "application/offset+octet-stream",
                            "Upload-Offset",
                            "0"),
                    slow));
            assertTrue(reading.await(20, TimeUnit.SECONDS));
            Future<TusResponse> onB = pool.submit(() -> b.patch(
                    recorder,
                    id,
                    headers(
                            "Tus-Resumable",
                            "1.0.0",
                            "Content-Type",
                            "application/offset+octet-stream",
                            "Upload-Offset",
                            "0",
                            "Content-Length",
                            "200000"),
                    new ByteArrayInputStream(file)));
            Thread.sleep(1000);
            assertFalse(onB.isDone(), "node B waits while node A holds the upload");
            release.countDown();
            assertEquals(204, onA.get(20, TimeUnit.SECONDS).status());
            TusResponse second = onB.get(20, TimeUnit.SECONDS);
            assertEquals(409, second.status(), "B sees A's bytes once A is done: " + second.message());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals(100_000, offset(b, id));
        TusResponse last = patch(b, id, file, 100_000, file.length);
        assertArrayEquals(
                file,
                read(recordings
                        .find(last.headers().get(TusUploads.RECORDING_HEADER))
                        .orElseThrow()
                        .sourceObject()));
    }

    @Test
    void aWrongDeclaredSha256_isRefused_andNothingIsLeft() throws Exception {
        TusUploads tus = node();
        byte[] file = content(90_000);
        byte[] other = file.clone();
        other[5] ^= 1;
        String id = create(tus, file);
        patch(tus, id, other, 0, 50_000);
        TusResponse r = tus.patch(
                recorder,
                id,
                headers(
                        "Tus-Resumable",
                        "1.0.0",
                        "Content-Type",
                        "application/offset+octet-stream",
                        "Upload-Offset",
                        "50000",
                        "Content-Length",
                        "40000"),
                new ByteArrayInputStream(Arrays.copyOfRange(other, 50_000, 90_000)));
        assertEquals(460, r.status(), r.message());
        assertFalse(Files.exists(tus.part(id)));
        assertEquals(0, intakeRows(id));
        assertTrue(vault.find(sha256(file)).isEmpty());
    }

    @Test
    void theSameContentTwice_isStoredOnce() throws Exception {
        TusUploads tus = node();
        byte[] file = content(70_000);
        String one = create(tus, file);
        patch(tus, one, file, 0, file.length);
        String two = create(tus, file);
        patch(tus, two, file, 0, file.length);
        assertFalse(Files.exists(tus.part(two)));
        try (Stream<Path> walk = Files.walk(objects)) {
            String blob = vault.find(sha256(file)).orElseThrow().blob();
            assertEquals(
                    1, walk.filter(p -> p.getFileName().toString().equals(blob)).count());
        }
        assertArrayEquals(file, read(sha256(file)));
    }

    private static int intakeRows(String id) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from archive_intake_key where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
