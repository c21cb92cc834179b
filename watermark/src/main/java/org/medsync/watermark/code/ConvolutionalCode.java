package org.medsync.watermark.code;

import java.util.Arrays;

/**
 * The rate-1/2 convolutional code of constraint length 7 (generators 171 and 133 octal, the one of 802.11 and
 * DVB), terminated with 6 zero bits, decoded by a soft-decision Viterbi decoder. Soft decisions matter here: the
 * detector's per-bit correlations carry how sure each bit is, and using them gains about 2 dB over hard bits.
 */
public final class ConvolutionalCode {
    private static final int K = 7;
    private static final int STATES = 1 << (K - 1);
    private static final int G0 = 0171;
    private static final int G1 = 0133;
    /** Output pair (2 bits: g0 then g1) for a shift register value of K bits. */
    private static final int[] OUTPUT = new int[1 << K];

    static {
        for (int reg = 0; reg < OUTPUT.length; reg++) {
            OUTPUT[reg] = (Integer.bitCount(reg & G0) & 1) << 1 | (Integer.bitCount(reg & G1) & 1);
        }
    }

    private ConvolutionalCode() {}

    /** Coded length for {@code bits} data bits: 2 x (bits + 6). */
    public static int codedLength(int bits) {
        return 2 * (bits + K - 1);
    }

    /** Encodes 0/1 bits into 0/1 coded bits, tail included. */
    public static int[] encode(int[] bits) {
        int[] out = new int[codedLength(bits.length)];
        int reg = 0;
        for (int i = 0; i < bits.length + K - 1; i++) {
            int b = i < bits.length ? bits[i] & 1 : 0;
            reg = ((reg << 1) | b) & ((1 << K) - 1);
            int o = OUTPUT[reg];
            out[2 * i] = o >>> 1;
            out[2 * i + 1] = o & 1;
        }
        return out;
    }

    /**
     * The most likely data bits for soft values {@code soft} (positive means coded bit 1, negative 0, magnitude how
     * sure; any scale): the codeword that maximises the correlation with them.
     */
    public static int[] decode(double[] soft, int bits) {
        if (soft.length != codedLength(bits)) {
            throw new IllegalArgumentException(
                    "expected " + codedLength(bits) + " soft values for " + bits + " bits, got " + soft.length);
        }
        int steps = bits + K - 1;
        double[] metric = new double[STATES];
        double[] next = new double[STATES];
        Arrays.fill(metric, Double.NEGATIVE_INFINITY);
        metric[0] = 0;
        // survivor[i][s]: the bit shifted out when entering state s at step i (selects the predecessor).
        byte[][] survivor = new byte[steps][STATES];
        for (int i = 0; i < steps; i++) {
            Arrays.fill(next, Double.NEGATIVE_INFINITY);
            double y0 = soft[2 * i];
            double y1 = soft[2 * i + 1];
            for (int s = 0; s < STATES; s++) {
                if (metric[s] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                int maxInput = i < bits ? 1 : 0;
                for (int b = 0; b <= maxInput; b++) {
                    int reg = (s << 1) | b;
                    int o = OUTPUT[reg];
                    double m = metric[s] + ((o >>> 1) == 1 ? y0 : -y0) + ((o & 1) == 1 ? y1 : -y1);
                    int ns = reg & (STATES - 1);
                    if (m > next[ns]) {
                        next[ns] = m;
                        survivor[i][ns] = (byte) (s >>> (K - 2));
                    }
                }
            }
            double[] t = metric;
            metric = next;
            next = t;
        }
        int[] out = new int[bits];
        int state = 0; // terminated: the path ends in state 0
        for (int i = steps - 1; i >= 0; i--) {
            int b = state & 1;
            if (i < bits) {
                out[i] = b;
            }
            state = (state >>> 1) | (survivor[i][state] << (K - 2));
        }
        return out;
    }
}
