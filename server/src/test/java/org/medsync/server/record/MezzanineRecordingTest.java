package org.medsync.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.archive.Archive;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.library.database.Database;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * A flow x264 cannot keep up with goes through the mezzanine: a real RTV transmitter (320x180 10-bit 4:2:2 at 25 fps,
 * forced to the mezzanine path, as a 1080p50 flow on two cores is chosen automatically), recorded live as FFV1 into
 * the node's archive (embedded PostgreSQL, encryption at rest), then the durable job queue's transcode makes the
 * H.264 High 4:2:2 master and the playback ladder from it, measures them, and deletes the mezzanine once the master
 * passed the floor.
 */
@Timeout(300)
class MezzanineRecordingTest {
    static final VideoFormat SMALL = new VideoFormat(10, 320, 180, new FrameRate(25, 1), VideoFormat.Colorimetry.BT709);

    @Test
    void aFlowRecordedAsMezzanine_endsAsMasterAndLadderWithQualityNumbers_andTheMezzanineIsGone() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-mezzanine-");
        try (Database db = Database.start(Database.Settings.embedded(dir.resolve("pg"), 0));
                Archive archive = Archive.open(
                        db.dataSource(),
                        ArchiveSettings.defaults(dir.resolve("archive"))
                                .withPoll(Duration.ofMillis(200))
                                .withLease(Duration.ofSeconds(30)));
                Transmitter tx = RtvRecording.transmitter(SMALL, RtvRecording.PROCEDURE)) {
            archive.hospitals().save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
            Path sdp = Files.writeString(dir.resolve("endoscope.sdp"), tx.sdp());
            OrRecordings.Stopped stopped;
            try (OrRecordings ors = new OrRecordings(
                    dir.resolve("work"),
                    new OrFlowRecorder.Settings(
                            new LiveEncoder.Settings("ultrafast", 23, 1, LiveEncoder.Live.MEZZANINE), 200, "lo"),
                    user -> new LocalArchiveSink(
                            archive.vault(), archive.recordings(), user, null, r -> enqueue(archive, r)),
                    Clock.systemUTC())) {
                ors.start(new OrRecordings.Source("or-3", "OR 3", "endoscope", sdp.toString()), "north", "grey");
                Thread.sleep(3000);
                stopped = ors.stop("or-3", "endoscope").orElseThrow();
            }
            assertEquals(List.of(), stopped.failures());
            assertEquals(1, stopped.recordings().size(), stopped.toString());
            String id = stopped.recordings().getFirst();
            Recording uploaded = archive.recordings().find(id).orElseThrow();
            String mezzanine = uploaded.sourceObject();
            assertTrue(uploaded.sourceName().endsWith(LiveEncoder.MEZZANINE_SUFFIX), uploaded.sourceName());
            assertEquals("1.2.826.0.1.3680043.8.498.77", uploaded.studyUid());

            archive.startWorkers();
            JobQueue.Info job = awaitFinished(archive.jobs(), id);
            assertEquals("done", job.state(), job.message());

            Recording ready = archive.recordings().find(id).orElseThrow();
            assertEquals(Recording.Status.READY, ready.status());
            List<Renditions.Rendition> renditions = archive.renditions().of(id);
            assertEquals(
                    List.of("master", "hls-180", "storyboard"),
                    renditions.stream().map(Renditions.Rendition::name).toList());
            Renditions.Rendition master = renditions.getFirst();
            assertEquals("h264", master.codec());
            assertEquals("High 4:2:2", master.profile());
            assertEquals("yuv422p10le", master.pixelFormat());
            assertFalse(master.copied());
            assertTrue(master.psnr() >= 45, "master PSNR " + master.psnr());
            assertTrue(master.ssim() > 0.98, "master SSIM " + master.ssim());
            Renditions.Rendition rung = renditions.get(1);
            assertTrue(rung.psnr() > 30 && rung.ssim() > 0.9, "rung " + rung.psnr() + " dB / " + rung.ssim());
            assertEquals(master.files().getFirst().sha256(), ready.sourceObject(), "the master is the source now");
            assertTrue(archive.vault().size(mezzanine).isEmpty(), "the mezzanine is deleted");
            assertEquals(3, ready.durationSeconds(), 0.6);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void enqueue(Archive archive, Recording r) {
        try {
            archive.enqueueTranscode(r.id());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JobQueue.Info awaitFinished(JobQueue jobs, String recording) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            List<JobQueue.Info> all = jobs.ofRecording(recording);
            if (!all.isEmpty()
                    && (all.getFirst().state().equals("done")
                            || all.getFirst().state().equals("failed"))) {
                return all.getFirst();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the transcode did not finish: " + jobs.ofRecording(recording));
    }
}
