package org.medsync.photo.restore.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medsync.photo.image.GrayImage;

class QualityTest {
    private static GrayImage ramp(int w, int h, float offset) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % w) / (float) w * 0.8f + offset;
        }
        return new GrayImage(w, h, p);
    }

    @Test
    void psnrOfAKnownErrorIsExact() {
        GrayImage a = ramp(32, 32, 0);
        GrayImage b = ramp(32, 32, 0.1f);
        assertEquals(20, Quality.psnr(a, b), 0.01);
        assertEquals(Quality.MAX_PSNR, Quality.psnr(a, a));
    }

    @Test
    void ssimIsOneForIdenticalAndLowerForNoise() {
        GrayImage a = ramp(40, 30, 0);
        float[] noisy = a.pixels().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (i * 7919 % 13 - 6) / 60f;
        }
        assertEquals(1, Quality.ssim(a, a), 1e-9);
        double s = Quality.ssim(a, new GrayImage(40, 30, noisy));
        assertTrue(s < 0.9, "SSIM of a noisy copy: " + s);
    }

    @Test
    void refusesDifferentSizes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Quality.psnr(ramp(8, 8, 0), ramp(9, 8, 0)));
        assertTrue(e.getMessage().contains("8x8 vs 9x8"), e.getMessage());
    }

    @Test
    void statsUseTheSampleStandardDeviation() {
        Stats s = Stats.of(List.of(1.0, 2.0, 3.0, 4.0));
        assertEquals(2.5, s.mean());
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-12);
    }
}
