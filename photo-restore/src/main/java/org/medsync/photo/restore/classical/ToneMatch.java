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

    /** Encoding exponent of a phone camera and decoding exponent of a standard display (sRGB's effective 2.2). */
    public static final double CAMERA_GAMMA = 2.2;

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

    /**
     * Tone normalisation in the camera's linear light: the photo is decoded with the camera's encoding exponent
     * {@value #CAMERA_GAMMA}, its black (the screen's black level plus reflected room light) and white (the
     * exposure) are taken at the 0.5th and 99.5th percentiles of a 5x5 box mean (so that sensor noise does not
     * pull them out), the span is mapped to 0..1 and re-encoded with the standard display exponent. A black level
     * is an offset in linear light, not in the encoded photo: the linear {@link #stretch} of the encoded values
     * leaves mid-greys up to a tenth of the range too dark at a 3% black level, an error no local filter can
     * tell from the content, while this removes it exactly when the display's gamma is the standard one.
     */
    public static GrayImage linearStretch(GrayImage photo) {
        float[] p = photo.pixels();
        int w = photo.width();
        int h = photo.height();
        float[] linear = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            linear[i] = (float) Math.pow(Math.clamp(p[i], 0f, 1f), CAMERA_GAMMA);
        }
        float[] sorted = boxMean(linear, w, h, 2);
        Arrays.sort(sorted);
        float lo = sorted[(int) (LOW_PERCENTILE / 100 * (sorted.length - 1))];
        float hi = sorted[(int) (HIGH_PERCENTILE / 100 * (sorted.length - 1))];
        float span = Math.max(hi - lo, 1e-4f);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.pow(Math.clamp((linear[i] - lo) / span, 0f, 1f), 1 / CAMERA_GAMMA);
        }
        return new GrayImage(w, h, out);
    }

    /** Mean over the (2r+1)^2 square around each pixel, the square clipped at the borders. */
    private static float[] boxMean(float[] p, int w, int h, int r) {
        float[] rows = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) {
                    sum += p[y * w + k];
                    n++;
                }
                rows[y * w + x] = (float) (sum / n);
            }
        }
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) {
                    sum += rows[k * w + x];
                    n++;
                }
                out[y * w + x] = (float) (sum / n);
            }
        }
        return out;
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
