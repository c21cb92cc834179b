package org.medsync.rtv.video;

import java.nio.ByteBuffer;
import org.medsync.st2110.video.VideoFormat;

/**
 * Pixel access to a packed 4:2:2 frame (RFC 4175 pgroups in raster order, GStreamer UYVP/UYVY).
 * Values are 10-bit (0..1023) whatever the depth; 8-bit frames keep the top 8 bits. Drawing works
 * on whole pgroups (2 pixels), so x positions and widths are rounded to even pixels.
 *
 * <pre>
 *  10 bit pgroup, 5 bytes:  CCCCCCCC CCYYYYYY YYYYCCCC CCCCCCYY YYYYYYYY    (Cb Y0 Cr Y1, big endian)
 *   8 bit pgroup, 4 bytes:  Cb Y0 Cr Y1
 * </pre>
 */
public final class Raster {

    /** BT.709 narrow range black and white luma, neutral chroma (10 bit). */
    public static final int BLACK = 64;

    public static final int WHITE = 940;
    public static final int NEUTRAL = 512;

    private Raster() {}

    public static void putPgroup(ByteBuffer f, VideoFormat fmt, int x, int y, int cb, int y0, int cr, int y1) {
        int at = y * fmt.lineBytes() + x / 2 * fmt.pgroupBytes();
        if (fmt.depth() == 10) {
            long v = (long) (cb & 0x3FF) << 30 | (long) (y0 & 0x3FF) << 20 | (long) (cr & 0x3FF) << 10 | (y1 & 0x3FF);
            f.put(at, (byte) (v >>> 32))
                    .put(at + 1, (byte) (v >>> 24))
                    .put(at + 2, (byte) (v >>> 16))
                    .put(at + 3, (byte) (v >>> 8))
                    .put(at + 4, (byte) v);
        } else {
            f.put(at, (byte) (cb >> 2))
                    .put(at + 1, (byte) (y0 >> 2))
                    .put(at + 2, (byte) (cr >> 2))
                    .put(at + 3, (byte) (y1 >> 2));
        }
    }

    /** The 10-bit luma of pixel (x, y). */
    public static int luma(ByteBuffer f, VideoFormat fmt, int x, int y) {
        int at = y * fmt.lineBytes() + x / 2 * fmt.pgroupBytes();
        if (fmt.depth() == 10) {
            long v = (long) (f.get(at) & 0xFF) << 32
                    | (long) (f.get(at + 1) & 0xFF) << 24
                    | (long) (f.get(at + 2) & 0xFF) << 16
                    | (long) (f.get(at + 3) & 0xFF) << 8
                    | f.get(at + 4) & 0xFF;
            return (int) ((x % 2 == 0 ? v >>> 20 : v) & 0x3FF);
        }
        return (f.get(at + (x % 2 == 0 ? 1 : 3)) & 0xFF) << 2;
    }

    /** Cb, Y0, Cr, Y1 (10 bit) of the pgroup holding pixel x. */
    public static int[] pgroup(ByteBuffer f, VideoFormat fmt, int x, int y) {
        int at = y * fmt.lineBytes() + x / 2 * fmt.pgroupBytes();
        if (fmt.depth() == 10) {
            long v = (long) (f.get(at) & 0xFF) << 32
                    | (long) (f.get(at + 1) & 0xFF) << 24
                    | (long) (f.get(at + 2) & 0xFF) << 16
                    | (long) (f.get(at + 3) & 0xFF) << 8
                    | f.get(at + 4) & 0xFF;
            return new int[] {
                (int) (v >>> 30 & 0x3FF), (int) (v >>> 20 & 0x3FF), (int) (v >>> 10 & 0x3FF), (int) (v & 0x3FF)
            };
        }
        return new int[] {
            (f.get(at) & 0xFF) << 2,
            (f.get(at + 1) & 0xFF) << 2,
            (f.get(at + 2) & 0xFF) << 2,
            (f.get(at + 3) & 0xFF) << 2
        };
    }

    /** Fills a rectangle (clipped to the frame) with one colour. */
    public static void fill(ByteBuffer f, VideoFormat fmt, int x, int y, int w, int h, int luma, int cb, int cr) {
        int x0 = Math.max(0, x & ~1);
        int x1 = Math.min(fmt.width(), x + w);
        int y0 = Math.max(0, y);
        int y1 = Math.min(fmt.height(), y + h);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        // write one line, then copy it
        for (int px = x0; px < x1; px += 2) {
            putPgroup(f, fmt, px, y0, cb, luma, cr, luma);
        }
        int from = y0 * fmt.lineBytes() + x0 / 2 * fmt.pgroupBytes();
        int len = ((x1 - x0 + 1) / 2) * fmt.pgroupBytes();
        for (int line = y0 + 1; line < y1; line++) {
            f.put(line * fmt.lineBytes() + x0 / 2 * fmt.pgroupBytes(), f, from, len);
        }
    }

    /** Copies {@code src} (format {@code sf}) into {@code dst} at pixel column {@code dx} (even), line 0. */
    public static void blit(ByteBuffer src, VideoFormat sf, ByteBuffer dst, VideoFormat df, int dx) {
        if (sf.depth() != df.depth()) {
            throw new IllegalArgumentException("depths differ: " + sf.depth() + " and " + df.depth());
        }
        int w = Math.min(sf.width(), df.width() - dx);
        int h = Math.min(sf.height(), df.height());
        int len = w / 2 * sf.pgroupBytes();
        for (int y = 0; y < h; y++) {
            dst.put(y * df.lineBytes() + dx / 2 * df.pgroupBytes(), src, y * sf.lineBytes(), len);
        }
    }
}
