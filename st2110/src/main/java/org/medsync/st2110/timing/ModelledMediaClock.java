package org.medsync.st2110.timing;

import java.util.function.LongSupplier;

/**
 * A clock that is wrong in a known way, for tests of synchronisation logic: it reads a reference
 * time source (nanoseconds, e.g. a test's fake clock) and reports
 * {@code reference + offset + (reference - start) * driftPpb / 10^9}.
 * Also usable as "the other node's clock" in two-clock tests.
 */
public final class ModelledMediaClock implements MediaClock {

    private final LongSupplier reference;
    private final long start;
    private final long offsetNanos;
    private final long driftPpb;

    /**
     * @param reference   the true TAI nanoseconds (a fake, manually advanced clock in tests)
     * @param offsetNanos how far ahead this clock is at the start
     * @param driftPpb    how fast it runs, parts per billion (1000 = 1 ppm)
     */
    public ModelledMediaClock(LongSupplier reference, long offsetNanos, long driftPpb) {
        this.reference = reference;
        this.start = reference.getAsLong();
        this.offsetNanos = offsetNanos;
        this.driftPpb = driftPpb;
    }

    @Override
    public long taiNanos() {
        long r = reference.getAsLong();
        long elapsed = r - start;
        return r
                + offsetNanos
                + elapsed / 1_000_000_000L * driftPpb
                + elapsed % 1_000_000_000L * driftPpb / 1_000_000_000L;
    }

    /** A settable time source for tests. */
    public static final class ManualTime implements LongSupplier {
        private volatile long now;

        public ManualTime(long startNanos) {
            this.now = startNanos;
        }

        public void advance(long nanos) {
            now += nanos;
        }

        public void set(long nanos) {
            now = nanos;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }
}
