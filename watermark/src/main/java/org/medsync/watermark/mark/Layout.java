package org.medsync.watermark.mark;

import org.medsync.watermark.code.ConvolutionalCode;
import org.medsync.watermark.payload.Payload;

/**
 * Where the mark lies: a grid of {@code columns x rows} chips defined in fractions of the frame (so a rescaled copy
 * keeps the grid: chip (i, j) of a 1080p frame is chip (i, j) of its 720p downscale), each chip carrying one coded
 * bit with a keyed sign. Coded bits are spread over the whole frame by a keyed permutation, every bit on about the
 * same number of chips scattered everywhere, so a dark corner or a moving instrument costs every bit a little rather
 * than some bits everything.
 */
public final class Layout {
    /** The default grid: 20 x 20 pixel chips at 1080p, 13 x 13 at 720p, 6.7 x 6.7 at 360p. */
    public static final int DEFAULT_COLUMNS = 96;

    public static final int DEFAULT_ROWS = 54;

    private final int columns;
    private final int rows;
    private final int codedBits;
    /** Coded bit index of each chip (row-major). */
    private final int[] bitOf;
    /** Keyed +1/-1 sign of each chip. */
    private final byte[] sign;

    public Layout(WatermarkKey key, int columns, int rows) {
        if (columns < 8 || rows < 8 || columns > 1024 || rows > 1024) {
            throw new IllegalArgumentException("a grid needs 8..1024 columns and rows, got " + columns + "x" + rows);
        }
        this.columns = columns;
        this.rows = rows;
        this.codedBits = ConvolutionalCode.codedLength(Payload.BITS);
        int chips = columns * rows;
        if (chips < 4 * codedBits) {
            throw new IllegalArgumentException("a " + columns + "x" + rows + " grid has too few chips for " + codedBits
                    + " coded bits (at least 4 each)");
        }
        String grid = columns + "x" + rows;
        byte[] signs = key.stream("sign " + grid, (chips + 7) / 8);
        sign = new byte[chips];
        for (int c = 0; c < chips; c++) {
            sign[c] = (byte) (((signs[c / 8] >>> (c % 8)) & 1) == 1 ? 1 : -1);
        }
        // Fisher-Yates with keyed 32-bit draws: chip order[k] carries coded bit k mod codedBits.
        byte[] draws = key.stream("spread " + grid, 4 * chips);
        int[] order = new int[chips];
        for (int c = 0; c < chips; c++) {
            order[c] = c;
        }
        for (int i = chips - 1; i > 0; i--) {
            long r = ((draws[4 * i] & 0xFFL) << 24)
                    | ((draws[4 * i + 1] & 0xFF) << 16)
                    | ((draws[4 * i + 2] & 0xFF) << 8)
                    | (draws[4 * i + 3] & 0xFF);
            int j = (int) (r % (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        bitOf = new int[chips];
        for (int k = 0; k < chips; k++) {
            bitOf[order[k]] = k % codedBits;
        }
    }

    /** The default grid under {@code key}. */
    public static Layout of(WatermarkKey key) {
        return new Layout(key, DEFAULT_COLUMNS, DEFAULT_ROWS);
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public int chips() {
        return columns * rows;
    }

    public int codedBits() {
        return codedBits;
    }

    int bitOf(int chip) {
        return bitOf[chip];
    }

    int sign(int chip) {
        return sign[chip];
    }

    /** The coded bits of {@code payload} as +1/-1. */
    public int[] codeword(Payload payload) {
        int[] coded = ConvolutionalCode.encode(payload.bits());
        int[] pm = new int[coded.length];
        for (int i = 0; i < coded.length; i++) {
            pm[i] = coded[i] == 1 ? 1 : -1;
        }
        return pm;
    }
}
