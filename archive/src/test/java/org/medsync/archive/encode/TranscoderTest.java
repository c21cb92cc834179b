package org.medsync.archive.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.jobs.JobHandler.JobFailure;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.media.MasterDecision;
import org.medsync.archive.media.TestMedia;

/** The transcode on local files (no database): what a job and a benchmark get. */
class TranscoderTest {
    private static final Transcoder TRANSCODER = new Transcoder(Transcoder.Settings.defaults());

    @TempDir
    Path dir;

    @Test
    void a10Bit422SourceGetsAnH264High422MasterKeepingDepthAndChroma() throws Exception {
        Path source = TestMedia.pattern(dir.resolve("s.mkv"), 320, 180, 25, 2, "yuv422p10le");
        Transcoder.Result r = TRANSCODER.transcode(
                source, "s.mkv", MasterDecision.Policy.H264_422, 45, dir.resolve("out"), (f, s) -> {});
        var master = r.master();
        assertEquals(false, master.decision().copy());
        assertEquals("master.mp4", master.file().getFileName().toString());
        assertEquals("h264", master.probe().video().codec());
        assertEquals("High 4:2:2", master.probe().video().profile());
        assertEquals("yuv422p10le", master.probe().video().pixelFormat());
        assertTrue(master.score().psnr() >= 45, "PSNR " + master.score().psnr());
        assertTrue(master.score().ssim() > 0.98, "SSIM " + master.score().ssim());
        // 180 lines: one rung at the source height, H.264 High 8-bit 4:2:0.
        assertEquals(1, r.rungs().size());
        var rung = r.rungs().getFirst();
        assertEquals("hls-180", rung.output().rung().name());
        assertEquals("yuv420p", rung.probe().video().pixelFormat());
        assertEquals("High", rung.probe().video().profile());
        assertTrue(rung.score().psnr() >= 30, "rung PSNR " + rung.score().psnr());
        assertTrue(rung.output().peakBitrate() > 0);
        JsonNode sheet =
                new ObjectMapper().readTree(Files.readString(r.storyboard().json()));
        assertEquals(1, sheet.get("intervalSeconds").asInt());
        assertEquals(2, sheet.get("count").asInt());
        assertEquals(160, sheet.get("tileWidth").asInt());
        assertEquals(90, sheet.get("tileHeight").asInt());
        assertEquals(List.of(), r.flags());
    }

    @Test
    void theHevcPolicyGivesAMain422_10Master() throws Exception {
        Path source = TestMedia.pattern(dir.resolve("s.mkv"), 320, 180, 25, 2, "yuv422p10le");
        Transcoder.Result r = TRANSCODER.transcode(
                source, "s.mkv", MasterDecision.Policy.HEVC_422, 45, dir.resolve("out"), (f, s) -> {});
        assertEquals("hevc", r.master().probe().video().codec());
        assertEquals("Rext", r.master().probe().video().profile());
        assertEquals("yuv422p10le", r.master().probe().video().pixelFormat());
        assertTrue(r.master().score().psnr() >= 45, "PSNR " + r.master().score().psnr());
    }

    @Test
    void anAcceptableH264Mp4IsKeptUntouched() throws Exception {
        Path source = TestMedia.ordinaryH264(dir.resolve("phone.mp4"), 320, 180, 25, 2);
        Transcoder.Result r = TRANSCODER.transcode(
                source, "phone.mp4", MasterDecision.Policy.KEEP, 45, dir.resolve("out"), (f, s) -> {});
        assertTrue(r.master().decision().copy());
        assertEquals("aac", r.source().audioCodec());
        assertEquals("master.mp4", r.master().file().getFileName().toString());
        assertArrayEquals(sha256(source), sha256(r.master().file()));
        assertNull(r.master().score());
        // The rung carries the sound too (AAC in the same fMP4 segments).
        assertEquals("aac", r.rungs().getFirst().probe().audioCodec());
    }

