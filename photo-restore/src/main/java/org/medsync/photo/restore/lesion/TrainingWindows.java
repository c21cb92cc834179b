package org.medsync.photo.restore.lesion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medsync.photo.image.GrayImage;

/**
 * Training batches for the lesion classifier, from ORIGINAL images only: each window is a random body position of a
 * random training image, half of them with a freshly drawn lesion, then augmented as a photo might change it but
 * without the simulator (random flips and quarter turns, gamma 0.6-1.6, contrast 0.7-1.3, offset +-0.08, a blur of
 * up to 1.2 px in half the windows, Gaussian noise of SD up to 0.04), then standardised as {@link LesionWindow}.
 * Seeded: the same images and seed give the same batches.
 */
public final class TrainingWindows {
    private final List<GrayImage> images = new ArrayList<>();
    private final List<List<int[]>> centres = new ArrayList<>();
    private final SplittableRandom random;

    public TrainingWindows(List<GrayImage> training, long seed) {
        for (GrayImage g : training) {
            List<int[]> c = Body.centres(g, 2);
            if (!c.isEmpty()) {
                images.add(g);
                centres.add(c);
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training image has room for a " + LesionWindow.SIZE + " px window");
        }
        random = new SplittableRandom(seed);
    }

    public int images() {
        return images.size();
    }

    /** Fills {@code x} with {@code n} windows and {@code y} with their labels (1 = lesion). */
    public void batch(int n, float[] x, float[] y) {
        int s = LesionWindow.SIZE;
        int half = s / 2;
        float[] w = new float[s * s];
        for (int k = 0; k < n; k++) {
            int i = random.nextInt(images.size());
            GrayImage g = images.get(i);
            int[] c = centres.get(i).get(random.nextInt(centres.get(i).size()));
            for (int r = 0; r < s; r++) {
                System.arraycopy(g.pixels(), (c[1] - half + r) * g.width() + c[0] - half, w, r * s, s);
            }
            boolean lesion = random.nextBoolean();
            if (lesion) {
                int jx = random.nextInt(2 * LesionScene.JITTER + 1) - LesionScene.JITTER;
                int jy = random.nextInt(2 * LesionScene.JITTER + 1) - LesionScene.JITTER;
                Lesion.draw(random, half + jx, half + jy).paint(w, s, s);
            }
            augment(w);
            LesionWindow.standardise(w, 0);
            orient(w, x, k * s * s);
            y[k] = lesion ? 1 : 0;
        }
    }

    private void augment(float[] w) {
        double gamma = Math.exp(Math.log(0.6) + random.nextDouble() * (Math.log(1.6) - Math.log(0.6)));
        double gain = 0.7 + 0.6 * random.nextDouble();
        double offset = (random.nextDouble() - 0.5) * 0.16;
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Math.pow(Math.max(0, w[i]), gamma) * gain + offset);
        }
        if (random.nextBoolean()) {
            blur(w, 0.3 + 0.9 * random.nextDouble());
        }
        double noise = 0.04 * random.nextDouble();
        for (int i = 0; i < w.length; i++) {
            w[i] += (float) (noise * gaussian());
        }
    }

    /** Separable Gaussian blur of radius 3 sigma, edges clamped. */
    private static void blur(float[] w, double sigma) {
        int s = LesionWindow.SIZE;
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        float[] t = new float[w.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * w[y * s + Math.clamp(x + i, 0, s - 1)];
                }
                t[y * s + x] = (float) (v / sum);
            }
        }
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * t[Math.clamp(y + i, 0, s - 1) * s + x];
                }
                w[y * s + x] = (float) (v / sum);
            }
        }
    }

    /** Copies the window into {@code out} flipped and turned at random (the eight symmetries of the square). */
    private void orient(float[] w, float[] out, int offset) {
        int s = LesionWindow.SIZE;
        int turn = random.nextInt(8);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = (turn & 1) != 0 ? s - 1 - x : x;
                int sy = (turn & 2) != 0 ? s - 1 - y : y;
                if ((turn & 4) != 0) {
                    int t = sx;
                    sx = sy;
                    sy = t;
                }
                out[offset + y * s + x] = w[sy * s + sx];
            }
        }
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
