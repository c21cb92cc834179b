package org.medsync.conference.readout;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ServerMessage;

class ReadoutsTest {
    private static Readout readout(String id) {
        return new Readout(
                id, "t", "attending", Instant.EPOCH, List.of(new ServerMessage.WorklistItem("local", "1.2", "CT")), 10);
    }

    @Test
    void full_releasesAnEmptyReadout_orRefusesWhenEveryoneIsBusy() {
        List<Readout> released = new ArrayList<>();
        Readouts live = new Readouts(2, released::add);
        Readout a = live.withLive("a", () -> readout("a"), r -> {
            synchronized (r.lock()) {
                r.join("u", "U", ReadoutRole.ATTENDING, false);
            }
            return r;
        });
        Readout b = live.withLive("b", () -> readout("b"), r -> r);
        assertSame(a, live.withLive("a", () -> fail("a is live"), r -> r));

        // c needs room: b is empty and goes, a (someone is in it) stays.
        live.withLive("c", () -> readout("c"), r -> {
            synchronized (r.lock()) {
                r.join("v", "V", ReadoutRole.RESIDENT, false);
            }
            return r;
        });
        assertEquals(List.of(b), released);
        assertTrue(live.find("b").isEmpty());
        assertSame(a, live.find("a").orElseThrow());

        // Everyone is busy: no room.
        assertThrows(IllegalStateException.class, () -> live.withLive("d", () -> readout("d"), r -> r));
        assertEquals(2, live.size());
        assertEquals(2, live.releaseAll().size());
        assertEquals(0, live.size());
    }
}
