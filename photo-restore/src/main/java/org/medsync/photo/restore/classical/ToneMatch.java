package org.medsync.photo.restore.classical;

import java.util.Arrays;
import org.medsync.photo.image.GrayImage;

/**
 * Global tone corrections a reader would try first on a rectified photo: a percentile stretch (the photo's
 * black and white put back at 0 and 1), and histogram matching to a reference histogram (e.g. the pooled
 * histogram of training originals: the photo's own original is never known at intake).
 */
public final class ToneMatch {
    /** Percentiles mapped to 0 and 1: low enough to keep a CT's background black, robust to a few hot pixels. */
    public static final double LOW_PERCENTILE = 0.5;

    public static final double HIGH_PERCENTILE = 99.5;

    public static final int BINS = 256;

    private ToneMatch() {}

    /** Linear stretch of the photo's 0.5th..99.5th percentiles to 0..1, clamped. */
    public static GrayImage stretch(GrayImage photo) {
        float[] p = photo.pixels();
        float[] sorted = p.clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) (LOW_PERCENTILE / 100 * (sorted.length - 1))];
        float hi = sorted[(int) (HIGH_PERCENTILE / 100 * (sorted.length - 1))];
        float span = Math.max(hi - lo, 1e-3f);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.clamp((p[i] - lo) / span, 0f, 1f);
        }
        return new GrayImage(photo.width(), photo.height(), out);
    }

    /** A 256-bin histogram of values 0..1, as counts. */
    public static long[] histogram(GrayImage image) {
        long[] h = new long[BINS];
        for (float v : image.pixels()) {
            h[bin(v)]++;
        }
        return h;
    }

    /** The photo with its histogram mapped onto {@code reference} (classic CDF-to-CDF lookup). */
    public static GrayImage matchHistogram(GrayImage photo, long[] reference) {
        if (reference.length != BINS) {
            throw new IllegalArgumentException("reference histogram needs " + BINS + " bins, got " + reference.length);
        }
        double[] src = cdf(histogram(photo));
        double[] ref = cdf(reference);
        float[] lut = new float[BINS];
        int j = 0;
        for (int i = 0; i < BINS; i++) {
            while (j < BINS - 1 && ref[j] < src[i]) {
                j++;
            }
            lut[i] = j / (float) (BINS - 1);
        }
        float[] p = photo.pixels();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = lut[bin(p[i])];
        }
        return new GrayImage(photo.width(), photo.height(), out);
    }

    private static int bin(float v) {
        return Math.clamp(Math.round(v * (BINS - 1)), 0, BINS - 1);
    }

    private static double[] cdf(long[] h) {
        double total = Arrays.stream(h).sum();
        if (total == 0) {
            throw new IllegalArgumentException("empty histogram");
        }
        double[] c = new double[h.length];
        double run = 0;
        for (int i = 0; i < h.length; i++) {
            run += h[i];
            c[i] = run / total;
        }
        return c;
    }
}
