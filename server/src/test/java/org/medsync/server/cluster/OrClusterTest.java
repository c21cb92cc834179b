package org.medsync.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** The flow leases, node entries and messages of {@link OrCluster} on a real redis-server. */
class OrClusterTest {
    private static RedisProcess redis;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server is installed by scripts/setup --test");
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private record Received(String key, boolean isStatic, String identified, String deidentified) {}

    private static final class Recorder implements OrCluster.Listener {
        final BlockingQueue<Received> metadata = new LinkedBlockingQueue<>();
        final BlockingQueue<String> keyframes = new LinkedBlockingQueue<>();

        @Override
        public void remoteMetadata(String flowKey, boolean isStatic, String identified, String deidentified) {
            metadata.add(new Received(flowKey, isStatic, identified, deidentified));
        }

        @Override
        public void keyframeWanted(String flowKey) {
            keyframes.add(flowKey);
        }
    }

    @Test
    void oneNodeHoldsAFlow_untilItReleasesOrStopsRenewing() throws Exception {
        try (OrCluster a = OrCluster.join(redis.url(), "a", new Recorder());
                OrCluster b = OrCluster.join(redis.url(), "b", new Recorder())) {
            assertTrue(a.acquire("or1/endoscope", "2026-12-07T03:00:00Z"));
            assertFalse(b.acquire("or1/endoscope", "2026-12-07T03:00:01Z"), "held by a");
            assertTrue(a.acquire("or1/endoscope", "x"), "a holds it already");
            assertEquals(a.node(), b.view("or1/endoscope").owner());
            assertEquals(Optional.of("2026-12-07T03:00:00Z"), b.since("or1/endoscope"));

            // a's lease outlives its first term: a node renews its leases by itself
            Thread.sleep(OrCluster.LEASE.toMillis() * 2);
            assertTrue(a.owns("or1/endoscope"));
            assertFalse(b.acquire("or1/endoscope", "y"));

            // a released it: b takes it at once, and a's renew now fails (a stale owner stops encoding)
            a.release("or1/endoscope");
            assertTrue(b.acquire("or1/endoscope", "z"));
            assertFalse(a.renew("or1/endoscope"));

            // A node that died holds the lease (what it last wrote): it expires and a takes the flow.
            b.release("or1/endoscope");
            try (Jedis j = new Jedis(redis.url())) {
                j.set(
                        "medsync:or:owner:or1/endoscope",
                        "dead-node|t",
                        SetParams.setParams().px(OrCluster.LEASE.toMillis()));
            }
            long t0 = System.nanoTime();
            while (!a.acquire("or1/endoscope", "w")) {
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "within the lease");
                Thread.sleep(100);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= OrCluster.LEASE.toMillis() - 600, "not before the lease expired: " + ms + " ms");
            assertEquals(a.node(), b.view("or1/endoscope").owner());
        }
    }

    @Test
    void viewersAreSummedOverLiveNodes_andAStoppedNodesEntryExpires() throws Exception {
        try (OrCluster a = OrCluster.join(redis.url(), "a", new Recorder());
                OrCluster b = OrCluster.join(redis.url(), "b", new Recorder())) {
            InetSocketAddress ia = new InetSocketAddress("127.0.0.1", 44001);
            InetSocketAddress ib = new InetSocketAddress("127.0.0.1", 44002);
            a.announce("or2/room", ia, 3);
            b.announce("or2/room", ib, 2);
            OrCluster.FlowView v = a.view("or2/room");
            assertNull(v.owner());
            assertEquals(5, v.viewers());
            assertEquals(
                    List.of(ia, ib),
                    v.sinks().stream()
                            .sorted((x, y) -> x.getPort() - y.getPort())
                            .toList());
            b.withdraw("or2/room");
            assertEquals(3, a.view("or2/room").viewers());
            b.announce("or2/room", ib, 4);
            // b stops announcing: its entry is gone after the lease, and with it its viewers
            long t0 = System.nanoTime();
            while (a.view("or2/room").viewers() != 3) {
                a.announce("or2/room", ia, 3);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "b's entry expires");
                Thread.sleep(200);
            }
            assertEquals(List.of(ia), a.view("or2/room").sinks());
        }
    }

    @Test
    void metadataAndKeyframeRequestsReachTheOtherNodes_notTheSender() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        try (OrCluster a = OrCluster.join(redis.url(), "a", ra);
                OrCluster b = OrCluster.join(redis.url(), "b", rb)) {
            Thread.sleep(300); // both subscriptions in place
            a.publishMetadata("or3/endoscope", true, "{\"type\":\"static\",\"x\":1}", "{\"type\":\"static\"}");
            Received r = rb.metadata.poll(5, TimeUnit.SECONDS);
            assertEquals(
                    new Received("or3/endoscope", true, "{\"type\":\"static\",\"x\":1}", "{\"type\":\"static\"}"), r);
            assertNull(ra.metadata.poll(300, TimeUnit.MILLISECONDS), "the sender's own viewers had it directly");

            // only the flow's owner is asked for a keyframe
            b.requestKeyframe("or3/endoscope");
            assertNull(ra.keyframes.poll(500, TimeUnit.MILLISECONDS), "a does not own the flow");
            assertTrue(a.acquire("or3/endoscope", "t"));
            b.requestKeyframe("or3/endoscope");
            assertEquals("or3/endoscope", ra.keyframes.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void entriesThatAreNotOursAreRefused() {
        assertEquals(
                Optional.of(new OrCluster.Entry(new InetSocketAddress("10.0.0.5", 22000), 7)),
                OrCluster.Entry.parse("10.0.0.5 22000 7"));
        for (String bad : new String[] {
            "",
            "10.0.0.5 22000",
            "10.0.0.5 0 1",
            "10.0.0.5 70000 1",
            "10.0.0.5 22000 -1",
            "host 22000 1",
            "10.0.0.5 22000 1 extra",
            "10.0.0.5 2e4 1",
            "999.0.0.1 22000 1"
        }) {
            assertEquals(Optional.empty(), OrCluster.Entry.parse(bad), bad);
        }
    }
}
