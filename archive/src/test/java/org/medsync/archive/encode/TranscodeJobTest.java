package org.medsync.archive.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.media.TestMedia;

/** The transcode job through the queue and workers, on an embedded PostgreSQL and a directory store. */
class TranscodeJobTest {
    private static ArchiveDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("transcode");
        db.hospital("h264-hospital", Hospital.MasterPolicy.H264_422, 45);
        db.hospital("strict-hospital", Hospital.MasterPolicy.H264_422, 99);
        db.hospital("keep-hospital", Hospital.MasterPolicy.KEEP, 45);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private static ArchiveSettings settings(String node) {
        return ArchiveSettings.defaults(db.dir().resolve("archive"))
                .withNode(node)
                .withPoll(Duration.ofMillis(100))
                .withLease(Duration.ofSeconds(20));
    }

    @Test
    void aJobMakesTheRenditionsAndTheRecordingBecomesReady_andASecondRunReplacesThem() throws Exception {
        Path source = TestMedia.pattern(db.dir().resolve("ten-bit.mkv"), 320, 180, 25, 3, "yuv422p10le");
        try (Archive archive = Archive.open(db.dataSource(), settings("node-a"))) {
            Recording r = db.recording("h264-hospital", archive.vault(), source);
            long job = archive.enqueueTranscode(r.id());
            archive.startWorkers();
            JobQueue.Info info = awaitFinished(archive.jobs(), job);
            assertEquals("done", info.state(), info.message());
            assertEquals(1.0, info.progress());
            Recording done = archive.recordings().find(r.id()).orElseThrow();
            assertEquals(Recording.Status.READY, done.status());
            assertNull(done.statusMessage());
            assertEquals(3, done.durationSeconds(), 0.05);

            List<Renditions.Rendition> renditions = archive.renditions().of(r.id());
            assertEquals(
                    List.of("master", "hls-180", "storyboard"),
                    renditions.stream().map(Renditions.Rendition::name).toList());
            Renditions.Rendition master = renditions.getFirst();
            assertEquals("h264", master.codec());
            assertEquals("High 4:2:2", master.profile());
            assertEquals("yuv422p10le", master.pixelFormat());
            assertTrue(master.psnr() >= 45, "PSNR " + master.psnr());
            assertTrue(master.ssim() > 0.98, "SSIM " + master.ssim());
            assertEquals(false, master.copied());
            assertEquals(List.of("master.mp4"), paths(master));
            Renditions.Rendition rung = renditions.get(1);
            assertEquals("hls", rung.kind());
            assertEquals(180, rung.height());
            assertTrue(rung.bitrate() > 0);
            assertEquals(List.of("index.m3u8", "init.mp4", "seg-00000.m4s", "seg-00001.m4s"), paths(rung));
            assertEquals(
                    "application/vnd.apple.mpegurl", rung.files().getFirst().mediaType());
            assertEquals(List.of("storyboard.jpg", "storyboard.json"), paths(renditions.get(2)));
            // Every file is an object of the store with the size the index says.
            for (Renditions.Rendition each : renditions) {
                for (Renditions.File f : each.files()) {
                    assertEquals(f.size(), archive.vault().size(f.sha256()).orElseThrow(), f.path());
                }
            }
            var playlist =
                    archive.renditions().file(r.id(), "hls-180", "index.m3u8").orElseThrow();
            try (InputStream in = archive.vault().open(playlist.sha256(), 0, -1)) {
                String text = new String(in.readAllBytes());
                assertTrue(text.contains("#EXT-X-MAP:URI=\"init.mp4\"") && text.contains("seg-00001.m4s"), text);
            }

            // Run the job again (as a worker taking over after a crash would): same rows, not twice as many.
            long again = archive.jobs().enqueue(r.id(), TranscodeHandler.KIND, "{}");
            assertEquals("done", awaitFinished(archive.jobs(), again).state());
            assertEquals(renditions.size(), archive.renditions().of(r.id()).size());
            assertEquals(7, count("select count(*) from archive_rendition_file where recording_id = '" + r.id() + "'"));
        }
    }

    @Test
    void aMezzanine_becomesMasterAndLadder_andIsDeletedOnceTheMasterPassedItsFloor() throws Exception {
        Path source =
                TestMedia.mezzanine(db.dir().resolve("rec-1" + TranscodeHandler.MEZZANINE_SUFFIX), 320, 180, 25, 2);
        try (Archive archive = Archive.open(db.dataSource(), settings("node-mezzanine"))) {
            // The keep hospital: a mezzanine is never kept, whatever the policy.
            Recording r = db.recording("keep-hospital", archive.vault(), source);
            String mezzanine = r.sourceObject();
            long job = archive.enqueueTranscode(r.id());
            archive.startWorkers();
            JobQueue.Info info = awaitFinished(archive.jobs(), job);
            assertEquals("done", info.state(), info.message());
            List<Renditions.Rendition> renditions = archive.renditions().of(r.id());
            assertEquals(
                    List.of("master", "hls-180", "storyboard"),
                    renditions.stream().map(Renditions.Rendition::name).toList());
            Renditions.Rendition master = renditions.getFirst();
            assertEquals("h264", master.codec());
            assertEquals("yuv422p10le", master.pixelFormat());
            assertEquals(false, master.copied());
            assertTrue(master.psnr() >= TranscodeHandler.MEZZANINE_MIN_PSNR, "PSNR " + master.psnr());
            assertTrue(master.ssim() > 0.98, "SSIM " + master.ssim());
            Renditions.Rendition rung = renditions.get(1);
            assertTrue(rung.psnr() > 30 && rung.ssim() > 0.9, rung.psnr() + " / " + rung.ssim());

            Recording done = archive.recordings().find(r.id()).orElseThrow();
            assertEquals(Recording.Status.READY, done.status());
            assertEquals(master.files().getFirst().sha256(), done.sourceObject(), "the master is the source now");
            assertEquals("rec-1.mp4", done.sourceName());
            assertTrue(archive.vault().size(mezzanine).isEmpty(), "the mezzanine's bytes are gone");
            assertEquals(0, count("select count(*) from archive_object where sha256 = '" + mezzanine + "'"));

            // A rerun (a worker taking over) transcodes from the master, which it keeps: nothing is lost.
            long again = archive.jobs().enqueue(r.id(), TranscodeHandler.KIND, "{}");
            assertEquals("done", awaitFinished(archive.jobs(), again).state());
            assertEquals(
                    done.sourceObject(),
                    archive.recordings().find(r.id()).orElseThrow().sourceObject());
        }
    }

