package org.medsync.rtv.video;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.medsync.st2110.video.VideoFormat;

/**
 * A machine-readable 32-bit stamp burned into a frame: a white start cell, 32 cells (bit 31 first,
 * white = 1), a black end cell, each {@link #CELL} pixels square, at (x, y). Survives 4:2:2 and
 * 8/10-bit packing exactly; tests and the receiver read back which frame they see.
 */
public final class FrameStamp {

    public static final int CELL = 8;
    public static final int WIDTH = 34 * CELL;

    private FrameStamp() {}

    public static void burn(ByteBuffer f, VideoFormat fmt, int x, int y, long value) {
        Raster.fill(f, fmt, x, y, CELL, CELL, Raster.WHITE, Raster.NEUTRAL, Raster.NEUTRAL);
        for (int i = 0; i < 32; i++) {
            boolean one = (value >>> (31 - i) & 1) != 0;
            Raster.fill(
                    f,
                    fmt,
                    x + (i + 1) * CELL,
                    y,
                    CELL,
                    CELL,
                    one ? Raster.WHITE : Raster.BLACK,
                    Raster.NEUTRAL,
                    Raster.NEUTRAL);
        }
        Raster.fill(f, fmt, x + 33 * CELL, y, CELL, CELL, Raster.BLACK, Raster.NEUTRAL, Raster.NEUTRAL);
    }

    /** The stamp at (x, y), or empty when the start/end cells are not there. */
    public static OptionalLong read(ByteBuffer f, VideoFormat fmt, int x, int y) {
        int cy = y + CELL / 2;
        if (x + WIDTH > fmt.width() || cy >= fmt.height()) {
            return OptionalLong.empty();
        }
        if (Raster.luma(f, fmt, x + CELL / 2, cy) < 800 || Raster.luma(f, fmt, x + 33 * CELL + CELL / 2, cy) > 200) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (int i = 0; i < 32; i++) {
            v = v << 1 | (Raster.luma(f, fmt, x + (i + 1) * CELL + CELL / 2, cy) > 502 ? 1 : 0);
        }
        return OptionalLong.of(v);
    }
}
