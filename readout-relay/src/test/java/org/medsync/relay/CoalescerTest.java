package org.medsync.relay;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.PointerUpdate;
import org.medsync.conference.protocol.ViewUpdate;

class CoalescerTest {
    static ViewUpdate full(long seq) {
        return new ViewUpdate(seq, seq, ViewUpdate.ALL, 0, "1.2", 1, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false);
    }

    static ViewUpdate delta(long seq, long base) {
        return new ViewUpdate(
                seq, base, ViewUpdate.IMAGE, 0, "", (int) seq, 0, 1, 1, 0, 0, false, 0, 0, false, 0, false);
    }

    private static byte[] tag(String s) {
        return s.getBytes();
    }

    private static List<String> names(List<byte[]> l) {
        return l.stream().map(String::new).toList();
    }

    @Test
    void oneTick_keepsNewestFullNewerDeltaAndPointer() {
        Coalescer c = new Coalescer();
        c.offer(full(1), tag("F1"));
        c.offer(delta(2, 1), tag("D2"));
        c.offer(new PointerUpdate(1, true, 0, 0), tag("P1"));
        c.offer(delta(3, 1), tag("D3"));
        c.offer(new PointerUpdate(2, true, 0, 0), tag("P2"));
        assertEquals(List.of("F1", "D3", "P2"), names(c.takeTick()));
        assertEquals(List.of(), names(c.takeTick()), "nothing new");
    }

    @Test
    void aNewerFullState_supersedesTheDeltasBeforeIt_butNotAfter() {
        Coalescer c = new Coalescer();
        c.offer(full(1), tag("F1"));
        c.offer(delta(2, 1), tag("D2"));
        c.offer(full(3), tag("F3"));
        assertEquals(List.of("F3"), names(c.takeTick()));
        c.offer(delta(4, 3), tag("D4"));
        assertEquals(List.of("D4"), names(c.takeTick()), "the full state it builds on went in the tick before");
        c.offer(full(5), tag("F5"));
        c.offer(delta(6, 5), tag("D6"));
        assertEquals(List.of("F5", "D6"), names(c.takeTick()), "a delta never travels without its full state");
    }

    @Test
    void staleMessages_areDropped() {
        Coalescer c = new Coalescer();
        c.offer(full(5), tag("F5"));
        assertFalse(c.offer(delta(4, 1), tag("D4")));
        assertFalse(c.offer(full(5), tag("F5 again")));
        c.offer(new PointerUpdate(9, true, 0, 0), tag("P9"));
        assertFalse(c.offer(new PointerUpdate(8, true, 0, 0), tag("P8")));
        assertEquals(List.of("F5", "P9"), names(c.takeTick()));
    }

    @Test
    void catchUp_isTheLatestState_andResetForgetsIt() {
        Coalescer c = new Coalescer();
        assertEquals(List.of(), names(c.catchUp()));
        c.offer(full(1), tag("F1"));
        c.offer(delta(2, 1), tag("D2"));
        c.takeTick();
        c.offer(new PointerUpdate(1, false, 0, 0), tag("P1"));
        assertEquals(List.of("F1", "D2", "P1"), names(c.catchUp()));
        c.reset();
        assertEquals(List.of(), names(c.catchUp()));
        assertTrue(c.offer(full(1), tag("F1 of the next driver")));
    }
}
