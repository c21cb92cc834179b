package org.medsync.photo.restore.classical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.measure.Quality;

class ClassicalTest {
    private static GrayImage ramp(int w, int h, float lo, float hi) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = lo + (hi - lo) * (i % w) / (w - 1f);
        }
        return new GrayImage(w, h, p);
    }

    @Test
    void stretchPutsBlackAndWhiteBack() {
        GrayImage s = ToneMatch.stretch(ramp(200, 10, 0.2f, 0.7f));
        assertEquals(0, s.at(0, 0), 1e-6);
        assertEquals(1, s.at(199, 0), 1e-6);
        assertEquals(0.5, s.at(100, 5), 0.02);
    }

    /**
     * A display's black level is an offset in linear light: encoded by the camera's 1/2.2 it bends the tone curve,
     * which a linear stretch of the encoded values leaves in the mid-greys and the linear-light stretch removes.
     */
    @Test
    void linearStretchRemovesABlackLevelAndExposure_theEncodedStretchDoesNot() {
        GrayImage original = ramp(256, 16, 0, 1);
        float[] photo = new float[original.pixels().length];
        for (int i = 0; i < photo.length; i++) {
            double luminance = 0.03 + 0.97 * Math.pow(original.pixels()[i], ToneMatch.CAMERA_GAMMA);
            photo[i] = (float) Math.pow(0.8 * luminance, 1 / ToneMatch.CAMERA_GAMMA);
        }
        GrayImage shot = new GrayImage(256, 16, photo);
        double linear = Quality.psnr(original, ToneMatch.linearStretch(shot));
        double encoded = Quality.psnr(original, ToneMatch.stretch(shot));
        assertTrue(linear > 35, "linear-light stretch " + linear + " dB");
        assertTrue(encoded < 25, "encoded stretch " + encoded + " dB");
    }

    @Test
    void matchingOntoItsOwnHistogramChangesLittle_ontoAnotherMovesTheMean() {
        GrayImage a = ramp(256, 4, 0, 1);
        GrayImage same = ToneMatch.matchHistogram(a, ToneMatch.histogram(a));
        assertTrue(Quality.psnr(a, same) > 40);
        GrayImage dark = ToneMatch.matchHistogram(a, ToneMatch.histogram(ramp(256, 4, 0, 0.4f)));
        double mean = 0;
        for (float v : dark.pixels()) {
            mean += v / dark.pixels().length;
        }
        assertEquals(0.2, mean, 0.02);
    }

    @Test
    void nonLocalMeansRemovesNoise() {
        GrayImage clean = ramp(64, 64, 0.3f, 0.6f);
        float[] noisy = clean.pixels().clone();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (random.nextGaussian() * 0.02);
        }
        GrayImage photo = new GrayImage(64, 64, noisy);
        GrayImage denoised = NonLocalMeans.denoise(photo, NonLocalMeans.DEFAULT_H);
        assertTrue(Quality.psnr(clean, denoised) > Quality.psnr(clean, photo) + 3);
        assertArrayEquals(
                denoised.pixels(),
                NonLocalMeans.denoise(photo, NonLocalMeans.DEFAULT_H).pixels());
    }
}
