package org.medsync.watermark.mark;

import org.medsync.watermark.payload.Payload;

/**
 * Adds the mark of one payload to luma planes, frame after frame (the same pattern in every frame: the detector sums
 * frames, and an encoder that predicts a frame from the last one carries a static pattern along for free).
 *
 * <p>Each chip gets a smooth bump of amplitude {@code +-a} (sign = chip sign x coded bit). Perceptual masking: the
 * amplitude follows the chip's own texture (its luma standard deviation), so flat areas (drapes, black borders of an
 * endoscope) get a fraction of what busy tissue hides, and no chip exceeds {@link #MAX_AMPLITUDE}. The amplitudes of
 * a frame are then scaled together so that the frame's mean squared error is that of the target PSNR: the PSNR cost
 * is a setting, met frame by frame, not an outcome.
 */
public final class Embedder {
    /** 46 dB: the floor is 45; 1 dB of room for rounding and clipping. */
    public static final double DEFAULT_PSNR = 46;
    /** No chip's bump is higher than this many luma levels. */
    public static final double MAX_AMPLITUDE = 8;

    private static final double MIN_GAIN = 0.35;
    private static final double MAX_GAIN = 2.5;

    private final Layout layout;
    private final double targetMse;
    /** Chip sign x coded bit: the sign each chip's bump takes. */
    private final byte[] direction;

    private Geometry geometry;
    private double[] weightX2;
    private double[] weightY2;

    public Embedder(Layout layout, Payload payload, double targetPsnr) {
        if (targetPsnr < 30 || targetPsnr > 70) {
            throw new IllegalArgumentException("target PSNR must be 30..70 dB, got " + targetPsnr);
        }
        this.layout = layout;
        // Rounding to 8 bits adds about 1/12 of a level squared on top of the mark itself.
        this.targetMse = Math.max(0.01, 255.0 * 255.0 / Math.pow(10, targetPsnr / 10) - 1.0 / 12);
        int[] codeword = layout.codeword(payload);
        direction = new byte[layout.chips()];
        for (int c = 0; c < direction.length; c++) {
            direction[c] = (byte) (layout.sign(c) * codeword[layout.bitOf(c)]);
        }
    }

    public Embedder(Layout layout, Payload payload) {
        this(layout, payload, DEFAULT_PSNR);
    }

    /**
     * Marks the {@code width x height} luma plane at {@code offset} of {@code plane} (one byte a pixel, rows
     * {@code width} apart) in place.
     *
     * @return the squared error the mark added, summed over the plane's pixels
     */
    public double mark(byte[] plane, int offset, int width, int height) {
        Geometry g = geometry(width, height);
        int cols = layout.columns();
        int chips = layout.chips();
        double[] sum = new double[chips];
        double[] sumSq = new double[chips];
        int[] count = new int[chips];
        for (int y = 0; y < height; y++) {
            int rowBase = g.chipY[y] * cols;
            int p = offset + y * width;
            for (int x = 0; x < width; x++) {
                int v = plane[p + x] & 0xFF;
                int c = rowBase + g.chipX[x];
                sum[c] += v;
                sumSq[c] += v * v;
                count[c]++;
            }
        }
        double[] gain = new double[chips];
        double meanSigma = 0;
        for (int c = 0; c < chips; c++) {
            double m = sum[c] / count[c];
            double sigma = Math.sqrt(Math.max(0, sumSq[c] / count[c] - m * m));
            gain[c] = sigma;
            meanSigma += sigma;
        }
        meanSigma = Math.max(1, meanSigma / chips);
        double energy = 0;
        for (int c = 0; c < chips; c++) {
            gain[c] = Math.clamp((gain[c] + 1) / (meanSigma + 1), MIN_GAIN, MAX_GAIN);
            energy += gain[c] * gain[c] * weightX2[c % cols] * weightY2[c / cols];
        }
        double alpha = Math.sqrt(targetMse * width * height / energy);
        float[] amplitude = new float[chips];
        for (int c = 0; c < chips; c++) {
            amplitude[c] = (float) (direction[c] * Math.min(MAX_AMPLITUDE, alpha * gain[c]));
        }
        double error = 0;
        for (int y = 0; y < height; y++) {
            int rowBase = g.chipY[y] * cols;
            float wy = g.weightY[y];
            int p = offset + y * width;
            for (int x = 0; x < width; x++) {
                int v = plane[p + x] & 0xFF;
                int marked = Math.clamp(Math.round(v + amplitude[rowBase + g.chipX[x]] * g.weightX[x] * wy), 0, 255);
                plane[p + x] = (byte) marked;
                error += (marked - v) * (marked - v);
            }
        }
        return error;
    }

    private Geometry geometry(int width, int height) {
        if (geometry == null || !geometry.fits(width, height, layout.columns(), layout.rows())) {
            geometry = new Geometry(width, height, layout.columns(), layout.rows());
            weightX2 = squares(geometry.chipX, geometry.weightX, layout.columns());
            weightY2 = squares(geometry.chipY, geometry.weightY, layout.rows());
        }
        return geometry;
    }

    private static double[] squares(int[] chip, float[] weight, int chips) {
        double[] out = new double[chips];
        for (int p = 0; p < chip.length; p++) {
            out[chip[p]] += weight[p] * weight[p];
        }
        return out;
    }

    /** PSNR (dB) of a squared error summed over {@code pixels} pixels of 8-bit video. */
    public static double psnr(double squaredError, long pixels) {
        return squaredError <= 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * pixels / squaredError);
    }
}
