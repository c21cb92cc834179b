package org.medsync.conference.signaling;

/** A token bucket: {@code perSecond} messages a second on average, bursts up to {@code burst}. Not thread-safe. */
final class RateLimit {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimit(double perSecond, double burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
