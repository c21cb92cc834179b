package org.medsync.sdp;

/**
 * ST 2110-20 {@code exactframerate}: an integer ({@code 50}) or a ratio ({@code 60000/1001}).
 * Written as an integer when the denominator is 1.
 */
public record ExactFrameRate(long numerator, long denominator) {

    public static final ExactFrameRate FPS_50 = new ExactFrameRate(50, 1);
    public static final ExactFrameRate FPS_59_94 = new ExactFrameRate(60000, 1001);

    public ExactFrameRate {
        if (numerator < 1 || denominator < 1 || numerator > 999_999_999L || denominator > 999_999_999L) {
            throw new IllegalArgumentException("frame rate must be positive, was " + numerator + "/" + denominator);
        }
    }

    static ExactFrameRate parse(String s) {
        int slash = s.indexOf('/');
        long num = Syntax.number(slash < 0 ? s : s.substring(0, slash), 999_999_999L);
        long den = slash < 0 ? 1 : Syntax.number(s.substring(slash + 1), 999_999_999L);
        return new ExactFrameRate(num, den);
    }

    @Override
    public String toString() {
        return denominator == 1 ? Long.toString(numerator) : numerator + "/" + denominator;
    }
}
