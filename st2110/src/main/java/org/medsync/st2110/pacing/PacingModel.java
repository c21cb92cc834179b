package org.medsync.st2110.pacing;

import java.math.BigInteger;
import java.util.Objects;
import org.medsync.st2110.timing.FrameRate;

/**
 * ST 2110-21 timing model of one progressive video flow (section 6 and 7):
 *
 * <pre>
 *   Tframe   = den / num seconds
 *   RACTIVE  = 1 for narrow linear; 1080/1125 (1080 lines) or 720/750 (720 lines) for gapped
 *   TRS      = Tframe x RACTIVE / Npackets                 spacing of packets
 *   TROFFSET = 43/1125 x Tframe (1080 lines), 28/750 x Tframe (720 lines)   first packet after
 *                                                                            the alignment point
 *   CMAX     = max(4, floor(Npackets / (43200 x RACTIVE x Tframe)))   N, NL
 *              max(16, floor(Npackets / (21600 x Tframe)))           W
 *   VRX_FULL = max(8, floor(Npackets / (27000 x Tframe)))             N, NL
 *              max(720, floor(Npackets / (300 x Tframe)))            W
 *   TDRAIN   = Tframe / Npackets / 1.1                     network compatibility bucket drain
 * </pre>
 *
 * Only 720- and 1080-line progressive formats have the constants; others are refused.
 */
public record PacingModel(SenderType type, FrameRate rate, int lines, int packetsPerFrame) {

    /** ST 2110-21 network compatibility model drain factor beta. */
    public static final double BETA = 1.1;

    public PacingModel {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rate, "rate");
        if (lines != 720 && lines != 1080) {
            throw new IllegalArgumentException("ST 2110-21 constants here cover 720 and 1080 lines, not " + lines);
        }
        if (packetsPerFrame < 1) {
            throw new IllegalArgumentException("packetsPerFrame >= 1");
        }
    }

    /** RACTIVE numerator / denominator. */
    long[] rActive() {
        if (type == SenderType.NARROW_LINEAR) {
            return new long[] {1, 1};
        }
        return lines == 1080 ? new long[] {1080, 1125} : new long[] {720, 750};
    }

    /** TROFFSET as a fraction of Tframe. */
    long[] troFraction() {
        return lines == 1080 ? new long[] {43, 1125} : new long[] {28, 750};
    }

    public double frameSeconds() {
        return (double) rate.denominator() / rate.numerator();
    }

    public double trsNanos() {
        long[] r = rActive();
        return frameSeconds() * 1e9 * r[0] / r[1] / packetsPerFrame;
    }

    public double troffsetNanos() {
        long[] t = troFraction();
        return frameSeconds() * 1e9 * t[0] / t[1];
    }

    public double tDrainNanos() {
        return frameSeconds() * 1e9 / packetsPerFrame / BETA;
    }

    public int cmax() {
        double tf = frameSeconds();
        if (type == SenderType.WIDE) {
            return (int) Math.max(16, Math.floor(packetsPerFrame / (21600 * tf)));
        }
        long[] r = rActive();
        return (int) Math.max(4, Math.floor(packetsPerFrame / (43200.0 * r[0] / r[1] * tf)));
    }

    public int vrxFull() {
        double tf = frameSeconds();
        if (type == SenderType.WIDE) {
            return (int) Math.max(720, Math.floor(packetsPerFrame / (300 * tf)));
        }
        return (int) Math.max(8, Math.floor(packetsPerFrame / (27000 * tf)));
    }

    /**
     * Exact offsets from the alignment point, in nanoseconds rounded down, of every packet of a
     * frame: {@code TROFFSET + j x TRS}.
     */
    public long[] departureOffsetsNanos() {
        long[] r = rActive();
        long[] t = troFraction();
        // seconds = den/num * (t0/t1 + j * r0 / (r1 * N)) ; common denominator num * t1 * r1 * N
        BigInteger n = BigInteger.valueOf(packetsPerFrame);
        BigInteger common = BigInteger.valueOf(rate.numerator())
                .multiply(BigInteger.valueOf(t[1]))
                .multiply(BigInteger.valueOf(r[1]))
                .multiply(n);
        BigInteger scale = BigInteger.valueOf(rate.denominator()).multiply(BigInteger.valueOf(1_000_000_000L));
        BigInteger tro =
                BigInteger.valueOf(t[0]).multiply(BigInteger.valueOf(r[1])).multiply(n);
        BigInteger step = BigInteger.valueOf(r[0]).multiply(BigInteger.valueOf(t[1]));
        long[] out = new long[packetsPerFrame];
        for (int j = 0; j < packetsPerFrame; j++) {
            out[j] = tro.add(step.multiply(BigInteger.valueOf(j)))
                    .multiply(scale)
                    .divide(common)
                    .longValueExact();
        }
        return out;
    }
}