    @Test
    void aMezzanineWhoseMasterMissesTheFloor_isKept() throws Exception {
        Path source =
                TestMedia.mezzanine(db.dir().resolve("rec-2" + TranscodeHandler.MEZZANINE_SUFFIX), 320, 180, 25, 1);
        try (Archive archive = Archive.open(db.dataSource(), settings("node-mezzanine-strict"))) {
            Recording r = db.recording("strict-hospital", archive.vault(), source);
            long job = archive.enqueueTranscode(r.id());
            archive.startWorkers();
            JobQueue.Info info = awaitFinished(archive.jobs(), job);
            assertEquals("failed", info.state());
            assertTrue(info.message().contains("below the hospital's floor of 99.0 dB"), info.message());
            assertEquals(
                    r.sourceObject(),
                    archive.recordings().find(r.id()).orElseThrow().sourceObject());
            assertTrue(archive.vault().size(r.sourceObject()).isPresent(), "the mezzanine stays");
        }
    }

    @Test
    void aMasterBelowTheHospitalsFloorFailsTheJobAndTheRecordingSaysWhy() throws Exception {
        Path source = TestMedia.pattern(db.dir().resolve("strict.mkv"), 320, 180, 25, 2, "yuv422p10le");
        try (Archive archive = Archive.open(db.dataSource(), settings("node-strict"))) {
            Recording r = db.recording("strict-hospital", archive.vault(), source);
            long job = archive.enqueueTranscode(r.id());
            archive.startWorkers();
            JobQueue.Info info = awaitFinished(archive.jobs(), job);
            assertEquals("failed", info.state());
            assertEquals(1, info.attempts(), "a floor not met is not retried");
            assertTrue(info.message().startsWith("the master master.mp4 measured PSNR "), info.message());
            assertTrue(info.message().contains("below the hospital's floor of 99.0 dB"), info.message());
            Recording failed = archive.recordings().find(r.id()).orElseThrow();
            assertEquals(Recording.Status.FAILED, failed.status());
            assertEquals(info.message(), failed.statusMessage());
            assertEquals(List.of(), archive.renditions().of(r.id()), "no bad copy kept");
        }
    }

    @Test
    void flagsOfASourceWithBlackAndFrozenPartsAreStored() throws Exception {
        Path source = TestMedia.withFaults(db.dir().resolve("faults.mp4"));
        try (Archive archive = Archive.open(db.dataSource(), settings("node-flags"))) {
            Recording r = db.recording("keep-hospital", archive.vault(), source);
            long job = archive.enqueueTranscode(r.id());
            archive.startWorkers();
            assertEquals("done", awaitFinished(archive.jobs(), job).state());
            List<String> kinds =
                    archive.flags().of(r.id()).stream().map(Flags.Flag::kind).toList();
            assertEquals(List.of("black", "frozen", "blurred", "overexposed"), kinds);
            Renditions.Rendition master = archive.renditions().of(r.id()).getFirst();
            assertTrue(master.copied());
            assertEquals(r.sourceObject(), master.files().getFirst().sha256(), "the source kept byte for byte");
        }
    }

    @Test
    void twoNodesShareOneQueueAndBothDoSomeOfTheJobs() throws Exception {
        Path source = TestMedia.ordinaryH264(db.dir().resolve("short.mp4"), 320, 180, 25, 2);
        try (Archive a = Archive.open(db.dataSource(), settings("node-1"));
                Archive b = Archive.open(db.dataSource(), settings("node-2"))) {
            List<Long> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(a.enqueueTranscode(
                        db.recording("keep-hospital", a.vault(), source).id()));
            }
            a.startWorkers();
            b.startWorkers();
            Set<String> nodes = new HashSet<>();
            for (long id : jobs) {
                JobQueue.Info info = awaitFinished(a.jobs(), id);
                assertEquals("done", info.state(), info.message());
                nodes.add(info.worker().substring(0, info.worker().indexOf(':')));
            }
            assertEquals(Set.of("node-1", "node-2"), nodes);
        }
    }

    private static List<String> paths(Renditions.Rendition r) {
        return r.files().stream().map(Renditions.File::path).toList();
    }

    static JobQueue.Info awaitFinished(JobQueue queue, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JobQueue.Info info = queue.find(id).orElseThrow();
            if (info.state().equals("done") || info.state().equals("failed")) {
                return info;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "job " + id + " did not finish: " + queue.find(id).orElseThrow());
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
