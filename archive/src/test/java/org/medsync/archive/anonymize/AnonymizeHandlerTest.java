package org.medsync.archive.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.access.Playback;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.library.database.Database;

/**
 * An anonymized copy of a recording with a burned-in patient banner: the banner's detail is gone, the rest of the
 * picture is kept, no metadata or chapter of the source survives, and the copy is a derived row without patient
 * fields.
 */
class AnonymizeHandlerTest {
    private static final int W = 320;
    private static final int H = 180;
    /** The banner: the top 20 % of the frame, a 3-pixel checkerboard (text-like, high contrast). */
    private static final int BANNER_ROWS = 36;

    private static final String PATIENT = "Doe^Jane";
    private static final String PATIENT_ID = "PID-4711";

    private static Path dir;
    private static Database db;
    private static Vault store;
    private static Recordings recordings;
    private static Recording original;
    private static Recording copy;
    private static Path source;
    private static Path anonymized;

    @BeforeAll
    static void anonymize() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-anonymize-");
        db = Database.start(Database.Settings.embedded(dir.resolve("postgres"), 0));
        store = new Vault(db.dataSource(), new FileObjectStore(dir.resolve("objects")));
        new Hospitals(db.dataSource())
                .save(new Hospital(
                        "north", "North", Hospital.MasterPolicy.KEEP, 45, List.of(new Hospital.Region(0, 0, 1, 0.2))));
        recordings = new Recordings(db.dataSource());
        source = makeSource(dir);
        var stored = store.put(source, "north");
        original = recordings.create(
                new Recording.Declared(
                        "north",
                        "OR 3",
                        null,
                        "Dr Cutter",
                        "dr-owner",
                        "Cholecystectomy",
                        "ACC-1",
                        "1.2.3.4",
                        PATIENT_ID,
                        PATIENT,
                        Instant.parse("2026-05-20T08:00:00Z"),
                        PATIENT + " cholecystectomy",
                        "or3.mp4"),
                stored.sha256(),
                stored.size(),
                "video/mp4");
        var started = new Anonymizations(
                        new Recordings(db.dataSource()), new JobQueue(db.dataSource(), Duration.ofSeconds(60)))
                .start(original);
        var handler = new AnonymizeHandler(db.dataSource(), store, dir.resolve("work"));
        handler.run(
                new JobHandler.Job(
                        started.jobId(),
                        original.id(),
                        "anonymize",
                        AnonymizeHandler.params(started.copy().id()),
                        1),
                (fraction, stage) -> {});
        copy = recordings.find(started.copy().id()).orElseThrow();
        anonymized = dir.resolve("anonymized.mp4");
        var file = new Playback(db.dataSource(), new JobQueue(db.dataSource(), Duration.ofMinutes(1)))
                .file(copy.id(), "master", "master.mp4")
                .orElseThrow();
        try (InputStream in = store.open(file.sha256(), 0, -1)) {
            Files.copy(in, anonymized);
        }
    }

    /** testsrc2 with the banner on top, audio, metadata tags and a chapter naming the patient. */
    private static Path makeSource(Path dir) throws Exception {
        Path chapters = dir.resolve("chapters.txt");
        Files.writeString(
                chapters,
                ";FFMETADATA1\ntitle=" + PATIENT + " surgery\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle="
                        + PATIENT_ID + " incision\n");
        Path out = dir.resolve("source.mp4");
        run(
                FfmpegProgram.ffmpeg(),
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=s=" + W + "x" + H + ":r=25:d=2",
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=white:s=" + W + "x" + BANNER_ROWS + ":r=25:d=2,format=yuv444p,"
                                + "geq=lum='if(mod(floor(X/3)+floor(Y/3)\\,2)\\,235\\,16)':cb=128:cr=128",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=d=2",
                        "-i",
                        chapters.toString(),
                        "-filter_complex",
                        "[0:v][1:v]overlay=0:0,format=yuv420p[v]",
                        "-map",
                        "[v]",
                        "-map",
                        "2:a",
                        "-map_metadata",
                        "3",
                        "-map_chapters",
                        "3",
                        "-metadata",
                        "comment=" + PATIENT_ID,
                        "-c:v",
                        "libx264",
                        "-crf",
                        "8",
                        "-g",
                        "50",
                        "-c:a",
                        "aac",
                        "-shortest",
                        out.toString()));
        return out;
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theCopyIsADerivedRowWithoutPatientFieldsAndReady() {
        assertTrue(copy.anonymized());
        assertEquals(original.id(), copy.derivedFrom());
        assertEquals(Recording.Status.READY, copy.status());
        assertNull(copy.patientName());
        assertNull(copy.patientId());
        assertNull(copy.accession());
        assertNull(copy.studyUid());
        assertNull(copy.procedure());
        assertFalse(copy.title().contains("Doe"), copy.title());
        assertTrue(copy.durationSeconds() > 1.5 && copy.durationSeconds() < 2.5, "duration " + copy.durationSeconds());
    }

    @Test
    void theBannerDetailIsGoneAndTheRestOfThePictureKept() throws Exception {
        byte[] before = gray(source);
        byte[] after = gray(anonymized);
        assertEquals(before.length, after.length, "same frames");
        int frames = before.length / (W * H);
        assertTrue(frames >= 40, "frames " + frames);
        double edgesBefore = edgeEnergy(before, frames, 0, BANNER_ROWS);
        double edgesAfter = edgeEnergy(after, frames, 0, BANNER_ROWS);
        // The checkerboard gives ~200 grey levels per pixel step; blurred, a few.
        assertTrue(edgesAfter < 0.05 * edgesBefore, "banner edge energy " + edgesAfter + " of " + edgesBefore);
        double psnr = psnr(before, after, frames, BANNER_ROWS + 2, H);
        assertTrue(psnr > 38, "PSNR outside the banner " + psnr);
        System.out.printf(
                "banner edge energy %.1f -> %.1f per pixel; PSNR outside the banner %.1f dB%n",
                edgesBefore, edgesAfter, psnr);
    }

    @Test
    void noMetadataChapterOrAudioOfTheSourceSurvives() throws Exception {
        JsonNode probe = probe(anonymized);
        assertEquals(1, probe.path("streams").size(), "video only: " + probe.path("streams"));
        assertEquals("video", probe.path("streams").get(0).path("codec_type").asText());
        assertEquals("h264", probe.path("streams").get(0).path("codec_name").asText());
        assertTrue(probe.path("chapters").isEmpty(), "chapters " + probe.path("chapters"));
        Map<String, String> tags = new TreeMap<>();
        probe.path("format")
                .path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        assertFalse(tags.containsKey("title") || tags.containsKey("comment") || tags.containsKey("encoder"), "" + tags);
        // And nowhere in the bytes (the HLS rung and storyboard are made from this file).
        String bytes = new String(Files.readAllBytes(anonymized), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(PATIENT) || bytes.contains(PATIENT_ID) || bytes.contains("incision"));
        // The source did carry them: the test would notice a stripping that did nothing.
        JsonNode sourceProbe = probe(source);
        assertEquals(1, sourceProbe.path("chapters").size());
        assertTrue(
                sourceProbe.path("format").path("tags").path("comment").asText().equals(PATIENT_ID));
    }

    @Test
    void theCopyHasAPlayableHlsRungAndAStoryboard() throws Exception {
        Playback playback = new Playback(db.dataSource(), new JobQueue(db.dataSource(), Duration.ofMinutes(1)));
        List<String> names = playback.renditions(copy.id()).stream()
                .map(Playback.Rendition::name)
                .toList();
        assertEquals(
                List.of("hls-180", "master", "storyboard"),
                names.stream().sorted().toList());
        var index = playback.file(copy.id(), "hls-180", "index.m3u8").orElseThrow();
        String playlist;
        try (InputStream in = store.open(index.sha256(), 0, -1)) {
            playlist = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init.mp4\""), playlist);
        assertTrue(playlist.contains("seg-00000.m4s"), playlist);
        assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
        assertTrue(playback.file(copy.id(), "hls-180", "init.mp4").isPresent());
        assertTrue(playback.file(copy.id(), "storyboard", "storyboard.jpg").isPresent());
        var json = playback.file(copy.id(), "storyboard", "storyboard.json").orElseThrow();
        try (InputStream in = store.open(json.sha256(), 0, -1)) {
            JsonNode board = new ObjectMapper().readTree(in);
            assertEquals(2, board.path("count").asInt());
            assertEquals(160, board.path("tileWidth").asInt());
            assertEquals(90, board.path("tileHeight").asInt());
        }
        String master = Playback.masterPlaylist(playback.renditions(copy.id())).orElseThrow();
        assertTrue(master.contains("RESOLUTION=320x180") && master.contains("renditions/hls-180/index.m3u8"), master);
    }

    @Test
    void badParametersFailTheJobForGood() {
        assertThrows(JobHandler.JobFailure.class, () -> AnonymizeHandler.copyId("not json"));
        assertThrows(JobHandler.JobFailure.class, () -> AnonymizeHandler.copyId("{\"copy\": 5}"));
        assertThrows(JobHandler.JobFailure.class, () -> AnonymizeHandler.copyId("[]"));
    }

    @Test
    void theFilterGraphBlursEveryRegionAndOnlyThose() {
        assertEquals("[0:v]format=yuv420p[anon]", BlurGraph.of(List.of()));
        String two = BlurGraph.of(List.of(new Hospital.Region(0, 0, 1, 0.08), new Hospital.Region(0.5, 0.9, 0.5, 0.1)));
        assertEquals(2, two.split("boxblur").length - 1, two);
        assertTrue(two.endsWith("[anon]"), two);
    }

    private static JsonNode probe(Path file) throws Exception {
        Process p = FfmpegProgram.ffprobe()
                .command(List.of(
                        "-v",
                        "error",
                        "-show_format",
                        "-show_streams",
                        "-show_chapters",
                        "-of",
                        "json",
                        file.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        JsonNode n;
        try (InputStream in = p.getInputStream()) {
            n = new ObjectMapper().readTree(in);
        }
        assertEquals(0, p.waitFor());
        return n;
    }

    private static byte[] gray(Path file) throws Exception {
        Process p = FfmpegProgram.ffmpeg()
                .command(List.of("-v", "error", "-i", file.toString(), "-f", "rawvideo", "-pix_fmt", "gray", "-"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertEquals(0, p.waitFor());
        return out;
    }

    /** Mean absolute difference between horizontal and vertical neighbours in rows [from, to). */
    private static double edgeEnergy(byte[] frames, int count, int from, int to) {
        double sum = 0;
        long n = 0;
        for (int f = 0; f < count; f++) {
            int base = f * W * H;
            for (int y = from; y < to - 1; y++) {
                for (int x = 0; x < W - 1; x++) {
                    int p = frames[base + y * W + x] & 0xff;
                    sum += Math.abs(p - (frames[base + y * W + x + 1] & 0xff));
                    sum += Math.abs(p - (frames[base + (y + 1) * W + x] & 0xff));
                    n += 2;
                }
            }
        }
        return sum / n;
    }

    private static double psnr(byte[] a, byte[] b, int count, int from, int to) {
        double se = 0;
        long n = 0;
        for (int f = 0; f < count; f++) {
            int base = f * W * H;
            for (int i = base + from * W; i < base + to * W; i++) {
                int d = (a[i] & 0xff) - (b[i] & 0xff);
                se += d * d;
                n++;
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / n));
    }

    private static void run(FfmpegProgram program, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        all.addAll(args);
        Process p = program.command(all).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), out);
    }
}
