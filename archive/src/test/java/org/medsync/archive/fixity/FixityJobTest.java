package org.medsync.archive.fixity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.S3ObjectStore;
import org.medsync.archive.store.S3ProxyServer;

/**
 * The fixity job against real stores (two directories, a directory and an s3proxy bucket) and a real database: a
 * flipped byte and a deleted copy are found, reported and repaired from the other location; two bad copies are a
 * lost object; two nodes share a round's batches.
 */
class FixityJobTest {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static ArchiveDatabase db;
    private static S3ProxyServer s3;
    private Path dir;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("fixity");
        db.hospital("general", Hospital.MasterPolicy.KEEP, 45);
        s3 = new S3ProxyServer();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        db.close();
    }

    /** Every test starts from an archive with no objects and no fixity history (the database is the class's). */
    @BeforeEach
    void empty() throws Exception {
        dir = Files.createDirectories(db.dir().resolve("run-" + RUN.incrementAndGet()));
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("delete from archive_access");
            s.executeUpdate("delete from archive_job");
            s.executeUpdate("delete from archive_recording");
            s.executeUpdate("delete from archive_object");
            s.executeUpdate("delete from archive_blob");
            s.executeUpdate("delete from archive_fixity");
            s.executeUpdate("delete from archive_fixity_run");
            s.executeUpdate("update archive_fixity_schedule set last_round = null, node = null");
        }
    }

    /**
     * Objects in the clear, so a test can name a blob by its content's hash: fixity re-hashes blobs whatever their
     * cipher, and {@link #aFlippedByte_isReportedDamaged_andRepairedFromTheSecondDirectory} runs encrypted.
     */
    private ArchiveSettings settings(String node, ArchiveSettings.StoreSettings copy, int batchSize) {
        return encrypted(node, copy, batchSize).withKeys(ArchiveSettings.KeySettings.none());
    }

    /** The default: objects encrypted at rest, blobs named by the hash of their ciphertext. */
    private ArchiveSettings encrypted(String node, ArchiveSettings.StoreSettings copy, int batchSize) {
        return ArchiveSettings.defaults(dir.resolve(node))
                .withStore(ArchiveSettings.StoreSettings.directory(dir.resolve("primary")))
                .withFixity(new ArchiveSettings.Fixity(copy, Duration.ofHours(1), batchSize, 0))
                .withNode(node)
                .withPoll(Duration.ofMillis(50));
    }

    private ArchiveSettings.StoreSettings copyDir() {
        return ArchiveSettings.StoreSettings.directory(dir.resolve("copy"));
    }

    private Path file(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    /** Where a directory store keeps a blob. */
    private static Path blobPath(Path root, String blob) {
        return root.resolve(blob.substring(0, 2)).resolve(blob.substring(2, 4)).resolve(blob);
    }

    private static void flipOneByte(Path file, int at) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[at] ^= 0x01;
        Files.write(file, b);
    }

    /** Queues a round and lets the workers of {@code archives} run it to the end. */
    private static void runRound(Archive scheduling, Archive... workers) throws Exception {
        assertTrue(scheduling.fixity().scheduleRound() > 0, "a round was queued");
        for (Archive a : workers) {
            a.startWorkers();
        }
        JobQueue jobs = scheduling.jobs();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jobs.counts().get("queued") + jobs.counts().get("running") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fixity batches did not finish: " + jobs.counts());
            }
            Thread.sleep(50);
        }
        assertEquals(0L, jobs.counts().get("failed"), "no batch failed: " + jobs.recent(5));
    }

    private static Fixity.CopyState copy(Archive a, String blob, String location) throws SQLException {
        return a.fixity().copies(blob).stream()
                .filter(c -> c.location().equals(location))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check of " + blob + " at " + location));
    }

    private static List<String> actions(Archive a, String recordingId) throws SQLException {
        return a.accessLog().of(recordingId).stream()
                .map(AccessLog.Entry::action)
                .filter(x -> x.startsWith("fixity-"))
                .toList();
    }

    @Test
    void aFlippedByte_isReportedDamaged_andRepairedFromTheSecondDirectory() throws Exception {
        try (Archive archive = Archive.open(db.dataSource(), encrypted("node-a", copyDir(), 100))) {
            Path source = file("case.mp4", 200_000, 1);
            Recording r = db.recording("general", archive.vault(), source);
            String blob = archive.vault().find(r.sourceObject()).orElseThrow().blob();
            assertNotEquals(r.sourceObject(), blob, "encrypted: the blob is not the content");
            Path damaged = blobPath(dir.resolve("primary"), blob);
            byte[] sealed = Files.readAllBytes(damaged);
            flipOneByte(damaged, 123_456);

            runRound(archive, archive);

            Fixity.CopyState primary = copy(archive, blob, "primary");
            assertEquals("repaired", primary.state());
            assertTrue(primary.detail().startsWith("was damaged (reads as sha256 "), primary.detail());
            assertTrue(primary.detail().endsWith("rewritten from copy"), primary.detail());
            assertEquals("ok", copy(archive, blob, "copy").state());
            assertArrayEquals(sealed, Files.readAllBytes(damaged));
            try (InputStream in = archive.vault().open(r.sourceObject(), 0, -1)) {
                assertArrayEquals(Files.readAllBytes(source), in.readAllBytes(), "the repaired blob decrypts again");
            }
            assertEquals(List.of("fixity-damaged", "fixity-repaired"), actions(archive, r.id()));
            String logged = archive.accessLog().of(r.id()).getFirst().detail();
            assertTrue(logged.contains(blob) && logged.contains("primary"), logged);

            Fixity.Run run = archive.fixity().runs(1).getFirst();
            assertEquals(new Fixity.Tally(1, 1, 0, 1, 0, run.tally().bytesRead()), run.tally());
            assertTrue(run.tally().bytesRead() >= 3 * sealed.length, "read both copies and the rewritten one");
            assertEquals("node-a", run.node());
            // Repaired: the archive is whole again; the admin page still lists the repair.
            assertTrue(archive.fixity().status().ok());
            assertEquals(
                    List.of("repaired"),
                    archive.fixity().unwell(10, true).stream()
                            .map(Fixity.CopyState::state)
                            .toList());
        }
    }

    @Test
    void aFlippedByte_isRepairedFromAnS3Copy_andAnS3CopyDeleted_isRewritten() throws Exception {
        S3ObjectStore.Settings bucket = s3.settings("fixity-copy-" + RUN.get(), 5L << 20);
        try (Archive archive = Archive.open(
                        db.dataSource(), settings("node-a", ArchiveSettings.StoreSettings.s3(bucket), 100));
                ObjectStore copy = new S3ObjectStore(bucket)) {
            Path one = file("one.mp4", 150_000, 2);
            Path two = file("two.mp4", 90_000, 3);
            String first = archive.vault().put(one, "general").sha256();
            String second = archive.vault().put(two, "general").sha256();
            flipOneByte(blobPath(dir.resolve("primary"), first), 7);
            copy.delete(second);

            runRound(archive, archive);

            assertEquals("repaired", copy(archive, first, "primary").state());
            assertEquals("ok", copy(archive, first, "copy").state());
            assertEquals("ok", copy(archive, second, "primary").state());
            Fixity.CopyState rewritten = copy(archive, second, "copy");
            assertEquals("repaired", rewritten.state());
            assertEquals("was missing (absent); rewritten from primary", rewritten.detail());
            assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(blobPath(dir.resolve("primary"), first)));
            try (InputStream in = copy.open(second, 0, -1)) {
                assertArrayEquals(Files.readAllBytes(two), in.readAllBytes());
            }
            assertTrue(archive.fixity().status().ok());
        }
    }

    @Test
    void aCopyDeletedFromTheSecondDirectory_isMissing_thenRepaired() throws Exception {
        try (Archive archive = Archive.open(db.dataSource(), settings("node-a", copyDir(), 100))) {
            Path source = file("gone.mp4", 64_000, 4);
            String blob = archive.vault().put(source, "general").sha256();
            Files.delete(blobPath(dir.resolve("copy"), blob));

            runRound(archive, archive);

            Fixity.CopyState c = copy(archive, blob, "copy");
            assertEquals("repaired", c.state());
            assertEquals("was missing (absent); rewritten from primary", c.detail());
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(blobPath(dir.resolve("copy"), blob)));
            List<String> logged = archive.accessLog().latest(10).stream()
                    .map(AccessLog.Entry::action)
                    .toList();
            assertEquals(List.of("fixity-repaired", "fixity-damaged"), logged);
        }
    }

    /** A copy the put could not write is recorded missing at once (health degraded) and repaired by the next round. */
    @Test
    void aCopyThatFailedAtIngest_isMissingUntilTheJobWritesIt() throws Exception {
        try (Archive archive = Archive.open(db.dataSource(), settings("node-a", copyDir(), 100))) {
            Path incoming = dir.resolve("copy").resolve("incoming");
            Files.delete(incoming);
            Files.writeString(incoming, "the copy location is broken");
            Path source = file("ingest.mp4", 30_000, 5);
            String blob = archive.vault().put(source, "general").sha256();
            assertEquals("missing", copy(archive, blob, "copy").state());
            Fixity.Status status = archive.fixity().status();
            assertEquals(new Fixity.Status(0, 1, 0), status);
            assertEquals("degraded", status.state());

            Files.delete(incoming);
            Files.createDirectory(incoming);
            runRound(archive, archive);

            assertEquals("repaired", copy(archive, blob, "copy").state());
            assertTrue(archive.fixity().status().ok());
        }
    }

    @Test
    void bothCopiesDamaged_isALostObject_reportedNotRepaired() throws Exception {
        try (Archive archive = Archive.open(db.dataSource(), settings("node-a", copyDir(), 100))) {
            Recording r = db.recording("general", archive.vault(), file("lost.mp4", 40_000, 6));
            String blob = r.sourceObject();
            byte[] good = Files.readAllBytes(blobPath(dir.resolve("primary"), blob));
            flipOneByte(blobPath(dir.resolve("primary"), blob), 10);
            Files.delete(blobPath(dir.resolve("copy"), blob));

            runRound(archive, archive);

            assertEquals("lost", copy(archive, blob, "primary").state());
            assertEquals("lost", copy(archive, blob, "copy").state());
            assertTrue(copy(archive, blob, "copy").detail().contains("the object is LOST"));
            Fixity.Status status = archive.fixity().status();
            assertEquals(new Fixity.Status(0, 0, 2), status);
            assertEquals("degraded", status.state());
            assertEquals(List.of("fixity-damaged", "fixity-damaged"), actions(archive, r.id()));
            Fixity.Tally t = archive.fixity().runs(1).getFirst().tally();
            assertEquals(1, t.damaged());
            assertEquals(1, t.missing());
            assertEquals(2, t.lost());
            assertEquals(0, t.repaired());
            // Nothing was "repaired" into either location from a bad copy.
            assertFalse(Files.exists(blobPath(dir.resolve("copy"), blob)));
            assertFalse(Arrays.equals(good, Files.readAllBytes(blobPath(dir.resolve("primary"), blob))));
        }
    }

    /** One location only (the default): fixity still verifies, and damage there is a lost object. */
    @Test
    void oneLocation_isVerifiedToo() throws Exception {
        try (Archive archive = Archive.open(db.dataSource(), settings("node-a", null, 100))) {
            String fine =
                    archive.vault().put(file("fine.mp4", 20_000, 7), "general").sha256();
            String bad =
                    archive.vault().put(file("bad.mp4", 20_000, 8), "general").sha256();
            flipOneByte(blobPath(dir.resolve("primary"), bad), 0);
            runRound(archive, archive);
            assertEquals("ok", copy(archive, fine, "primary").state());
            assertEquals("lost", copy(archive, bad, "primary").state());
            assertEquals(1, archive.fixity().status().lost());
        }
    }

    /**
     * Two nodes on one database: one takes the round, the other finds it taken; both nodes' workers run its batches,
     * each batch once, and every blob is checked once.
     */
    @Test
    void twoNodes_shareARound_eachBatchDoneOnce() throws Exception {
        try (Archive a = Archive.open(
                        db.dataSource(), settings("node-a", copyDir(), 2).withWorkers(1));
                Archive b = Archive.open(
                        db.dataSource(), settings("node-b", copyDir(), 2).withWorkers(1))) {
            Set<String> blobs = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                blobs.add(a.vault()
                        .put(file("n" + i, 256_000, 100 + i), "general")
                        .sha256());
            }
            a.startWorkers();
            b.startWorkers();
            assertEquals(20, a.fixity().scheduleRound());
            assertEquals(0, b.fixity().scheduleRound(), "the round is taken for this interval");
            runUntilDone(a.jobs());

            List<Fixity.Run> runs = a.fixity().runs(100);
            assertEquals(20, runs.size());
            Set<String> nodes = new HashSet<>();
            Set<Long> jobs = new HashSet<>();
            int checked = 0;
            for (Fixity.Run r : runs) {
                nodes.add(r.node());
                assertTrue(jobs.add(r.jobId()), "batch " + r.jobId() + " ran twice");
                checked += r.tally().checked();
            }
            assertEquals(Set.of("node-a", "node-b"), nodes);
            assertEquals(40, checked);
            List<String> checkedBlobs = new ArrayList<>();
            for (String blob : blobs) {
                assertEquals(2, a.fixity().copies(blob).size());
                checkedBlobs.add(blob);
            }
            assertEquals(40, checkedBlobs.size());
            for (JobQueue.Info j : a.jobs().recent(100)) {
                assertEquals("done", j.state());
                assertEquals(1, j.attempts());
            }
            // Every blob was checked just now: nothing is left for another round until they are due again.
            assertEquals(0, b.fixity().coverage().neverChecked());
        }
    }

    /** A round's byte budget: a petabyte is spread over days, oldest-checked first. */
    @Test
    void aRoundQueuesAtMostItsBudget_oldestCheckedFirst() throws Exception {
        ArchiveSettings s = settings("node-a", null, 1)
                .withFixity(new ArchiveSettings.Fixity(null, Duration.ofSeconds(2), 1, 25_000))
                .withWorkers(1);
        try (Archive archive = Archive.open(db.dataSource(), s)) {
            List<String> blobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                blobs.add(archive.vault()
                        .put(file("b" + i, 10_000, 200 + i), "general")
                        .sha256());
            }
            assertEquals(3, archive.fixity().queueBatches(), "10 kB blobs until 25 kB are queued");
            archive.startWorkers();
            runUntilDone(archive.jobs());
            List<String> firstRound = new ArrayList<>();
            for (String b : blobs) {
                if (!archive.fixity().copies(b).isEmpty()) {
                    firstRound.add(b);
                }
            }
            assertEquals(3, firstRound.size());
            assertEquals(2, archive.fixity().coverage().neverChecked());
            // Checked within half an interval: not due; the two never checked are.
            assertEquals(2, archive.fixity().queueBatches());
            runUntilDone(archive.jobs());
            assertEquals(0, archive.fixity().coverage().neverChecked());
            Map<String, Instant> before = new HashMap<>();
            blobs.forEach(b -> before.put(b, checkedAt(archive, b)));
            Thread.sleep(1100);
            // Every blob is due now; the budget takes the three checked longest ago: the first round's.
            assertEquals(3, archive.fixity().queueBatches());
            runUntilDone(archive.jobs());
            assertEquals(
                    Set.copyOf(firstRound),
                    blobs.stream()
                            .filter(b -> !checkedAt(archive, b).equals(before.get(b)))
                            .collect(Collectors.toSet()),
                    "the blobs checked longest ago were checked again");
        }
    }

    private static Instant checkedAt(Archive archive, String blob) {
        try {
            return archive.fixity().copies(blob).getFirst().checkedAt();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void runUntilDone(JobQueue jobs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jobs.counts().get("queued") + jobs.counts().get("running") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fixity batches did not finish: " + jobs.counts());
            }
            Thread.sleep(50);
        }
        assertEquals(0L, jobs.counts().get("failed"));
    }
}
