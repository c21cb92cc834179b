package org.medsync.archive.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Objects;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.dicom.video.DicomVideoReader;
import org.medsync.dicom.video.VideoContainer;
import org.medsync.dicom.video.VideoInstance;
import org.medsync.library.database.Database;

/**
 * The send-to-pacs job end to end: a recording in the index (embedded PostgreSQL), its source in the object store,
 * the job run, and the instance found in a real Orthanc under the recording's patient and study, with the same
 * decoded frames as the recording (copied) or a compliant re-encode (when the source fits no transfer syntax).
 */
@Timeout(240)
class SendToPacsHandlerTest {
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.4242";

    @TempDir
    static Path dir;

    private static OrthancPacs orthanc;
    private static Database db;
    private static Vault store;
    private static SendToPacsHandler handler;
    private static long jobs;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OrthancPacs.installed(), "Orthanc with its DICOMweb plugin is installed by scripts/setup --test");
        orthanc = OrthancPacs.start();
        db = Database.start(Database.Settings.embedded(dir.resolve("pg"), 0));
        store = new Vault(db.dataSource(), new FileObjectStore(dir.resolve("objects")));
        new Hospitals(db.dataSource())
                .save(new Hospital(
                        "demo-hospital", "Demo University Hospital", Hospital.MasterPolicy.KEEP, 45, List.of()));
        handler = new SendToPacsHandler(
                db.dataSource(), store, Map.of("orthanc", orthanc.destination("orthanc")), dir.resolve("work"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (orthanc != null) {
            orthanc.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Recording record(Path video, boolean anonymized) throws Exception {
        ObjectStore.StoredObject o = store.put(video, "demo-hospital");
        Recordings recordings = new Recordings(db.dataSource());
        Recording r = recordings.create(
                new Recording.Declared(
                        "demo-hospital",
                        "OR 1",
                        null,
                        "Dr Grey",
                        "grey",
                        "Laparoscopic cholecystectomy",
                        "ACC-4242",
                        STUDY,
                        "PAT-4242",
                        "Doe^Jane",
                        Instant.parse("2026-12-06T09:30:00Z"),
                        "Cholecystectomy OR 1",
                        video.getFileName().toString()),
                o.sha256(),
                o.size(),
                "video/mp4");
        return anonymized ? recordings.createAnonymizedCopy(r, "anonymized") : r;
    }

    private static JobHandler.Job job(Recording r, String params) {
        return new JobHandler.Job(++jobs, r.id(), SendToPacsHandler.KIND, params, 1);
    }

    private static final List<String> stages = new ArrayList<>();

    private static void run(JobHandler.Job job) throws Exception {
        handler.run(job, (fraction, stage) -> stages.add(stage));
    }

    /** The decoded frames' MD5s (FFmpeg's framemd5), to compare pictures whatever the container. */
    private static List<String> frames(Path video) throws Exception {
        Process p = FfmpegProgram.ffmpeg()
                .command(List.of(
                        "-v", "error", "-nostdin", "-i", video.toString(), "-map", "0:v:0", "-f", "framemd5", "-"))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return out.lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(l.lastIndexOf(',') + 1))
                .toList();
    }

    private static Path storedVideo(String sopInstanceUid, String name) throws Exception {
        String id = orthanc.instanceId(sopInstanceUid);
        assertNotNull(id, "Orthanc has no instance " + sopInstanceUid);
        Path dcm = dir.resolve(name + ".dcm");
        Files.write(dcm, orthanc.file(id));
        DicomVideoReader.StoredVideo v = DicomVideoReader.read(dcm);
        Path mp4 = dir.resolve(name + ".mp4");
        Files.write(mp4, v.stream());
        return mp4;
    }

    @Test
    void stow_aFittingH264IsCopied_underThePatientAndStudy() throws Exception {
        Path source = TestVideos.make(
                dir.resolve("fits.mp4"), "320x180", 25, 2, "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p");
        Recording r = record(source, false);
        // The hospital codes where a cholecystectomy's camera is: the video says so instead of "Entire body".
        new AnatomicRegions(db.dataSource())
                .put(new AnatomicRegions.Mapping(
                        "demo-hospital",
                        "Cholecystectomy",
                        new VideoInstance.Code("28231008", "SCT", "Gallbladder structure")));
        JobHandler.Job job = job(r, "{\"destination\":\"orthanc\",\"via\":\"stow\"}");
        run(job);

        String sop = SendToPacsHandler.uid(r.id(), job.id(), "instance");
        JsonNode tags = orthanc.tags(orthanc.instanceId(sop));
        assertEquals("PAT-4242", tags.path("PatientID").asText());
        assertEquals("Doe^Jane", tags.path("PatientName").asText());
        assertEquals(STUDY, tags.path("StudyInstanceUID").asText());
        assertEquals("ACC-4242", tags.path("AccessionNumber").asText());
        assertEquals("ES", tags.path("Modality").asText());
        assertEquals("50", tags.path("NumberOfFrames").asText());
        JsonNode region = tags.path("AnatomicRegionSequence").path(0);
        assertEquals("28231008", region.path("CodeValue").asText(), tags.toString());
        assertEquals("Gallbladder structure", region.path("CodeMeaning").asText());
        assertEquals(frames(source), frames(storedVideo(sop, "copied")));
        assertTrue(stages.stream().anyMatch(s -> s.contains("source copied")), stages.toString());
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select detail from archive_access where recording_id = '" + r.id()
                        + "' and action = 'sent'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).contains("destination=orthanc via=stow"), rs.getString(1));
        }
    }

    @Test
    void cStore_aSourceNoSyntaxTakes_isReencodedToH264High() throws Exception {
        Path source = TestVideos.make(
                dir.resolve("422.mp4"), "320x180", 25, 2, "libx264", "-profile:v", "high422", "-pix_fmt", "yuv422p");
        Recording r = record(source, false);
        JobHandler.Job job = job(r, "{\"destination\":\"orthanc\",\"via\":\"c-store\",\"sopClass\":\"photographic\"}");
        run(job);

        String sop = SendToPacsHandler.uid(r.id(), job.id(), "instance");
        JsonNode tags = orthanc.tags(orthanc.instanceId(sop));
        assertEquals("XC", tags.path("Modality").asText());
        Path back = storedVideo(sop, "reencoded");
        var stream = new VideoForPacs().probe(back, VideoContainer.MP4);
        assertEquals("High", stream.profile());
        assertEquals("4:2:0", stream.chromaSubsampling());
        assertEquals(50, stream.frameCount());
        assertTrue(stages.stream().anyMatch(s -> s.contains("re-encoded from source")), stages.toString());
    }

    /**
     * A source no syntax takes, but an HLS rung that fits (as the transcode job leaves it: init.mp4 and fMP4
     * segments, rows in archive_rendition and archive_rendition_file): the rung is copied, nothing re-encoded.
     */
    @Test
    void aFittingHlsRung_isCopiedRatherThanReencodingTheSource() throws Exception {
        Path source = TestVideos.make(
                dir.resolve("rung-source.mp4"),
                "320x180",
                25,
                2,
                "libx264",
                "-profile:v",
                "high422",
                "-pix_fmt",
                "yuv422p");
        Recording r = record(source, false);
        Path hls = Files.createDirectories(dir.resolve("hls-180"));
        Process p = FfmpegProgram.ffmpeg()
                .command(List.of(
                        "-v",
                        "error",
                        "-nostdin",
                        "-y",
                        "-i",
                        source.toString(),
                        "-c:v",
                        "libx264",
                        "-profile:v",
                        "high",
                        "-pix_fmt",
                        "yuv420p",
                        "-preset",
                        "ultrafast",
                        "-g",
                        "25",
                        "-f",
                        "hls",
                        "-hls_segment_type",
                        "fmp4",
                        "-hls_time",
                        "1",
                        "-hls_playlist_type",
                        "vod",
                        "-hls_fmp4_init_filename",
                        "init.mp4",
                        "-hls_segment_filename",
                        hls.resolve("seg-%05d.m4s").toString(),
                        hls.resolve("index.m3u8").toString()))
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        try (Connection c = db.dataSource().getConnection()) {
            try (var s = c.prepareStatement(
                    "insert into archive_rendition (recording_id, name, kind, codec, profile,"
                            + " pixel_format, width, height) values (?, 'hls-180', 'hls', 'h264', 'High', 'yuv420p', 320, 180)")) {
                s.setString(1, r.id());
                s.executeUpdate();
            }
            try (var files = Files.list(hls)) {
                for (Path f : files.sorted().toList()) {
                    ObjectStore.StoredObject o = store.put(f, "demo-hospital");
                    new Objects(db.dataSource()).record(o.sha256(), o.size(), "video/mp4");
                    try (var s = c.prepareStatement("insert into archive_rendition_file (recording_id, rendition,"
                            + " path, sha256, media_type) values (?, 'hls-180', ?, ?, 'video/mp4')")) {
                        s.setString(1, r.id());
                        s.setString(2, f.getFileName().toString());
                        s.setString(3, o.sha256());
                        s.executeUpdate();
                    }
                }
            }
        }
        stages.clear();
        JobHandler.Job job = job(r, "{\"destination\":\"orthanc\",\"via\":\"stow\"}");
        run(job);
        assertTrue(stages.stream().anyMatch(s -> s.contains("hls-180 copied")), stages.toString());
        Path back = storedVideo(SendToPacsHandler.uid(r.id(), job.id(), "instance"), "rung");
        assertEquals(50, new VideoForPacs().probe(back, VideoContainer.MP4).frameCount());
    }

    @Test
    void refusals_sayWhy() throws Exception {
        Path source = TestVideos.make(dir.resolve("small.mp4"), "160x90", 25, 1, "libx264", "-pix_fmt", "yuv420p");
        Recording r = record(source, false);
        assertEquals(
                "no PACS 'elsewhere' is configured",
                assertThrows(
                                JobHandler.JobFailure.class,
                                () -> run(job(r, "{\"destination\":\"elsewhere\",\"via\":\"stow\"}")))
                        .getMessage());
        assertEquals(
                "via must be \"stow\" or \"c-store\", not \"ftp\"",
                assertThrows(
                                JobHandler.JobFailure.class,
                                () -> run(job(r, "{\"destination\":\"orthanc\",\"via\":\"ftp\"}")))
                        .getMessage());
        Recording anonymized = record(source, true);
        assertTrue(assertThrows(
                        JobHandler.JobFailure.class,
                        () -> run(job(anonymized, "{\"destination\":\"orthanc\",\"via\":\"stow\"}")))
                .getMessage()
                .contains("anonymized copy has no patient"));
    }
}
