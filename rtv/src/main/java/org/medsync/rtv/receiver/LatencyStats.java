package org.medsync.rtv.receiver;

import java.util.Arrays;

/** The last {@code capacity} latency samples (nanoseconds) and their percentiles. Thread-safe. */
public final class LatencyStats {

    private final long[] samples;
    private long count;

    public LatencyStats(int capacity) {
        samples = new long[capacity];
    }

    public synchronized void add(long nanos) {
        samples[(int) (count++ % samples.length)] = nanos;
    }

    public synchronized long count() {
        return count;
    }

    /** The p-th percentile (0..100) in nanoseconds, or -1 without samples. */
    public synchronized long percentile(double p) {
        int n = (int) Math.min(count, samples.length);
        if (n == 0) {
            return -1;
        }
        long[] s = Arrays.copyOf(samples, n);
        Arrays.sort(s);
        return s[(int) Math.min(n - 1, Math.floor(p / 100.0 * n))];
    }
}
