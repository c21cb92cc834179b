package org.medsync.rtv.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

class FfmpegVideoSourceTest {

    static final int W = 1280;
    static final int H = 720;
    static final int FRAMES = 10;

    @TempDir
    static Path dir;

    static Path video;

    /** 8-bit Y of frame i: distinct per frame so order and looping show. */
    static int y8(int i) {
        return 40 + 18 * i;
    }

    static int cb8(int i) {
        return 90 + 5 * i;
    }

    static int cr8(int i) {
        return 170 - 5 * i;
    }

    /** Ten flat 1280x720 frames at 50 Hz, ffv1 (lossless) 4:2:2, each a known Y/Cb/Cr written as UYVY. */
    @BeforeAll
    static void writeVideo() throws Exception {
        video = dir.resolve("flat.mkv");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(video.toString(), W, H, 0)) {
            rec.setFormat("matroska");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV422P);
            rec.setFrameRate(50);
            rec.start();
            for (int i = 0; i < FRAMES; i++) {
                Frame f = new Frame(W, H, Frame.DEPTH_UBYTE, 2);
                ByteBuffer b = (ByteBuffer) f.image[0];
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W * 2; x += 4) {
                        int at = y * f.imageStride + x;
                        b.put(at, (byte) cb8(i))
                                .put(at + 1, (byte) y8(i))
                                .put(at + 2, (byte) cr8(i))
                                .put(at + 3, (byte) y8(i));
                    }
                }
                rec.record(f, avutil.AV_PIX_FMT_UYVY422);
            }
            rec.stop();
        }
        assertTrue(Files.size(video) > 0);
    }

    static VideoFormat fmt(int depth, int w, int h, FrameRate rate) {
        return new VideoFormat(depth, w, h, rate, VideoFormat.Colorimetry.BT709);
    }

    /** Checks a few pixels away from the burnt-in frame stamp (top left). */
    static void assertFlat(ByteBuffer frame, VideoFormat f, int i) {
        int[][] points = {{W / 2, H / 2}, {W - 2, H - 1}, {0, H - 1}, {W - 2, 200}, {640, 100}};
        for (int[] p : points) {
            int[] pg = Raster.pgroup(frame, f, p[0], p[1]);
            String where = "frame " + i + " at " + p[0] + "," + p[1] + " depth " + f.depth();
            assertEquals(cb8(i) << 2, pg[0], 4, "Cb " + where);
            assertEquals(y8(i) << 2, pg[1], 4, "Y0 " + where);
            assertEquals(cr8(i) << 2, pg[2], 4, "Cr " + where);
            assertEquals(y8(i) << 2, pg[3], 4, "Y1 " + where);
        }
    }

    @Test
    void readsFramesInOrderAndLoops8And10Bit() {
        for (int depth : new int[] {8, 10}) {
            VideoFormat f = fmt(depth, W, H, FrameRate.FPS_50);
            try (FfmpegVideoSource src = new FfmpegVideoSource(video.toString(), f)) {
                assertEquals(W, src.nativeWidth());
                assertEquals(H, src.nativeHeight());
                assertEquals(50.0, src.nativeFrameRate(), 0.01);
                assertTrue(src.mismatch().isEmpty(), () -> "unexpected mismatch " + src.mismatch());
                ByteBuffer frame = ByteBuffer.allocate(f.frameBytes());
                for (int n = 0; n < 2 * FRAMES + 3; n++) {
                    src.fill(n, n * 1800L, 0, frame);
                    assertFlat(frame, f, n % FRAMES);
                }
                assertEquals(2, src.loops());
                assertEquals(2 * FRAMES + 3, src.framesDecoded());
                assertTrue(src.mismatch().isEmpty(), () -> "unexpected mismatch " + src.mismatch());
                assertTrue(src.describe().contains("flat.mkv"));
            }
        }
    }

    @Test
    void otherSizeIsScaledAndReported() {
        VideoFormat f = fmt(10, 640, 360, FrameRate.FPS_50);
        try (FfmpegVideoSource src = new FfmpegVideoSource(video.toString(), f)) {
            String why = src.mismatch().orElseThrow();
            assertTrue(why.contains("1280x720") && why.contains("640x360") && why.contains("flat.mkv"), why);
            assertFalse(why.contains("frame rate"), why);
            ByteBuffer frame = ByteBuffer.allocate(f.frameBytes());
            src.fill(0, 0, 0, frame);
            int[] pg = Raster.pgroup(frame, f, 320, 180);
            assertEquals(y8(0) << 2, pg[1], 8);
            assertEquals(cb8(0) << 2, pg[0], 8);
        }
    }

    @Test
    void otherRateIsReported() {
        VideoFormat f = fmt(8, W, H, new FrameRate(60000, 1001));
        try (FfmpegVideoSource src = new FfmpegVideoSource(video.toString(), f)) {
            String why = src.mismatch().orElseThrow();
            assertTrue(why.contains("frame rate 50.000") && why.contains("59.940"), why);
        }
    }

    @Test
    void nonsenseFileGivesClearError() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        Files.write(
                junk, "this is not a video at all, just some text".repeat(50).getBytes());
        FfmpegSourceException e = assertThrows(
                FfmpegSourceException.class,
                () -> new FfmpegVideoSource(junk.toString(), fmt(8, W, H, FrameRate.FPS_50)));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        FfmpegSourceException missing = assertThrows(
                FfmpegSourceException.class,
                () -> new FfmpegVideoSource(dir.resolve("missing.mp4").toString(), fmt(8, W, H, FrameRate.FPS_50)));
        assertTrue(missing.getMessage().contains("missing.mp4"), missing.getMessage());
    }
}
