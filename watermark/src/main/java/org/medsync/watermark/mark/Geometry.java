package org.medsync.watermark.mark;

/**
 * The grid laid over a frame of one size: for every pixel column and row, its chip and its weight in a smooth
 * window (a half sine, 0 at the chip's edges, 1 at its centre). The window keeps the mark free of steps at chip
 * borders (no block edges to see, nothing high-frequency for an encoder to throw away) and is the matched filter the
 * detector weighs pixels by.
 */
final class Geometry {
    final int width;
    final int height;
    final int columns;
    final int rows;
    final int[] chipX;
    final float[] weightX;
    final int[] chipY;
    final float[] weightY;

    Geometry(int width, int height, int columns, int rows) {
        if (width < columns || height < rows) {
            throw new IllegalArgumentException(
                    "a " + width + "x" + height + " frame is smaller than the " + columns + "x" + rows + " grid");
        }
        this.width = width;
        this.height = height;
        this.columns = columns;
        this.rows = rows;
        chipX = new int[width];
        weightX = new float[width];
        axis(width, columns, chipX, weightX);
        chipY = new int[height];
        weightY = new float[height];
        axis(height, rows, chipY, weightY);
    }

    private static void axis(int pixels, int chips, int[] chip, float[] weight) {
        for (int p = 0; p < pixels; p++) {
            double at = (p + 0.5) * chips / pixels;
            int c = Math.min(chips - 1, (int) at);
            chip[p] = c;
            weight[p] = (float) Math.sin(Math.PI * (at - c));
        }
    }

    boolean fits(int w, int h, int c, int r) {
        return width == w && height == h && columns == c && rows == r;
    }
}
