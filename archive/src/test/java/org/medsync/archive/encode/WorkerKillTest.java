package org.medsync.archive.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.media.TestMedia;
import org.medsync.library.database.Database;

/**
 * The kill test: a worker in a JVM of its own (a separate OS process, sharing only the database and the store
 * with the test, as a node would) is killed with SIGKILL in the middle of a transcode; after its lease runs out a
 * worker of another node takes the job over, runs it from the start and the recording becomes ready.
 */
class WorkerKillTest {
    private static final String READY = "archive-worker ready ";
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static ArchiveDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("kill");
        db.hospital("kill-hospital", Hospital.MasterPolicy.H264_422, 45);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void aWorkerKilledMidTranscodeLeavesTheJobToAnotherWorkerWhichFinishesIt() throws Exception {
        Path archiveDir = db.dir().resolve("archive");
        // Long enough that the kill lands mid-encode on a busy machine: 640x360 10-bit 4:2:2, 8 s.
        Path source = TestMedia.pattern(db.dir().resolve("long.mkv"), 640, 360, 25, 8, "yuv422p10le");
        Recording r;
        long job;
        try (Archive setup = Archive.open(db.dataSource(), settings(archiveDir, "setup"))) {
            r = db.recording("kill-hospital", setup.vault(), source);
            job = setup.enqueueTranscode(r.id());
        }
        Process child = startWorkerProcess(archiveDir);
        try {
            JobQueue queue = new JobQueue(db.dataSource(), LEASE);
            JobQueue.Info running = awaitStage(queue, job, "encoding master");
            assertTrue(running.worker().startsWith("child-node:"), running.worker());
            child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no release of the job
            assertTrue(
                    leftovers(archiveDir, child.pid()) > 0,
                    "the killed worker left its work directory (the next start on this host removes it)");
            JobQueue.Info orphan = queue.find(job).orElseThrow();
            assertEquals("running", orphan.state(), "the job still looks taken until the lease runs out");
            assertEquals(1, orphan.attempts());

            try (Archive other = Archive.open(db.dataSource(), settings(archiveDir, "survivor"))) {
                assertEquals(0, leftovers(archiveDir, child.pid()), "the dead worker's directory was removed");
                other.startWorkers();
                JobQueue.Info info = TranscodeJobTest.awaitFinished(other.jobs(), job);
                assertEquals("done", info.state(), info.message());
                assertEquals(2, info.attempts());
                assertTrue(info.worker().startsWith("survivor:"), info.worker());
                Recording done = other.recordings().find(r.id()).orElseThrow();
                assertEquals(Recording.Status.READY, done.status());
                var master = other.renditions().of(r.id()).getFirst();
                assertEquals("yuv422p10le", master.pixelFormat());
                assertTrue(master.psnr() >= 45, "PSNR " + master.psnr());
                assertNotEquals(running.worker(), info.worker());
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static ArchiveSettings settings(Path dir, String node) {
        return ArchiveSettings.defaults(dir).withNode(node).withLease(LEASE).withPoll(Duration.ofMillis(100));
    }

    private static JobQueue.Info awaitStage(JobQueue queue, long job, String stage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JobQueue.Info info = queue.find(job).orElseThrow();
            if (stage.equals(info.stage()) && info.progress() > 0.03) {
                return info;
            }
            assertNotEquals("done", info.state(), "the job finished before the kill: make the source longer");
            Thread.sleep(50);
        }
        throw new AssertionError(
                "the child never reached '" + stage + "': " + queue.find(job).orElseThrow());
    }

    private static long leftovers(Path archiveDir, long pid) throws IOException {
        try (Stream<Path> list = Files.list(archiveDir.resolve("staging"))) {
            return list.filter(p -> p.getFileName().toString().startsWith("transcode-" + pid + "-"))
                    .count();
        }
    }

    private static Process startWorkerProcess(Path archiveDir) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerKillTest.class.getName()));
        command.addAll(db.connection());
        command.add(archiveDir.toString());
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(READY)) {
                        ready.complete(line);
                    } else {
                        System.out.println("[worker process] " + line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the worker process exited"));
        });
        ready.get(120, TimeUnit.SECONDS);
        return p;
    }

    /** The child: a node with one worker on the test's database and store, until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (Database database = Database.start(Database.Settings.external(args[0], args[1], args[2]));
                Archive archive = Archive.open(database.dataSource(), settings(Path.of(args[3]), "child-node"))) {
            archive.startWorkers();
            System.out.println(READY + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() != -1) {
                // runs until killed, or until the test closes our standard input
            }
        }
        System.exit(0);
    }
}
