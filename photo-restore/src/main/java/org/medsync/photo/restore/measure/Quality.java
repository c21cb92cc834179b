package org.medsync.photo.restore.measure;

import org.medsync.photo.image.GrayImage;

/**
 * The paper's two measures on images with values 0..1 (peak 1, i.e. 255 on 8 bits): PSNR = 20 log10(1 / RMSE),
 * and mean SSIM (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, over the window positions
 * that fit inside the image).
 */
public final class Quality {
    /** PSNR is capped here: identical images would otherwise give infinity and break means. */
    public static final double MAX_PSNR = 100;

    private Quality() {}

    public static double psnr(GrayImage reference, GrayImage test) {
        sameSize(reference, test);
        double sum = 0;
        float[] a = reference.pixels();
        float[] b = test.pixels();
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? MAX_PSNR : Math.min(MAX_PSNR, -10 * Math.log10(mse));
    }

    public static double ssim(GrayImage reference, GrayImage test) {
        sameSize(reference, test);
        int w = reference.width();
        int h = reference.height();
        int r = 5;
        if (w < 2 * r + 1 || h < 2 * r + 1) {
            throw new IllegalArgumentException("SSIM needs at least 11x11 pixels, got " + w + "x" + h);
        }
        double[] k = new double[2 * r + 1];
        double ks = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * 1.5 * 1.5));
            ks += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= ks;
        }
        float[] x = reference.pixels();
        float[] y = test.pixels();
        int n = w * h;
        double[][] planes = new double[5][n];
        for (int i = 0; i < n; i++) {
            planes[0][i] = x[i];
            planes[1][i] = y[i];
            planes[2][i] = (double) x[i] * x[i];
            planes[3][i] = (double) y[i] * y[i];
            planes[4][i] = (double) x[i] * y[i];
        }
        int ow = w - 2 * r;
        int oh = h - 2 * r;
        double[][] filtered = new double[5][];
        for (int p = 0; p < 5; p++) {
            filtered[p] = filterValid(planes[p], w, h, k, r);
        }
        double c1 = 0.01 * 0.01;
        double c2 = 0.03 * 0.03;
        double total = 0;
        for (int i = 0; i < ow * oh; i++) {
            double mx = filtered[0][i];
            double my = filtered[1][i];
            double vx = filtered[2][i] - mx * mx;
            double vy = filtered[3][i] - my * my;
            double cov = filtered[4][i] - mx * my;
            total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
        return total / (ow * oh);
    }

    private static double[] filterValid(double[] p, int w, int h, double[] k, int r) {
        int ow = w - 2 * r;
        int oh = h - 2 * r;
        double[] tmp = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < k.length; i++) {
                    s += k[i] * p[y * w + x + i];
                }
                tmp[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < k.length; i++) {
                    s += k[i] * tmp[(y + i) * ow + x];
                }
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    private static void sameSize(GrayImage a, GrayImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException(
                    "images differ in size: " + a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
        }
    }
}
