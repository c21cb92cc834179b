package org.medsync.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.medsync.rtp.SequenceTracker.Outcome;

class SequenceTrackerTest {

    @Test
    void wrapAround_extendsPast65535() {
        SequenceTracker t = new SequenceTracker();
        assertEquals(Outcome.FIRST, t.update(65534));
        assertEquals(Outcome.IN_ORDER, t.update(65535));
        assertEquals(Outcome.IN_ORDER, t.update(0));
        assertEquals(65536, t.lastExtended());
        assertEquals(Outcome.IN_ORDER, t.update(1));
        assertEquals(65537, t.extendedMax());
        assertEquals(new SequenceTracker.Stats(4, 4, 0, 0, 0), t.stats());
    }

    @Test
    void manyWraps_countCycles() {
        SequenceTracker t = new SequenceTracker();
        for (long i = 0; i < 3 * 65536 + 10; i++) {
            t.update((int) (i & 0xFFFF));
        }
        assertEquals(3 * 65536 + 9, t.extendedMax());
        assertEquals(0, t.stats().lost());
    }

    @Test
    void gap_countsLoss() {
        SequenceTracker t = new SequenceTracker();
        t.update(10);
        assertEquals(Outcome.GAP, t.update(14));
        assertEquals(3, t.lastGap());
        t.update(15);
        assertEquals(new SequenceTracker.Stats(3, 6, 3, 0, 0), t.stats());
    }

    @Test
    void lateAcrossWrap_getsPreviousCycle() {
        SequenceTracker t = new SequenceTracker();
        t.update(65533);
        t.update(0); // 65534 and 65535 missing so far
        assertEquals(Outcome.LATE, t.update(65535));
        assertEquals(65535, t.lastExtended());
        assertEquals(Outcome.LATE, t.update(65534));
        assertEquals(new SequenceTracker.Stats(4, 4, 0, 2, 0), t.stats());
    }

    @Test
    void duplicate_isLateAndMakesLossNegative() {
        SequenceTracker t = new SequenceTracker();
        t.update(5);
        t.update(6);
        assertEquals(Outcome.LATE, t.update(6));
        assertEquals(-1, t.stats().lost());
    }

    @Test
    void bigJump_isDroppedUntilConfirmed() {
        SequenceTracker t = new SequenceTracker();
        t.update(100);
        t.update(101);
        assertEquals(Outcome.JUMP, t.update(30000));
        assertEquals(-1, t.lastExtended());
        assertEquals(Outcome.FIRST, t.update(30001)); // the sender restarted
        t.update(30002);
        SequenceTracker.Stats s = t.stats();
        assertEquals(4, s.received());
        assertEquals(4, s.expected());
        assertEquals(1, s.jumps());
    }
}
