package org.medsync.st2110.timing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The PTP-shaped clock: a local counter that is 3 ms off and 80 ppm slow, corrected by a
 * reference measurement once a second, converges and never runs backwards.
 */
class DisciplinedMediaClockTest {

    @Test
    void convergesOnAReferenceWithOffsetAndDrift_monotonically() {
        long s = 1_000_000_000L;
        ModelledMediaClock.ManualTime truth = new ModelledMediaClock.ManualTime(1_700_000_000L * s);
        // the local counter: starts elsewhere and runs 80 ppm slow against true time
        ModelledMediaClock local = new ModelledMediaClock(truth, -1_700_000_000L * s + 12_345, -80_000);
        DisciplinedMediaClock clock = new DisciplinedMediaClock(local::taiNanos);
        clock.observe(local.taiNanos(), truth.getAsLong() + 3_000_000); // first reading, 3 ms off
        long last = clock.taiNanos();
        long error = 0;
        for (int i = 0; i < 120; i++) {
            for (int k = 0; k < 10; k++) {
                truth.advance(s / 10);
                long t = clock.taiNanos();
                assertTrue(t >= last, "monotonic");
                last = t;
            }
            error = clock.observe(local.taiNanos(), truth.getAsLong() + 3_000_000);
        }
        assertTrue(Math.abs(error) < 1_000, "phase error after 2 minutes " + error + " ns");
        assertTrue(Math.abs(clock.ratePpb() - 80_000) < 1_000, "rate " + clock.ratePpb() + " ppb");
    }
}
