package org.medsync.gateway.video;

import java.nio.ByteBuffer;
import org.medsync.st2110.video.VideoFormat;

/**
 * RFC 4175 4:2:2 pgroups (Cb Y0 Cr Y1; 8-bit, or 10-bit big-endian bit-packed in 5 bytes) to 8-bit I420. Depth:
 * 10-bit samples are rounded to 8 (x + 2 >> 2), the studio range kept (64..940 becomes 16..235). Chroma: 4:2:2 has
 * every line's chroma, 4:2:0 one per two lines, so each output chroma sample is the rounded mean of the two lines'
 * samples (a 2-tap vertical filter, at the position MPEG-2/H.264 4:2:0 puts it: between the lines); a last odd line
 * keeps its own. One instance per flow: it reuses its buffers.
 */
public final class PgroupToI420 {
    private final VideoFormat format;
    private final byte[] in;
    private final I420Picture out;
    private final int[] cbLine;
    private final int[] crLine;

    public PgroupToI420(VideoFormat format) {
        this.format = format;
        this.in = new byte[format.frameBytes()];
        this.out = new I420Picture(format.width(), format.height());
        this.cbLine = new int[format.width() / 2];
        this.crLine = new int[format.width() / 2];
    }

    public VideoFormat format() {
        return format;
    }

    /**
     * Converts one frame of this converter's format. The picture returned is this converter's own, overwritten by the
     * next call.
     *
     * @throws IllegalArgumentException when the frame is not exactly one frame of the format
     */
    public I420Picture convert(ByteBuffer frame) {
        ByteBuffer b = frame.duplicate();
        if (b.remaining() != in.length) {
            throw new IllegalArgumentException(
                    "frame of " + b.remaining() + " bytes, a " + format + " frame has " + in.length);
        }
        b.get(in);
        int w = format.width();
        int h = format.height();
        int groups = w / 2;
        int cw = out.chromaWidth();
        byte[] y = out.y();
        byte[] u = out.u();
        byte[] v = out.v();
        for (int row = 0; row < h; row++) {
            int at = row * format.lineBytes();
            int yAt = row * w;
            boolean second = (row & 1) == 1;
            if (format.depth() == 10) {
                for (int g = 0; g < groups; g++, at += 5) {
                    int b0 = in[at] & 0xFF;
                    int b1 = in[at + 1] & 0xFF;
                    int b2 = in[at + 2] & 0xFF;
                    int b3 = in[at + 3] & 0xFF;
                    int b4 = in[at + 4] & 0xFF;
                    int cb = b0 << 2 | b1 >> 6;
                    int y0 = (b1 & 0x3F) << 4 | b2 >> 4;
                    int cr = (b2 & 0x0F) << 6 | b3 >> 2;
                    int y1 = (b3 & 0x03) << 8 | b4;
                    y[yAt + 2 * g] = to8(y0);
                    y[yAt + 2 * g + 1] = to8(y1);
                    chroma(second, row, g, cw, cb, cr, u, v);
                }
            } else {
                for (int g = 0; g < groups; g++, at += 4) {
                    y[yAt + 2 * g] = in[at + 1];
                    y[yAt + 2 * g + 1] = in[at + 3];
                    chroma(second, row, g, cw, (in[at] & 0xFF) << 2, (in[at + 2] & 0xFF) << 2, u, v);
                }
            }
            if (!second && row == h - 1) { // odd height: the last line has no partner
                for (int g = 0; g < groups; g++) {
                    u[row / 2 * cw + g] = to8(cbLine[g]);
                    v[row / 2 * cw + g] = to8(crLine[g]);
                }
            }
        }
        return out;
    }

    /** First line of a pair: remember its 10-bit chroma; second: write the mean of both. */
    private void chroma(boolean second, int row, int g, int cw, int cb, int cr, byte[] u, byte[] v) {
        if (!second) {
            cbLine[g] = cb;
            crLine[g] = cr;
        } else {
            int at = row / 2 * cw + g;
            u[at] = to8((cbLine[g] + cb + 1) >> 1);
            v[at] = to8((crLine[g] + cr + 1) >> 1);
        }
    }

    private static byte to8(int tenBit) {
        return (byte) Math.min(255, (tenBit + 2) >> 2);
    }
}
