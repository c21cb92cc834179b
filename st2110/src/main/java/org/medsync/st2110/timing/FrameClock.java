package org.medsync.st2110.timing;

import java.math.BigInteger;
import java.util.Objects;

/**
 * ST 2110-10 frame timing: frame N's alignment point is exactly {@code N x Tframe} seconds after
 * the TAI epoch, and its RTP timestamp is the media clock (TAI x clock rate, {@code
 * mediaclk:direct=0}) at that point, truncated to an integer and to its low 32 bits:
 *
 * <pre>
 *   t(N)   = N * den / num                 seconds TAI       (exact rational)
 *   ts(N)  = floor(N * den * 90000 / num) mod 2^32           (50 Hz: +1800 per frame;
 *                                                             59.94 Hz: +1501, +1502 alternating)
 * </pre>
 *
 * All arithmetic is exact (BigInteger once per frame); nanosecond values of alignment points are
 * rounded up, so the media clock read at {@link #alignmentNanos(long)} gives {@link #rtpTimestamp(long)}.
 */
public record FrameClock(FrameRate rate, long clockRate) {

    public static final long VIDEO_CLOCK_RATE = 90_000;
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger MOD32 = BigInteger.ONE.shiftLeft(32);

    public FrameClock {
        Objects.requireNonNull(rate, "rate");
        if (clockRate < 1 || clockRate > 1_000_000_000L) {
            throw new IllegalArgumentException("clock rate must be 1..10^9 Hz, was " + clockRate);
        }
    }

    /** The 90 kHz video clock. */
    public static FrameClock video(FrameRate rate) {
        return new FrameClock(rate, VIDEO_CLOCK_RATE);
    }

    /** Index of the last alignment point at or before this TAI time. */
    public long frameAtOrBefore(long taiNanos) {
        BigInteger[] qr = BigInteger.valueOf(taiNanos)
                .multiply(BigInteger.valueOf(rate.numerator()))
                .divideAndRemainder(NANOS.multiply(BigInteger.valueOf(rate.denominator())));
        long q = qr[0].longValueExact();
        return qr[1].signum() < 0 ? q - 1 : q;
    }

    /** Index of the first alignment point at or after this TAI time. */
    public long frameAtOrAfter(long taiNanos) {
        long n = frameAtOrBefore(taiNanos);
        return alignmentNanos(n) >= taiNanos ? n : n + 1;
    }

    /** TAI nanoseconds of frame N's alignment point, rounded up to the next whole nanosecond. */
    public long alignmentNanos(long frame) {
        BigInteger num = BigInteger.valueOf(frame)
                .multiply(BigInteger.valueOf(rate.denominator()))
                .multiply(NANOS);
        BigInteger den = BigInteger.valueOf(rate.numerator());
        BigInteger[] qr = num.divideAndRemainder(den);
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    /** The 32-bit RTP timestamp of frame N. */
    public long rtpTimestamp(long frame) {
        return BigInteger.valueOf(frame)
                .multiply(BigInteger.valueOf(rate.denominator()))
                .multiply(BigInteger.valueOf(clockRate))
                .divide(BigInteger.valueOf(rate.numerator()))
                .mod(MOD32)
                .longValue();
    }

    /** The media clock (TAI x clock rate) at any TAI time, low 32 bits. */
    public long mediaClockAt(long taiNanos) {
        return BigInteger.valueOf(taiNanos)
                .multiply(BigInteger.valueOf(clockRate))
                .divide(NANOS)
                .mod(MOD32)
                .longValue();
    }
}