    @Test
    void hlsRungsNeverExceedTheSourceAndHaveAKeyframeEveryTwoSeconds() throws Exception {
        Path source = TestMedia.pattern(dir.resolve("s.mp4"), 1280, 720, 25, 5, "yuv420p");
        List<String> stages = new ArrayList<>();
        Transcoder.Result r =
                TRANSCODER.transcode(source, "s.mp4", MasterDecision.Policy.KEEP, 45, dir.resolve("out"), (f, s) -> {
                    if (stages.isEmpty() || !stages.getLast().equals(s)) {
                        stages.add(s);
                    }
                });
        assertEquals(
                List.of("hls-720", "hls-360"),
                r.rungs().stream().map(g -> g.output().rung().name()).toList());
        assertTrue(stages.contains("encoding playback ladder"), stages.toString());
        for (var rung : r.rungs()) {
            Path playlist = rung.output().dir().resolve("index.m3u8");
            List<String> lines = Files.readAllLines(playlist);
            assertEquals("#EXTM3U", lines.getFirst());
            assertTrue(lines.contains("#EXT-X-PLAYLIST-TYPE:VOD"), lines.toString());
            assertTrue(lines.contains("#EXT-X-MAP:URI=\"init.mp4\""), lines.toString());
            assertTrue(lines.contains("#EXT-X-ENDLIST"), lines.toString());
            assertTrue(lines.contains("#EXT-X-INDEPENDENT-SEGMENTS"), lines.toString());
            assertEquals(
                    List.of("seg-00000.m4s", "seg-00001.m4s", "seg-00002.m4s"),
                    lines.stream().filter(l -> !l.startsWith("#")).toList());
            assertEquals(
                    List.of("#EXTINF:2.000000,", "#EXTINF:2.000000,", "#EXTINF:1.000000,"),
                    lines.stream().filter(l -> l.startsWith("#EXTINF")).toList());
            assertEquals(List.of(0.0, 2.0, 4.0), keyframeTimes(playlist));
            assertTrue(rung.output().rung().height() <= 720);
            assertEquals("yuv420p", rung.probe().video().pixelFormat());
        }
    }

    @Test
    void aMasterBelowTheFloorFailsTheTranscodeNamingTheOutputAndTheValue() throws Exception {
        Path source = TestMedia.pattern(dir.resolve("s.mkv"), 320, 180, 25, 2, "yuv422p10le");
        JobFailure e = assertThrows(
                JobFailure.class,
                () -> TRANSCODER.transcode(
                        source, "s.mkv", MasterDecision.Policy.H264_422, 99, dir.resolve("out"), (f, s) -> {}));
        assertTrue(
                e.getMessage()
                        .matches("the master master\\.mp4 measured PSNR \\d+\\.\\d\\d dB \\(SSIM 0\\.\\d{4}\\)"
                                + " against the source, below the hospital's floor of 99\\.0 dB for a diagnostic master:"
                                + " not kept"),
                e.getMessage());
    }

    @Test
    void aRungBelowItsFloorFailsTheTranscode() throws Exception {
        Path source = TestMedia.ordinaryH264(dir.resolve("phone.mp4"), 320, 180, 25, 2);
        JobFailure e = assertThrows(
                JobFailure.class,
                () -> new Transcoder(Transcoder.Settings.defaults().withRungMinPsnr(99))
                        .transcode(
                                source, "phone.mp4", MasterDecision.Policy.KEEP, 45, dir.resolve("out"), (f, s) -> {}));
        assertTrue(e.getMessage().startsWith("the playback rendition hls-180 measured PSNR "), e.getMessage());
        assertTrue(e.getMessage().contains("below the floor of 99.0 dB for playback"), e.getMessage());
    }

    @Test
    void aFileThatIsNotVideoFailsForGood() throws Exception {
        Path source = Files.writeString(dir.resolve("x.mp4"), "hello");
        JobFailure e = assertThrows(
                JobFailure.class,
                () -> TRANSCODER.transcode(
                        source, "x.mp4", MasterDecision.Policy.KEEP, 45, dir.resolve("out"), (f, s) -> {}));
        assertTrue(e.getMessage().startsWith("the uploaded file is not usable video: "), e.getMessage());
    }

    /** Presentation times of the keyframes of an HLS playlist, by ffprobe. */
    static List<Double> keyframeTimes(Path playlist) throws Exception {
        Process p = FfmpegProgram.ffprobe()
                .command(List.of(
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "packet=pts_time,flags",
                        "-of",
                        "csv=p=0",
                        playlist.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<Double> times = new ArrayList<>();
        double first = Double.NaN;
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(",");
            double t = Double.parseDouble(f[0]);
            if (Double.isNaN(first)) {
                first = t;
            }
            if (f[1].startsWith("K")) {
                times.add(Math.round((t - first) * 1000) / 1000.0);
            }
        }
        return times;
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
