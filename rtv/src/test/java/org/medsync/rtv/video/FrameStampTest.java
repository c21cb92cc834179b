package org.medsync.rtv.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

class FrameStampTest {

    @ParameterizedTest
    @ValueSource(ints = {8, 10})
    void testPatternStamp_readsBackTheRtpTimestamp(int depth) {
        VideoFormat f = new VideoFormat(depth, 1280, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);
        ByteBuffer b = ByteBuffer.allocate(f.frameBytes());
        TestPatternSource src = new TestPatternSource("ENDOSCOPE", f);
        for (long ts : new long[] {0, 1800, 0xFFFF_FFFFL, 3_072_300_480L}) {
            src.fill(7, ts, 1_700_000_037_000_000_000L, b);
            assertEquals(
                    OptionalLong.of(ts), FrameStamp.read(b, f, TestPatternSource.STAMP_X, TestPatternSource.STAMP_Y));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 10})
    void pixels_roundTripThroughY4mPlanes(int depth) throws Exception {
        VideoFormat f = new VideoFormat(depth, 64, 4, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);
        ByteBuffer b = ByteBuffer.allocate(f.frameBytes());
        java.util.Random r = new java.util.Random(depth);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 64; x += 2) {
                int m = depth == 8 ? ~3 : ~0;
                Raster.putPgroup(
                        b, f, x, y, r.nextInt(1024) & m, r.nextInt(1024) & m, r.nextInt(1024) & m, r.nextInt(1024) & m);
            }
        }
        java.nio.file.Path p = java.nio.file.Files.createTempFile("rt", ".y4m");
        try (Y4m.Writer w = new Y4m.Writer(p, f)) {
            w.write(b);
        }
        try (java.io.InputStream in = Y4m.open(p)) {
            Y4m.Header h = Y4m.readHeader(in);
            ByteBuffer back = ByteBuffer.allocate(f.frameBytes());
            assertEquals(true, Y4m.readFrame(in, h, new byte[h.frameBytes()], back, f));
            assertEquals(b.clear(), back.clear());
        } finally {
            java.nio.file.Files.delete(p);
        }
    }
}
