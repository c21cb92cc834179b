package org.medsync.photo.restore.lesion;

import java.util.ArrayList;
import java.util.List;
import org.medsync.photo.image.GrayImage;

/**
 * Where a lesion may go: inside the body only. The body is every displayed pixel brighter than {@value #THRESHOLD}
 * (air and the background are black once windowed); a centre is allowed when the whole square of
 * {@value #CLEARANCE} px each side is body and it lies at least {@link #BORDER} px inside the image, so the
 * classifier's window around it fits.
 */
public final class Body {
    public static final float THRESHOLD = 0.08f;

    /** Half-side of the square that must be body: the largest lesion's reach and a margin of tissue around it. */
    public static final int CLEARANCE = 12;

    /** Half the classifier's window: centres closer to the border would need padding. */
    public static final int BORDER = LesionWindow.SIZE / 2;

    private Body() {}

    /** Every allowed centre on a grid of {@code step} px. */
    public static List<int[]> centres(GrayImage image, int step) {
        int w = image.width();
        int h = image.height();
        // Column-wise then row-wise running counts of non-body pixels make each square test O(1).
        int[] integral = new int[(w + 1) * (h + 1)];
        float[] p = image.pixels();
        for (int y = 0; y < h; y++) {
            int row = 0;
            for (int x = 0; x < w; x++) {
                row += p[y * w + x] > THRESHOLD ? 0 : 1;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int y = BORDER; y + BORDER <= h; y += step) {
            for (int x = BORDER; x + BORDER <= w; x += step) {
                int x0 = x - CLEARANCE;
                int y0 = y - CLEARANCE;
                int x1 = x + CLEARANCE + 1;
                int y1 = y + CLEARANCE + 1;
                if (x0 < 0 || y0 < 0 || x1 > w || y1 > h) {
                    continue;
                }
                int outside = integral[y1 * (w + 1) + x1]
                        - integral[y0 * (w + 1) + x1]
                        - integral[y1 * (w + 1) + x0]
                        + integral[y0 * (w + 1) + x0];
                if (outside == 0) {
                    out.add(new int[] {x, y});
                }
            }
        }
        return out;
    }

    /** The share of the image's pixels that are body. */
    public static double fraction(float[] pixels) {
        int n = 0;
        for (float v : pixels) {
            n += v > THRESHOLD ? 1 : 0;
        }
        return n / (double) pixels.length;
    }
}
