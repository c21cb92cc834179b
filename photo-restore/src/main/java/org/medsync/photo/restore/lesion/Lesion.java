package org.medsync.photo.restore.lesion;

import java.util.SplittableRandom;

/**
 * One synthetic focal lesion: an ellipse with a soft (logistic) edge, added to the displayed image. Centre
 * {@code (cx, cy)} in pixels, semi-axes {@code rx >= ry} in pixels, {@code angle} in radians, {@code contrast} the
 * signed change of display value at its core (display values are 0..1). The ranges are those of docs/photo-intake.md
 * "AI read": semi-axis 3-7 px, aspect 0.6-1, contrast 0.10-0.30 either sign, edge width 0.5-1.5 px.
 */
public record Lesion(double cx, double cy, double rx, double ry, double angle, double contrast, double edge) {
    public static final double MIN_RADIUS = 3;
    public static final double MAX_RADIUS = 7;
    public static final double MIN_CONTRAST = 0.10;
    public static final double MAX_CONTRAST = 0.30;

    /** A lesion drawn from the documented ranges, centred at {@code (cx, cy)}. */
    public static Lesion draw(SplittableRandom random, double cx, double cy) {
        double rx = MIN_RADIUS + random.nextDouble() * (MAX_RADIUS - MIN_RADIUS);
        double ry = rx * (0.6 + 0.4 * random.nextDouble());
        double contrast = MIN_CONTRAST + random.nextDouble() * (MAX_CONTRAST - MIN_CONTRAST);
        return new Lesion(
                cx,
                cy,
                rx,
                ry,
                random.nextDouble() * Math.PI,
                random.nextBoolean() ? contrast : -contrast,
                0.5 + random.nextDouble());
    }

    /** Pixels each side of the centre the lesion can touch. */
    public int reach() {
        return (int) Math.ceil(rx + 4 * edge);
    }

    /**
     * Adds the lesion to {@code pixels} (a {@code w x h} display image, modified in place), clamped to 0..1 and
     * rounded to 8 bits as a display is driven.
     */
    public void paint(float[] pixels, int w, int h) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int r = reach();
        for (int y = Math.max(0, (int) cy - r); y <= Math.min(h - 1, (int) cy + r); y++) {
            for (int x = Math.max(0, (int) cx - r); x <= Math.min(w - 1, (int) cx + r); x++) {
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / rx;
                double v = (-dx * sin + dy * cos) / ry;
                // Distance outside the ellipse in pixels of its minor axis, so the edge width means pixels.
                double d = (Math.sqrt(u * u + v * v) - 1) * ry;
                double weight = 1 / (1 + Math.exp(d / (edge / 2)));
                int i = y * w + x;
                double value = Math.clamp(pixels[i] + contrast * weight, 0, 1);
                pixels[i] = Math.round(value * 255) / 255f;
            }
        }
    }
}
