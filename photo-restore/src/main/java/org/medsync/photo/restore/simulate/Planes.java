package org.medsync.photo.restore.simulate;

import java.util.stream.IntStream;

/** The pixel operations the simulator is made of, on row-major float planes. Rows run in parallel; results do not
 * depend on the thread count (each output pixel is computed from the input alone). */
final class Planes {
    private Planes() {}

    /**
     * Bilinear sample; a pixel covers its whole square, so the plane ends half a pixel beyond its outer pixel
     * centres, and {@code outside} is returned only beyond that.
     */
    static float bilinear(float[] p, int w, int h, double x, double y, float outside) {
        if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) {
            return outside;
        }
        double cx = Math.clamp(x, 0, w - 1);
        double cy = Math.clamp(y, 0, h - 1);
        int x0 = Math.max(0, Math.min((int) cx, w - 2));
        int y0 = Math.max(0, Math.min((int) cy, h - 2));
        double fx = cx - x0;
        double fy = cy - y0;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double top = p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx;
        double bottom = p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** Renders a {@code ow x oh} plane whose pixel (x, y) is {@code src} at {@code outToSrc(x, y)}. */
    static float[] warp(float[] src, int w, int h, Homography outToSrc, int ow, int oh, float outside) {
        float[] out = new float[ow * oh];
        IntStream.range(0, oh).parallel().forEach(y -> {
            double[] q = new double[2];
            for (int x = 0; x < ow; x++) {
                outToSrc.map(x, y, q);
                out[y * ow + x] = bilinear(src, w, h, q[0], q[1], outside);
            }
        });
        return out;
    }

    /** Separable Gaussian blur, edges clamped; sigma below 0.05 px returns a copy. */
    static float[] gaussian(float[] src, int w, int h, double sigma) {
        if (sigma < 0.05) {
            return src.clone();
        }
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * src[y * w + Math.clamp(x + i, 0, w - 1)];
                }
                tmp[y * w + x] = s;
            }
        });
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * tmp[Math.clamp(y + i, 0, h - 1) * w + x];
                }
                out[y * w + x] = s;
            }
        });
        return out;
    }

    /** Linear motion blur: the mean of the plane shifted along a segment of {@code length} px at {@code angle}. */
    static float[] motion(float[] src, int w, int h, double length, double angleRadians) {
        if (length < 0.25) {
            return src.clone();
        }
        int n = (int) Math.ceil(length) + 1;
        double dx = Math.cos(angleRadians);
        double dy = Math.sin(angleRadians);
        float[] out = new float[src.length];
        IntStream.range(0, h).parallel().forEach(y -> {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = 0; i < n; i++) {
                    double t = length * ((double) i / (n - 1) - 0.5);
                    double sx = Math.clamp(x + t * dx, 0, w - 1);
                    double sy = Math.clamp(y + t * dy, 0, h - 1);
                    s += bilinear(src, w, h, sx, sy, 0);
                }
                out[y * w + x] = s / n;
            }
        });
        return out;
    }
}
