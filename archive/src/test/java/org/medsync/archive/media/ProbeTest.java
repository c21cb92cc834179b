package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTest {
    @TempDir
    Path dir;

    @Test
    void probesA10Bit422FileFromTheShippedFfprobe() throws Exception {
        Path file = TestMedia.pattern(dir.resolve("s.mkv"), 320, 180, 25, 2, "yuv422p10le");
        Probe p = Probe.of(file);
        assertTrue(p.container().startsWith("matroska"), p.container());
        assertEquals("h264", p.video().codec());
        assertEquals("yuv422p10le", p.video().pixelFormat());
        assertEquals(10, p.video().bitDepth());
        assertEquals("4:2:2", p.video().chroma());
        assertEquals(320, p.video().width());
        assertEquals(180, p.video().height());
        assertEquals(25, p.video().fps(), 1e-9);
        assertEquals(2, p.durationSeconds(), 0.05);
        assertNull(p.audioCodec());
    }

    @Test
    void aFileThatIsNotVideoIsRefusedWithFfprobesReason() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.mp4"), "not a video at all");
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> Probe.of(file));
        assertTrue(e.getMessage().startsWith("not a media file FFmpeg can read"), e.getMessage());
    }

    @Test
    void garbageJsonIsRefusedWithAPreciseMessage() {
        assertEquals("ffprobe's output is not a JSON object", message("[1,2]"));
        assertTrue(message("{").startsWith("ffprobe's output is not JSON"));
        assertEquals("ffprobe's output has no format object", message("{}"));
        assertEquals("the format in ffprobe's output has no format_name", message("{\"format\":{}}"));
        assertEquals("ffprobe's output has no streams array", message("{\"format\":{\"format_name\":\"mov,mp4\"}}"));
        assertEquals("the file has no video stream", message(json("\"codec_type\":\"audio\",\"codec_name\":\"aac\"")));
        assertEquals(
                "the video stream's width 0 is outside 1..16384",
                message(json(video("\"width\":0,\"height\":180", "25/1"))));
        assertEquals(
                "the video stream's avg_frame_rate 'x/y' is not a fraction n/d",
                message(json(video("\"width\":320,\"height\":180", "x/y"))));
        assertEquals(
                "the video stream's pixel format 'weird' is not one the archive knows (planar YUV, NV12/P010-style,"
                        + " packed 4:2:2, gray or RGB)",
                message(json(video("\"width\":320,\"height\":180", "25/1").replace("yuv420p", "weird"))));
        assertEquals(
                "the file does not say how long it is (no duration in format or stream)",
                message(json(video("\"width\":320,\"height\":180", "25/1"))));
    }

    @Test
    void pixelFormatsGiveDepthAndChroma() {
        assertEquals("4:2:0/8", layout("yuvj420p"));
        assertEquals("4:2:2/10", layout("yuv422p10le"));
        assertEquals("4:4:4/12", layout("yuv444p12be"));
        assertEquals("4:2:0/10", layout("p010le"));
        assertEquals("4:2:2/10", layout("v210"));
        assertEquals("4:2:2/8", layout("uyvy422"));
        assertEquals("4:0:0/8", layout("gray"));
        assertEquals("4:4:4/8", layout("rgb24"));
        assertNull(Probe.layout("pal8"));
    }

    /** What a DICOM video header needs (pacs): level, the exact frame rate and count, sample aspect, interlace. */
    @Test
    void readsLevelExactRateFramesAspectAndFieldOrder() throws Exception {
        String h264 = "{\"format\":{\"format_name\":\"mov,mp4\",\"duration\":\"10.01\"},\"streams\":[{\"codec_type\":"
                + "\"video\",\"codec_name\":\"h264\",\"profile\":\"High\",\"width\":1920,\"height\":1080,"
                + "\"pix_fmt\":\"yuv420p\",\"level\":42,\"field_order\":\"progressive\",\"sample_aspect_ratio\":"
                + "\"1:1\",\"avg_frame_rate\":\"60000/1001\",\"nb_frames\":\"600\",\"nb_read_packets\":\"600\"}]}";
        Probe.Video v = Probe.parse(h264).video();
        assertEquals(42, v.level());
        assertEquals(60000, v.fpsNumerator());
        assertEquals(1001, v.fpsDenominator());
        assertEquals(600, v.frames());
        assertEquals(false, v.interlaced());
        Probe.Video odd = Probe.parse(h264.replace("progressive", "tt")
                        .replace("\"1:1\"", "\"0:1\"")
                        .replace("\"nb_frames\":\"600\",", "")
                        .replace("\"level\":42,", ""))
                .video();
        assertTrue(odd.interlaced());
        assertEquals(1, odd.sampleAspectNumerator());
        assertEquals(1, odd.sampleAspectDenominator());
        assertEquals(600, odd.frames(), "from nb_read_packets");
        assertEquals(-99, odd.level());
        assertEquals(
                "the video stream's sample_aspect_ratio 'wide' is not a ratio n:d",
                message(h264.replace("\"1:1\"", "\"wide\"")));
        assertEquals(
                "the video stream's nb_frames 'many' is not a count", message(h264.replace("\"600\"", "\"many\"")));
    }

    private static String layout(String pixelFormat) {
        var l = Probe.layout(pixelFormat);
        return l.chroma() + "/" + l.depth();
    }

    private static String video(String size, String fps) {
        return "\"codec_type\":\"video\",\"codec_name\":\"h264\",\"pix_fmt\":\"yuv420p\"," + size
                + ",\"avg_frame_rate\":\"" + fps + "\"";
    }

    private static String json(String stream) {
        return "{\"format\":{\"format_name\":\"mov,mp4\"},\"streams\":[{" + stream + "}]}";
    }

    private static String message(String json) {
        return assertThrows(MediaFormatException.class, () -> Probe.parse(json)).getMessage();
    }
}
