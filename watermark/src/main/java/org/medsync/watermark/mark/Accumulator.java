package org.medsync.watermark.mark;

import java.util.Arrays;

/**
 * Sums the evidence of many frames: for each coded bit, the correlation of the keyed chip signs with the frame's
 * chip responses. Blind: the original is not available, so the host picture is removed as well as it can be from
 * each frame alone, by subtracting from every chip's response the mean of its 8 neighbours (the mark is independent
 * from chip to chip, the picture is not), then clipping outliers (edges, text) at 4 median deviations. Each frame
 * counts by the inverse square of its residual's spread, so a scene cut or a busy frame does not drown quiet ones.
 */
public final class Accumulator {
    private final Layout layout;
    private final double[] soft;
    private int frames;
    private Geometry geometry;
    private double[] weightSum;

    public Accumulator(Layout layout) {
        this.layout = layout;
        this.soft = new double[layout.codedBits()];
    }

    public Layout layout() {
        return layout;
    }

    /** Adds one frame's luma plane (any size at least the grid's; the grid is in fractions of the frame). */
    public void add(byte[] plane, int offset, int width, int height) {
        if (geometry == null || !geometry.fits(width, height, layout.columns(), layout.rows())) {
            geometry = new Geometry(width, height, layout.columns(), layout.rows());
            weightSum = new double[layout.chips()];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    weightSum[geometry.chipY[y] * layout.columns() + geometry.chipX[x]] +=
                            geometry.weightX[x] * geometry.weightY[y];
                }
            }
        }
        Geometry g = geometry;
        int cols = layout.columns();
        int rows = layout.rows();
        double[] response = new double[layout.chips()];
        float[] rowSum = new float[cols];
        for (int y = 0; y < height; y++) {
            Arrays.fill(rowSum, 0);
            int p = offset + y * width;
            for (int x = 0; x < width; x++) {
                rowSum[g.chipX[x]] += (plane[p + x] & 0xFF) * g.weightX[x];
            }
            int rowBase = g.chipY[y] * cols;
            float wy = g.weightY[y];
            for (int c = 0; c < cols; c++) {
                response[rowBase + c] += rowSum[c] * wy;
            }
        }
        for (int c = 0; c < response.length; c++) {
            response[c] /= weightSum[c];
        }
        double[] residual = new double[response.length];
        double[] magnitude = new double[response.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double around = 0;
                int n = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr;
                        int cc = c + dc;
                        if ((dr != 0 || dc != 0) && rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
                            around += response[rr * cols + cc];
                            n++;
                        }
                    }
                }
                int i = r * cols + c;
                residual[i] = response[i] - around / n;
                magnitude[i] = Math.abs(residual[i]);
            }
        }
        Arrays.sort(magnitude);
        double spread = Math.max(0.25, magnitude[magnitude.length / 2]);
        double clip = 4 * spread;
        double weight = 1 / (spread * spread);
        for (int i = 0; i < residual.length; i++) {
            double v = Math.clamp(residual[i], -clip, clip);
            soft[layout.bitOf(i)] += weight * layout.sign(i) * v;
        }
        frames++;
    }

    /** Adds another accumulator's evidence (same layout): segments summed into a whole file. */
    public void addAll(Accumulator other) {
        if (other.layout != layout) {
            throw new IllegalArgumentException("accumulators of different layouts");
        }
        for (int i = 0; i < soft.length; i++) {
            soft[i] += other.soft[i];
        }
        frames += other.frames;
    }

    public int frames() {
        return frames;
    }

    /** The summed soft value of every coded bit (positive: 1). */
    public double[] soft() {
        return soft.clone();
    }
}
