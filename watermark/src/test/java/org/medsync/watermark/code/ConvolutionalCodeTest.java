package org.medsync.watermark.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvolutionalCodeTest {
    private static int[] randomBits(SplittableRandom random, int n) {
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) {
            bits[i] = random.nextInt(2);
        }
        return bits;
    }

    private static double[] hard(int[] coded) {
        return Arrays.stream(coded).mapToDouble(b -> b == 1 ? 1 : -1).toArray();
    }

    @Test
    void cleanCodewordDecodesToItsBits() {
        SplittableRandom random = new SplittableRandom(1);
        int[] bits = randomBits(random, 88);
        int[] coded = ConvolutionalCode.encode(bits);
        assertEquals(188, coded.length);
        assertArrayEquals(bits, ConvolutionalCode.decode(hard(coded), 88));
    }

    /** Free distance 10: any 4 hard errors are corrected; scattered ones far more. */
    @Test
    void correctsInjectedHardErrors() {
        SplittableRandom random = new SplittableRandom(2);
        for (int trial = 0; trial < 200; trial++) {
            int[] bits = randomBits(random, 88);
            double[] received = hard(ConvolutionalCode.encode(bits));
            for (int e = 0; e < 4; e++) {
                int at = random.nextInt(received.length);
                received[at] = -Math.abs(received[at]) * Math.signum(received[at]);
            }
            assertArrayEquals(bits, ConvolutionalCode.decode(received, 88), "trial " + trial);
        }
    }

    /** Soft decisions: at 6% wrong-sign coded bits in Gaussian noise nearly every word still decodes. */
    @Test
    void softDecodingCorrectsNoisyWords() {
        SplittableRandom random = new SplittableRandom(3);
        int ok = 0;
        int rawWrong = 0;
        int rawTotal = 0;
        for (int trial = 0; trial < 300; trial++) {
            int[] bits = randomBits(random, 88);
            int[] coded = ConvolutionalCode.encode(bits);
            double[] soft = new double[coded.length];
            for (int i = 0; i < coded.length; i++) {
                soft[i] = (coded[i] == 1 ? 1 : -1) + 0.65 * gaussian(random);
                rawWrong += (soft[i] > 0) != (coded[i] == 1) ? 1 : 0;
                rawTotal++;
            }
            ok += Arrays.equals(bits, ConvolutionalCode.decode(soft, 88)) ? 1 : 0;
        }
        double raw = (double) rawWrong / rawTotal;
        assertFalse(raw < 0.04 || raw > 0.09, "raw error rate " + raw);
        assertFalse(ok < 285, ok + " of 300 words decoded at raw error rate " + raw);
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
