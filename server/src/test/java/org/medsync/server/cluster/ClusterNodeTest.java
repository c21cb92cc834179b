package org.medsync.server.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Two cluster nodes on a real Redis: frames, placement by load, what happens when a heartbeat expires, and a
 * restart of Redis (empty afterwards, as without persistence).
 */
class ClusterNodeTest {
    private static RedisProcess redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** Records what a node is told. */
    static final class Events implements ClusterNode.Listener {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile Set<String> peers = Set.of();

        @Override
        public Set<String> peers() {
            return peers;
        }

        @Override
        public void nodeGone(String node) {
            events.add("gone " + node);
        }

        @Override
        public void framesLost() {
            events.add("frames lost");
        }

        @Override
        public void declaredGone() {
            events.add("declared gone");
        }

        @Override
        public void afterHeartbeat() {
            // nothing to check here
        }

        String next() throws InterruptedException {
            String e = events.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "no cluster event within 30 s");
            return e;
        }
    }

    private static ClusterNode node(String name, Events events, AtomicInteger load) throws Exception {
        ClusterNode n = ClusterNode.connect(new ClusterSettings(redis.url(), name, Duration.ofSeconds(2)));
        n.start(events.frames::add, events, load::get);
        return n;
    }

    @Test
    void framesArrive_leastLoadedWins_missingHeartbeatsAreNoticed() throws Exception {
        Events ex = new Events();
        Events ey = new Events();
        AtomicInteger loadX = new AtomicInteger(0);
        AtomicInteger loadY = new AtomicInteger(5);
        try (ClusterNode y = node("y", ey, loadY)) {
            String xId;
            try (ClusterNode x = node("x", ex, loadX)) {
                xId = x.id();
                assertTrue(x.id().startsWith("x-") && y.id().startsWith("y-"), x.id() + " " + y.id());
                assertTrue(y.isLive(x.id()) && x.isLive(y.id()));

                y.publish(x.id(), new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, ex.frames.poll(30, TimeUnit.SECONDS));

                // y runs 5 readouts, x none: y places new readouts on x once a heartbeat has told it x's load.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!y.leastLoaded().equals(x.id()) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(x.id(), y.leastLoaded());
                assertEquals(x.id(), x.leastLoaded());

                // A node y is bridged with has no heartbeat (it stopped without goodbye): y is told it is gone.
                ey.peers = Set.of("z-00000000");
                assertEquals("gone z-00000000", ey.next());
                ey.peers = Set.of();

                // x's heartbeat expires (as when x stalls longer than its TTL): x learns it was taken for gone (its
                // readouts may run elsewhere now, so it drops them) and comes back as a live node.
                try (Jedis j = new Jedis(redis.url())) {
                    j.del(ClusterNode.aliveKey(x.id()));
                }
                assertEquals("declared gone", ex.next());
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!y.isLive(x.id()) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(y.isLive(x.id()));
            }
            // A node that stops says goodbye: gone at once, not after its TTL.
            assertFalse(y.isLive(xId));
        }
    }

    @Test
    void runId_isReadFromInfoServer() {
        assertEquals(
                "4bd6f7", ClusterNode.runId("# Server\r\nredis_version:7.0.15\r\nrun_id:4bd6f7\r\ntcp_port:6379\r\n"));
        assertEquals("", ClusterNode.runId("# Server\r\n"));
    }

    @Test
    void redisRestart_bridgesAreReset_andNodesFindEachOtherAgain() throws Exception {
        Events ex = new Events();
        Events ey = new Events();
        try (ClusterNode x = node("x", ex, new AtomicInteger(0));
                ClusterNode y = node("y", ey, new AtomicInteger(0))) {
            y.publish(x.id(), new byte[] {7});
            assertArrayEquals(new byte[] {7}, ex.frames.poll(30, TimeUnit.SECONDS));

            redis.restart();

            // Frames published while the subscription was down may be lost: when it is back, x resets its bridges.
            assertEquals("frames lost", ex.next());

            // Redis came back empty: both nodes register again with their next heartbeat and see each other live,
            // without taking themselves for gone (that would close every participant of their readouts).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(x.isLive(y.id()) && y.isLive(x.id())) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(x.isLive(y.id()) && y.isLive(x.id()), "both nodes registered again");
            Thread.sleep(1000); // one more heartbeat each (TTL 2 s: a beat every 667 ms)
            assertFalse(
                    ex.events.contains("declared gone") || ey.events.contains("declared gone"),
                    ex.events + " " + ey.events);

            // And frames flow again.
            byte[] got = null;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got == null && System.nanoTime() < deadline) {
                y.publish(x.id(), new byte[] {8});
                got = ex.frames.poll(500, TimeUnit.MILLISECONDS);
            }
            assertArrayEquals(new byte[] {8}, got);
        }
    }
}
