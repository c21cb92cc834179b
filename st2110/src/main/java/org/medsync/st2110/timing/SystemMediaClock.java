package org.medsync.st2110.timing;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * TAI from the host's UTC clock plus a fixed TAI-UTC offset (37 s). Good enough to stamp and pace
 * on an NTP-synchronised host; not PTP-grade. Made monotonic: a backwards UTC step is held flat
 * until the clock catches up, never reported.
 */
public final class SystemMediaClock implements MediaClock {

    private final InstantSource utc;
    private final long offsetNanos;
    private long last = Long.MIN_VALUE;

    public SystemMediaClock(InstantSource utc, long taiMinusUtcSeconds) {
        this.utc = Objects.requireNonNull(utc, "utc");
        this.offsetNanos = taiMinusUtcSeconds * 1_000_000_000L;
    }

    /** The system UTC clock, TAI-UTC = 37 s. */
    public SystemMediaClock() {
        this(InstantSource.system(), TAI_MINUS_UTC_SECONDS);
    }

    @Override
    public synchronized long taiNanos() {
        Instant now = utc.instant();
        long t = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano()) + offsetNanos;
        if (t < last) {
            return last;
        }
        last = t;
        return t;
    }
}
