package org.medsync.st2110.timing;

/**
 * The ST 2110-10 media clock: TAI time, nanoseconds since the SMPTE/PTP epoch 1970-01-01T00:00:00
 * TAI. Implementations: {@link SystemMediaClock} (host UTC clock plus the TAI-UTC offset),
 * {@link ModelledMediaClock} (offset and drift, for tests). None of them ever steps the host
 * clock: under PTP, ptp4l disciplines the host clock itself (docs/rtv.md "Time").
 *
 * <p>Implementations must be monotonic non-decreasing and safe to call from any thread.
 */
@FunctionalInterface
public interface MediaClock {

    /** TAI nanoseconds since 1970-01-01 TAI. */
    long taiNanos();

    /** TAI-UTC since 2017-01-01 (IERS Bulletin C): 37 seconds. */
    long TAI_MINUS_UTC_SECONDS = 37;
}
