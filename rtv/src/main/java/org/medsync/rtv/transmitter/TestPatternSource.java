package org.medsync.rtv.transmitter;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.medsync.rtv.video.BitmapFont;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * Colour bars with a moving marker, the label, the frame counter and the TAI/UTC time burned in
 * as text, and the frame's RTP timestamp as a {@link FrameStamp} at (16, 16).
 */
public final class TestPatternSource implements VideoSource {

    /** Where the stamp sits in every frame we send. */
    public static final int STAMP_X = 16;

    public static final int STAMP_Y = 16;

    // BT.709 75% bars (10 bit): white, yellow, cyan, green, magenta, red, blue
    private static final int[][] BARS = {
        {721, 512, 512},
        {674, 176, 543},
        {581, 589, 176},
        {534, 253, 207},
        {251, 771, 817},
        {204, 435, 848},
        {111, 848, 481}
    };

    private final String label;
    private final VideoFormat format;
    private final ByteBuffer base;

    public TestPatternSource(String label, VideoFormat format) {
        this.label = label;
        this.format = format;
        this.base = ByteBuffer.allocate(format.frameBytes());
        int bw = format.width() / BARS.length & ~1;
        for (int i = 0; i < BARS.length; i++) {
            Raster.fill(
                    base,
                    format,
                    i * bw,
                    0,
                    i == BARS.length - 1 ? format.width() - i * bw : bw,
                    format.height(),
                    BARS[i][0],
                    BARS[i][1],
                    BARS[i][2]);
        }
    }

    @Override
    public String describe() {
        return "test-pattern " + label;
    }

    @Override
    public void fill(long index, long rtpTimestamp, long taiNanos, ByteBuffer frame) {
        frame.put(0, base, 0, format.frameBytes());
        int scale = Math.max(2, format.height() / 180 & ~1);
        int mx = (int) (index * 8 % Math.max(2, format.width() - 32)) & ~1;
        Raster.fill(
                frame,
                format,
                mx,
                format.height() - 8 * scale,
                32,
                6 * scale,
                Raster.WHITE,
                Raster.NEUTRAL,
                Raster.NEUTRAL);
        Raster.fill(
                frame,
                format,
                STAMP_X - 4,
                STAMP_Y - 4,
                FrameStamp.WIDTH + 8,
                FrameStamp.CELL + 8,
                Raster.BLACK,
                Raster.NEUTRAL,
                Raster.NEUTRAL);
        FrameStamp.burn(frame, format, STAMP_X, STAMP_Y, rtpTimestamp);
        int ty = STAMP_Y + FrameStamp.CELL + 3 * scale;
        BitmapFont.draw(frame, format, STAMP_X, ty, label, scale, true);
        BitmapFont.draw(frame, format, STAMP_X, ty + 10 * scale, "FRAME " + index + " TS " + rtpTimestamp, scale, true);
        Instant utc = Instant.ofEpochSecond(0, taiNanos - MediaClock.TAI_MINUS_UTC_SECONDS * 1_000_000_000L);
        BitmapFont.draw(frame, format, STAMP_X, ty + 20 * scale, "UTC " + utc, scale, true);
    }
}
