package org.medsync.rtv.redundancy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merged packets leave in sequence order; a hole is waited for as long as the skew tolerance, then given up. */
class ReorderBufferTest {

    private final List<Long> out = new ArrayList<>();
    private final ReorderBuffer r = new ReorderBuffer(8, 1000, b -> out.add(b.getLong(0)));

    private void offer(long ext, long now) {
        ByteBuffer b = ByteBuffer.allocate(8).putLong(0, ext);
        r.offer(ext, b, now);
        b.putLong(0, -1); // the receive buffer is reused: what is held must be a copy
    }

    @Test
    void aHoleFilledByTheOtherPath_releasesWhatWaitedBehindIt_inOrder() {
        offer(10, 0);
        offer(12, 1);
        offer(13, 2);
        assertEquals(List.of(10L), out);
        offer(11, 3); // the other path's copy
        assertEquals(List.of(10L, 11L, 12L, 13L), out);
        assertEquals(0, r.givenUp());
        assertEquals(2, r.reordered());
    }

    @Test
    void aHoleNeverFilled_isGivenUpAfterTheHoldTime_andItsLateCopyDropped() {
        offer(10, 0);
        offer(12, 100);
        offer(13, 200);
        r.expire(1099);
        assertEquals(List.of(10L), out);
        r.expire(1100);
        assertEquals(List.of(10L, 12L, 13L), out);
        assertEquals(1, r.givenUp());
        offer(11, 1200);
        assertEquals(List.of(10L, 12L, 13L), out, "too late: its successors are gone");
        assertEquals(1, r.late());
    }

    @Test
    void moreThanTheCapacityBehindAHole_givesItUp() {
        offer(0, 0);
        for (long e = 2; e <= 8; e++) {
            offer(e, 1);
        }
        assertEquals(List.of(0L), out, "7 wait behind hole 1");
        offer(9, 1);
        assertEquals(List.of(0L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), out, "room for 8: hole 1 is given up");
        assertEquals(1, r.givenUp());
        offer(1, 2);
        assertEquals(1, r.late());
    }

    @Test
    void aRestartedStream_startsOver() {
        offer(70_000, 0);
        offer(70_001, 0);
        offer(5, 0); // far behind: the merge started over
        offer(6, 0);
        offer(8, 0); // held behind hole 7
        offer(1_000_000, 0); // far ahead: likewise, after what was held
        assertEquals(List.of(70_000L, 70_001L, 5L, 6L, 8L, 1_000_000L), out);
        assertEquals(0, r.givenUp());
    }
}
