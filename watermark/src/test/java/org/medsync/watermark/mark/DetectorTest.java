package org.medsync.watermark.mark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The false-alarm side of {@link Detection#THRESHOLD}: evidence without our mark is, after summing many chips,
 * Gaussian noise per coded bit; the Viterbi decoder's best codeword over such noise must score well below the
 * threshold.
 */
class DetectorTest {
    @Test
    void noiseScoresFarBelowTheThreshold() {
        Layout layout = Layout.of(WatermarkKey.of(new byte[32]));
        SplittableRandom random = new SplittableRandom(14);
        int trials = 20000;
        double sum = 0;
        double sumSq = 0;
        double max = 0;
        int crcPassed = 0;
        double[] scores = new double[trials];
        for (int t = 0; t < trials; t++) {
            double[] soft = new double[layout.codedBits()];
            for (int i = 0; i < soft.length; i++) {
                soft[i] = Scenes.gaussian(random);
            }
            Detection d = Detection.decide(layout, soft, 1);
            assertFalse(d.found(), "noise declared a mark: " + d);
            scores[t] = d.score();
            sum += d.score();
            sumSq += d.score() * d.score();
            max = Math.max(max, d.score());
            crcPassed += d.rawBitErrorRate() < 0 ? 1 : 0;
        }
        double mean = sum / trials;
        double sd = Math.sqrt(sumSq / trials - mean * mean);
        Arrays.sort(scores);
        System.out.printf(
                "noise score: mean %.2f sd %.2f p99 %.2f p99.9 %.2f max %.2f over %d trials%n",
                mean, sd, scores[trials * 99 / 100], scores[trials * 999 / 1000], max, trials);
        // The threshold sits 3 standard deviations above what noise scores: about 1 in 1000 noise inputs reach it,
        // and those must still pass CRC-16 and the version (2^-20) to be declared.
        assertTrue(scores[trials * 99 / 100] < Detection.THRESHOLD, "noise p99 " + scores[trials * 99 / 100]);
        assertTrue(mean + 2.5 * sd < Detection.THRESHOLD, "mean " + mean + " sd " + sd);
        assertTrue(crcPassed == 0);
    }
}
