package org.medsync.photo.restore.lesion;

import org.medsync.photo.image.GrayImage;

/**
 * The classifier's input contract: a {@value #SIZE}x{@value #SIZE} window of the displayed image, standardised to
 * mean 0 and standard deviation 1 (the SD floored at {@value #MIN_SD}, so a flat window is not blown up). The
 * standardisation is what lets a model trained on originals read photos: a phone's tone curve and black level
 * move and stretch the values, not the shapes.
 */
public final class LesionWindow {
    public static final int SIZE = 48;
    public static final float MIN_SD = 0.02f;

    private LesionWindow() {}

    /** The window whose top-left is {@code (x, y)}, copied into {@code out} at {@code offset}, standardised. */
    public static void cut(GrayImage image, int x, int y, float[] out, int offset) {
        int w = image.width();
        if (x < 0 || y < 0 || x + SIZE > w || y + SIZE > image.height()) {
            throw new IllegalArgumentException(
                    "window at " + x + "," + y + " leaves the " + w + "x" + image.height() + " image");
        }
        float[] p = image.pixels();
        for (int r = 0; r < SIZE; r++) {
            System.arraycopy(p, (y + r) * w + x, out, offset + r * SIZE, SIZE);
        }
        standardise(out, offset);
    }

    /** Standardises the window at {@code offset} in place. */
    public static void standardise(float[] window, int offset) {
        int n = SIZE * SIZE;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += window[offset + i];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = window[offset + i] - mean;
            sq += d * d;
        }
        double sd = Math.max(MIN_SD, Math.sqrt(sq / n));
        for (int i = 0; i < n; i++) {
            window[offset + i] = (float) ((window[offset + i] - mean) / sd);
        }
    }
}
