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

    /**
     * docs/rtv.md "FrameStamp" gives example bytes of a stamp so that a third party can check a reader: each line
     * {@code byte N: XX XX XX XX XX} must be what {@link #burn} writes there, and our reader must read the value back.
     */
    @org.junit.jupiter.api.Test
    void docExampleBytes_areWhatBurnWrites() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/rtv.md"));
        VideoFormat f = new VideoFormat(10, 1280, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);
        ByteBuffer b = ByteBuffer.allocate(f.frameBytes());
        FrameStamp.burn(b, f, 16, 16, 1800);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("byte (\\d+): ((?:[0-9A-F]{2} ){4}[0-9A-F]{2})")
                .matcher(doc);
        int lines = 0;
        while (m.find()) {
            int at = Integer.parseInt(m.group(1));
            StringBuilder got = new StringBuilder();
            for (int k = 0; k < 5; k++) {
                got.append(k == 0 ? "" : " ").append(String.format("%02X", b.get(at + k) & 0xFF));
            }
            assertEquals(m.group(2), got.toString(), "byte " + at + " as docs/rtv.md shows it");
            lines++;
        }
        assertEquals(4, lines, "the doc's example lines");
        assertEquals(OptionalLong.of(1800), FrameStamp.read(b, f, 16, 16));
    }
}
