package org.medsync.archive.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.Vault;

class JobQueueTest {
    private static final List<String> KINDS = List.of("transcode");
    private static ArchiveDatabase db;
    private static Recording recording;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("queue");
        db.hospital("queue-hospital", Hospital.MasterPolicy.KEEP, 45);
        Path file = Files.writeString(db.dir().resolve("source.bin"), "bytes");
        try (var vault = new Vault(db.dataSource(), new FileObjectStore(db.dir().resolve("objects")))) {
            recording = db.recording("queue-hospital", vault, file);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void twoConcurrentClaimersNeverGetTheSameJob() throws Exception {
        JobQueue queue = new JobQueue(db.dataSource(), Duration.ofMinutes(5));
        Set<Long> enqueued = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            enqueued.add(queue.enqueue(recording.id(), "transcode", "{\"n\":" + i + "}"));
        }
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> claimers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "test:claimer:" + w;
                claimers.add(pool.submit(() -> {
                    go.await();
                    for (var job = queue.claim(worker, KINDS); job.isPresent(); job = queue.claim(worker, KINDS)) {
                        claimed.add(job.get().id());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : claimers) {
                f.get();
            }
        }
        assertEquals(enqueued.size(), claimed.size(), "every job claimed exactly once");
        assertEquals(enqueued, new HashSet<>(claimed));
        for (long id : enqueued) {
            assertTrue(queue.done(id, queue.find(id).orElseThrow().worker()));
        }
    }

    @Test
    void aJobWhoseLeaseRunsOutIsClaimedAgainAndTheOldWorkerLearnsItLostIt() throws Exception {
        JobQueue queue = new JobQueue(db.dataSource(), Duration.ofMillis(300));
        long id = queue.enqueue(recording.id(), "transcode", "{}");
        var first = queue.claim("node-a:1:1", KINDS).orElseThrow();
        assertEquals(id, first.id());
        assertEquals(1, first.attempt());
        assertTrue(queue.claim("node-b:2:1", KINDS).isEmpty(), "held while the lease runs");
        assertTrue(queue.renew(id, "node-a:1:1"));
        Thread.sleep(600);
        var second = queue.claim("node-b:2:1", KINDS).orElseThrow();
        assertEquals(id, second.id());
        assertEquals(2, second.attempt());
        assertFalse(queue.renew(id, "node-a:1:1"), "the first worker lost the job");
        assertFalse(queue.progress(id, "node-a:1:1", 0.5, "encoding"));
        assertFalse(queue.done(id, "node-a:1:1"));
        assertTrue(queue.progress(id, "node-b:2:1", 0.5, "encoding"));
        var info = queue.find(id).orElseThrow();
        assertEquals("running", info.state());
        assertEquals("node-b:2:1", info.worker());
        assertEquals("encoding", info.stage());
        assertEquals(0.5, info.progress());
        assertTrue(queue.done(id, "node-b:2:1"));
        assertEquals("done", queue.find(id).orElseThrow().state());
    }

    @Test
    void aJobWhoseWorkersDieOnEveryAttemptFailsWithAMessage() throws Exception {
        JobQueue queue = new JobQueue(db.dataSource(), Duration.ofMillis(200));
        long id = queue.enqueue(recording.id(), "transcode", "{}");
        for (int attempt = 1; attempt <= 3; attempt++) {
            var job = queue.claim("dying:" + attempt, KINDS).orElseThrow();
            assertEquals(id, job.id());
            assertEquals(attempt, job.attempt());
            Thread.sleep(400); // the worker dies: no renewal
        }
        assertTrue(queue.claim("late", KINDS).isEmpty(), "no fourth attempt");
        var gone = queue.expireExhausted(KINDS);
        assertEquals(List.of(id), gone.stream().map(JobHandler.Job::id).toList());
        var info = queue.find(id).orElseThrow();
        assertEquals("failed", info.state());
        assertEquals("gave up after 3 attempts: the worker dying:3 stopped renewing its lease", info.message());
        assertTrue(info.finishedAt() != null);
    }

    @Test
    void aFailedAttemptIsRetriedAndAPermanentFailureIsNot() throws Exception {
        JobQueue queue = new JobQueue(db.dataSource(), Duration.ofMinutes(1));
        long id = queue.enqueue(recording.id(), "transcode", "{}");
        queue.claim("w", KINDS).orElseThrow();
        assertFalse(queue.failed(id, "w", "disk full", false), "retried");
        var info = queue.find(id).orElseThrow();
        assertEquals("queued", info.state());
        assertEquals("disk full", info.message());
        assertNull(info.finishedAt());
        queue.claim("w", KINDS).orElseThrow();
        assertTrue(queue.failed(id, "w", "the master measured PSNR 30 dB", true));
        assertEquals("failed", queue.find(id).orElseThrow().state());
        assertEquals(
                "the master measured PSNR 30 dB", queue.find(id).orElseThrow().message());
        assertTrue(queue.counts().get("failed") >= 1);
    }

    @Test
    void aReleasedJobIsQueuedAgainWithoutCountingTheAttempt() throws Exception {
        JobQueue queue = new JobQueue(db.dataSource(), Duration.ofMinutes(1));
        long id = queue.enqueue(recording.id(), "transcode", "{}");
        queue.claim("stopping:1", KINDS).orElseThrow();
        queue.release(id, "stopping:1");
        var info = queue.find(id).orElseThrow();
        assertEquals("queued", info.state());
        assertEquals(0, info.attempts());
        assertEquals(1, queue.claim("other", KINDS).orElseThrow().attempt());
        queue.done(id, "other");
    }
}
