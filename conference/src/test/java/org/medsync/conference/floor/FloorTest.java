package org.medsync.conference.floor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FloorTest {
    @Test
    void freeFloor_goesToFirstRequester_secondIsQueued() {
        Floor f = new Floor();
        assertInstanceOf(Floor.Outcome.Changed.class, f.request(1, true, false, false));
        assertInstanceOf(Floor.Outcome.Changed.class, f.request(2, true, false, false));
        assertEquals(new Floor.State(2, 1, List.of(2)), f.state());
    }

    @Test
    void student_mayNotDrive_residentMayNotTake() {
        Floor f = new Floor();
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.NOT_ALLOWED), f.request(5, false, false, false));
        f.request(1, true, false, false);
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.NOT_ALLOWED), f.request(2, true, true, false));
        assertEquals(1, f.holder());
    }

    @Test
    void attending_takesTheFloor() {
        Floor f = new Floor();
        f.request(2, true, false, false);
        f.request(1, true, true, true);
        assertEquals(1, f.holder());
    }

    @Test
    void handOver_release_andLeave() {
        Floor f = new Floor();
        f.request(1, true, false, false);
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.NOT_HOLDER), f.handOver(2, 3, true, true));
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.NOT_ALLOWED), f.handOver(1, 4, false, true));
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.UNKNOWN_PEER), f.handOver(1, 9, true, false));
        f.handOver(1, 3, true, true);
        assertEquals(3, f.holder());
        assertEquals(new Floor.Outcome.Refused(Floor.Refusal.NOT_HOLDER), f.release(1));
        f.leave(3);
        assertEquals(0, f.holder());
    }

    @Test
    void manySimultaneousRequests_exactlyOneHolder() throws Exception {
        for (int round = 0; round < 50; round++) {
            Floor f = new Floor();
            Object lock = new Object();
            AtomicInteger granted = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[8];
            for (int i = 0; i < ts.length; i++) {
                int peer = i + 1;
                ts[i] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    synchronized (lock) {
                        f.request(peer, true, false, false);
                        if (f.holder() == peer) {
                            granted.incrementAndGet();
                        }
                    }
                });
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(1, granted.get());
            assertEquals(7, f.state().requests().size());
        }
    }
}
