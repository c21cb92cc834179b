package org.medsync.watermark.mark;

import java.util.Locale;
import org.medsync.watermark.code.ConvolutionalCode;
import org.medsync.watermark.payload.Payload;

/**
 * The verdict on some frames' evidence: the payload when one was found, and how sure.
 *
 * @param payload null when no mark was found
 * @param score the normalised correlation of the evidence with the decoded codeword: sqrt(coded bits) = 13.7 when
 *     every bit is clean, about 9 for frames without our mark (see {@link #THRESHOLD})
 * @param rawBitErrorRate the share of coded bits whose evidence had the wrong sign, before error correction
 *     (measured against the decoded codeword; 0.5 means nothing there)
 * @param frames frames summed
 */
public record Detection(Payload payload, double score, double rawBitErrorRate, int frames) {
    /**
     * A mark is declared when the CRC-16 and the version check pass AND the score reaches 9.6. For evidence without
     * our mark (no mark, or another key: Gaussian noise per coded bit) the Viterbi decoder's best codeword scores
     * 9.04 +- 0.18 (20000 trials in DetectorTest: 99th percentile 9.47, 99.9th 9.63, highest 9.78), so about 1 in
     * 1000 noise inputs reach 9.6, and such a guess must still pass the CRC-16 and the 4-bit version (2^-20). False
     * alarms: about 1e-3 x 1e-6 = 1e-9 per decision, 4e-7 for a 10-hour file read in 3600 segments. A clean mark
     * scores sqrt(188) = 13.7; 9.6 is reached up to about 14% raw bit errors, beyond what the code corrects anyway.
     */
    public static final double THRESHOLD = 9.6;

    public boolean found() {
        return payload != null;
    }

    /** Decodes summed evidence. */
    public static Detection decide(Accumulator evidence) {
        return decide(evidence.layout(), evidence.soft(), evidence.frames());
    }

    static Detection decide(Layout layout, double[] soft, int frames) {
        double energy = 0;
        for (double v : soft) {
            energy += v * v;
        }
        if (frames == 0 || energy == 0) {
            return new Detection(null, 0, 0.5, frames);
        }
        int[] bits = ConvolutionalCode.decode(soft, Payload.BITS);
        int[] codeword = ConvolutionalCode.encode(bits);
        double correlation = 0;
        int wrong = 0;
        for (int i = 0; i < soft.length; i++) {
            double s = codeword[i] == 1 ? 1 : -1;
            correlation += s * soft[i];
            if (s * soft[i] < 0) {
                wrong++;
            }
        }
        double score = correlation / Math.sqrt(energy);
        Payload payload = Payload.fromBits(bits);
        return new Detection(
                payload != null && score >= THRESHOLD ? payload : null, score, (double) wrong / soft.length, frames);
    }

    /**
     * The share of coded bits whose evidence has the wrong sign for a KNOWN payload: the channel's bit error rate
     * before correction (what the benchmark reports; {@link #rawBitErrorRate} is the same against the decoder's
     * guess).
     */
    public static double bitErrorRate(Accumulator evidence, Payload truth) {
        int[] codeword = evidence.layout().codeword(truth);
        double[] soft = evidence.soft();
        int wrong = 0;
        for (int i = 0; i < soft.length; i++) {
            if (codeword[i] * soft[i] <= 0) {
                wrong++;
            }
        }
        return (double) wrong / soft.length;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (score %.1f, raw bit errors %.1f%%, %d frames)",
                found() ? payload : "no mark found",
                score,
                100 * rawBitErrorRate,
                frames);
    }
}
