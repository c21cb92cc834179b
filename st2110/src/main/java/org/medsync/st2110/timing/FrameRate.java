package org.medsync.st2110.timing;

/**
 * An exact frame rate {@code numerator/denominator} frames per second: 50 = 50/1, 59.94 =
 * 60000/1001. The frame period is {@code denominator/numerator} seconds, never rounded.
 */
public record FrameRate(long numerator, long denominator) {

    public static final FrameRate FPS_25 = new FrameRate(25, 1);
    public static final FrameRate FPS_29_97 = new FrameRate(30000, 1001);
    public static final FrameRate FPS_50 = new FrameRate(50, 1);
    public static final FrameRate FPS_59_94 = new FrameRate(60000, 1001);
    public static final FrameRate FPS_60 = new FrameRate(60, 1);

    public FrameRate {
        if (numerator < 1 || denominator < 1 || numerator > 1_000_000 || denominator > 1_000_000) {
            throw new IllegalArgumentException(
                    "frame rate must be a positive ratio up to 10^6, was " + numerator + "/" + denominator);
        }
    }

    /** The period in nanoseconds, rounded down: for display and coarse sleeps only. */
    public long approximatePeriodNanos() {
        return denominator * 1_000_000_000L / numerator;
    }

    public double fps() {
        return (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return denominator == 1 ? Long.toString(numerator) : numerator + "/" + denominator;
    }
}
