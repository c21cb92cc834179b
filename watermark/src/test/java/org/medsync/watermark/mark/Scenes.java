package org.medsync.watermark.mark;

import java.util.SplittableRandom;

/** Synthetic luma frames for tests: texture that moves, a flat dark band, sensor noise. */
final class Scenes {
    private Scenes() {}

    static byte[] frame(int width, int height, int index, double noise, SplittableRandom random) {
        byte[] y = new byte[width * height];
        double shift = index * 1.7;
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double u = (c + shift) / width;
                double v = (double) r / height;
                double value = 110
                        + 50 * Math.sin(2 * Math.PI * (3 * u + 2 * v))
                        + 25 * Math.sin(2 * Math.PI * (11 * u - 7 * v + 0.3 * Math.sin(9 * u)))
                        + 12 * Math.sin(2 * Math.PI * 37 * u * (1 + v));
                if (r < height / 10) {
                    value = 18; // an endoscope's dark border: flat, nothing to hide in
                }
                value += noise * Scenes.gaussian(random);
                y[r * width + c] = (byte) Math.clamp(Math.round(value), 0, 255);
            }
        }
        return y;
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Area-average resize (each target pixel the mean of the source pixels whose centres fall in it). */
    static byte[] resize(byte[] src, int sw, int sh, int tw, int th) {
        double[] sum = new double[tw * th];
        int[] count = new int[tw * th];
        for (int r = 0; r < sh; r++) {
            int tr = Math.min(th - 1, (int) ((r + 0.5) * th / sh));
            for (int c = 0; c < sw; c++) {
                int tc = Math.min(tw - 1, (int) ((c + 0.5) * tw / sw));
                sum[tr * tw + tc] += src[r * sw + c] & 0xFF;
                count[tr * tw + tc]++;
            }
        }
        byte[] out = new byte[tw * th];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(sum[i] / Math.max(1, count[i]));
        }
        return out;
    }
}
