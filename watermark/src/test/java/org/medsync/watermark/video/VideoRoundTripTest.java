package org.medsync.watermark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.ffmpeg;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.watermark.mark.Embedder;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;

/**
 * The pipes with the real (bundled) ffmpeg on a 320x180, 4 s clip: decode, mark (45.5 dB), encode with x264 CRF 10,
 * then a lossy H.264 re-encode (CRF 16), read. At this size a 64x36 grid has 5-pixel chips and only 12 chips per
 * coded bit, so the clip cannot stand the rates the 1080p benchmark applies (scripts/bench watermark measures those).
 */
class VideoRoundTripTest {
    private static final Payload PAYLOAD = Payload.playback("hospital-1", "recording-1");
    private static FfmpegLauncher ffmpeg;

    @TempDir
    static Path dir;

    private static Path source;

    @BeforeAll
    static void clip() throws IOException, InterruptedException {
        Path program = Path.of(Loader.load(ffmpeg.class));
        ffmpeg = arguments -> {
            List<String> command = new ArrayList<>();
            command.add(program.toString());
            command.addAll(arguments);
            ProcessBuilder b = new ProcessBuilder(command);
            b.environment().put("LD_LIBRARY_PATH", program.getParent().toString());
            return b;
        };
        source = dir.resolve("source.mkv");
        run(List.of(
                "-f",
                "lavfi",
                "-i",
                "mandelbrot=size=320x180:rate=25,trim=duration=4,noise=alls=6:allf=t",
                "-c:v",
                "libx264",
                "-qp",
                "0",
                "-preset",
                "ultrafast",
                source.toString()));
    }

    private static void run(List<String> arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        all.addAll(arguments);
        Process p = ffmpeg.command(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static Layout layout(int seed) {
        byte[] k = new byte[32];
        k[0] = (byte) seed;
        return new Layout(WatermarkKey.of(k), 64, 36);
    }

    @Test
    void markSurvivesX264AndALowRateReencode() throws Exception {
        Layout layout = layout(1);
        Path marked = dir.resolve("marked.mp4");
        FramePump.Pumped pumped = new VideoMarker(ffmpeg)
                .mark(
                        source,
                        320,
                        180,
                        25,
                        new Embedder(layout, PAYLOAD, 45.5),
                        List.of("-c:v", "libx264", "-crf", "10", "-preset", "ultrafast", marked.toString()));
        assertEquals(100, pumped.frames());
        assertTrue(pumped.psnr() >= 45, "PSNR " + pumped.psnr());

        Path attacked = dir.resolve("attacked.mp4");
        run(List.of(
                "-i", marked.toString(), "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", attacked.toString()));
        VideoReader reader = new VideoReader(ffmpeg, new VideoReader.Settings(320, 180, 25, 10));
        VideoReader.Report report = reader.read(attacked, layout);
        assertEquals(1, report.segments().size());
        assertEquals(PAYLOAD, report.whole().payload(), report.whole().toString());

        VideoReader.Report wrongKey = reader.read(attacked, layout(2));
        assertFalse(wrongKey.whole().found(), wrongKey.whole().toString());
        VideoReader.Report unmarked = reader.read(source, layout);
        assertFalse(unmarked.whole().found(), unmarked.whole().toString());
    }

    @Test
    void aFileThatIsNotVideoFailsWithFfmpegsReason() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.mp4"), "not a video");
        VideoReader reader = new VideoReader(ffmpeg, new VideoReader.Settings(320, 180, 25, 10));
        IOException e = assertThrows(IOException.class, () -> reader.read(junk, layout(1)));
        assertTrue(e.getMessage().contains("junk.mp4"), e.getMessage());
    }
}
