package org.medsync.server.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * This server as one node of a cluster, over Redis (docs/architecture.md, "Several nodes"): it receives the
 * frames published on its channel {@code medsync:node:{id}}, publishes frames to other nodes, and keeps a
 * heartbeat key {@code medsync:node:{id}:alive} (its load, with a time to live) that tells the others it runs.
 * A node's id is its name and a random suffix, new at every start: a restarted process is a new node, since
 * what it ran in memory is gone.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    static final String NODES = "medsync:nodes";

    /** What the node tells the readouts. Called from the heartbeat or the subscriber thread. */
    public interface Listener {
        /** The nodes this node has bridges with, to check they are still alive. */
        Set<String> peers();

        /** A node stopped (its heartbeat expired, or it said goodbye). */
        void nodeGone(String node);

        /** Frames to this node may have been lost (the subscription was re-established). */
        void framesLost();

        /** This node's heartbeat had expired: other nodes took it for gone and may run its readouts now. */
        void declaredGone();

        /** After each heartbeat, on the heartbeat thread: time for periodic checks. */
        void afterHeartbeat();
    }

    private final ClusterSettings settings;
    private final String id;
    /** Pooled connections for commands; the subscription has a connection of its own. */
    private final RedisClient redis;

    private final Thread subscriber;
    private final Thread heartbeat;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Map<String, Integer> liveLoads = Map.of();
    private volatile BinaryJedisPubSub subscription;
    private Consumer<byte[]> onFrame;
    private Listener listener;
    private IntSupplier load;
    /** Whether the last heartbeat reached Redis; /health reports it. */
    private volatile boolean redisReachable = true;
    /** Redis's run_id at this node's last heartbeat (heartbeat thread only): a new one means Redis restarted. */
    private String redisRunId;

    private ClusterNode(ClusterSettings settings) {
        this.settings = settings;
        byte[] raw = new byte[4];
        new SecureRandom().nextBytes(raw);
        this.id = settings.nodeName() + "-" + HexFormat.of().formatHex(raw);
        GenericObjectPoolConfig<Connection> pc = new GenericObjectPoolConfig<>();
        pc.setMaxTotal(64);
        pc.setMaxWait(Duration.ofSeconds(5));
        pc.setTestOnBorrow(false);
        this.redis = RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(settings.redisUrl()))
                .clientConfig(
                        DefaultJedisClientConfig.builder(settings.redisUrl()).build())
                .poolConfig(pc)
                .build();
        this.subscriber =
                Thread.ofPlatform().daemon().name("cluster-subscriber").unstarted(this::subscribeLoop);
        this.heartbeat = Thread.ofPlatform().daemon().name("cluster-heartbeat").unstarted(this::heartbeatLoop);
    }

    /** Connects to Redis (failing when it cannot be reached); nothing is received before {@link #start}. */
    public static ClusterNode connect(ClusterSettings settings) throws IOException {
        ClusterNode n = new ClusterNode(settings);
        try {
            n.redis.ping();
        } catch (RuntimeException e) {
            n.redis.close();
            throw new IOException("cannot reach Redis at " + redacted(settings.redisUrl()) + ": " + e.getMessage(), e);
        }
        return n;
    }

    public String id() {
        return id;
    }

    /** Whether Redis answered this node's last heartbeat (at most a third of the node TTL ago). */
    public boolean redisReachable() {
        return redisReachable;
    }

    /** Subscribes to this node's channel, then announces the node; frames go to {@code onFrame}, in order. */
    public void start(Consumer<byte[]> onFrame, Listener listener, IntSupplier load) throws IOException {
        this.onFrame = onFrame;
        this.listener = listener;
        this.load = load;
        subscriber.start();
        try {
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IOException("no subscription to Redis within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        beat(false);
        heartbeat.start();
        log.info("Cluster node {} on Redis {}", id, redacted(settings.redisUrl()));
    }

    /** Publishes a frame on a node's channel. */
    public void publish(String node, byte[] frame) throws IOException {
        try {
            redis.publish(channel(node), frame);
        } catch (RuntimeException e) {
            throw new IOException("publish to node " + node + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether a node's heartbeat is current (asked of Redis now, not of the last heartbeat). */
    public boolean isLive(String node) throws IOException {
        if (node.equals(id)) {
            return true;
        }
        try {
            return redis.exists(aliveKey(node));
        } catch (RuntimeException e) {
            throw new IOException("Redis unreachable: " + e.getMessage(), e);
        }
    }

    /** The live node running the fewest readouts at the last heartbeat; this node on a tie. */
    public String leastLoaded() {
        String best = id;
        int bestLoad = load.getAsInt();
        for (var e : liveLoads.entrySet()) {
            if (e.getValue() < bestLoad) {
                best = e.getKey();
                bestLoad = e.getValue();
            }
        }
        return best;
    }

    private void subscribeLoop() {
        boolean first = true;
        while (!closed) {
            boolean wasFirst = first;
            BinaryJedisPubSub sub = new BinaryJedisPubSub() {
                @Override
                public void onSubscribe(byte[] channel, int count) {
                    if (wasFirst) {
                        subscribed.countDown();
                    } else {
                        log.warn("Cluster node {}: subscription re-established; bridges are reset", id);
                        listener.framesLost();
                    }
                }

                @Override
                public void onMessage(byte[] channel, byte[] message) {
                    try {
                        onFrame.accept(message);
                    } catch (RuntimeException e) {
                        log.error("Cluster node {}: a frame failed", id, e);
                    }
                }
            };
            subscription = sub;
            first = false;
            try (Jedis j = new Jedis(settings.redisUrl())) {
                j.subscribe(sub, channel(id));
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("Cluster node {}: Redis subscription lost ({}); retrying", id, e.getMessage());
                sleep(1000);
            }
        }
    }

    private void heartbeatLoop() {
        long period = Math.max(300, settings.nodeTtl().toMillis() / 3);
        while (!closed) {
            sleep(period);
            if (!closed) {
                beat(true);
            }
        }
    }

    /** Refreshes this node's key, notices whether it had expired, and checks the nodes this node is bridged with. */
    private void beat(boolean registered) {
        try {
            String value = Integer.toString(load.getAsInt());
            long ttl = settings.nodeTtl().toMillis();
            String runId = runId(redis.info("server"));
            boolean restarted = redisRunId != null && !redisRunId.equals(runId);
            redisRunId = runId;
            if (redis.set(aliveKey(id), value, SetParams.setParams().px(ttl).xx()) == null) {
                if (restarted) {
                    // Every node's key went with the restart, not only this one's: nothing says this node was taken for
                    // gone, so its participants stay. A readout another node took over in the gap before this beat
                    // is let go by the check after every heartbeat (ReadoutService), as in any race.
                    log.warn("Cluster node {}: Redis restarted without its keys; registering again", id);
                } else if (registered) {
                    log.warn("Cluster node {}: its heartbeat had expired; other nodes may have taken its readouts", id);
                    listener.declaredGone();
                }
                redis.set(aliveKey(id), value, SetParams.setParams().px(ttl));
                redis.sadd(NODES, id);
            }
            List<String> ids = List.copyOf(redis.smembers(NODES));
            Map<String, Integer> live = new HashMap<>();
            if (!ids.isEmpty()) {
                List<String> loads =
                        redis.mget(ids.stream().map(ClusterNode::aliveKey).toArray(String[]::new));
                for (int i = 0; i < ids.size(); i++) {
                    if (loads.get(i) == null) {
                        redis.srem(NODES, ids.get(i));
                    } else if (!ids.get(i).equals(id)) {
                        live.put(ids.get(i), parseLoad(loads.get(i)));
                    }
                }
            }
            liveLoads = Map.copyOf(live);
            if (!redisReachable) {
                log.warn("Cluster node {}: Redis is back", id);
            }
            redisReachable = true;
            for (String peer : listener.peers()) {
                if (!live.containsKey(peer) && !peer.equals(id)) {
                    log.warn("Cluster node {}: node {} is gone", id, peer);
                    listener.nodeGone(peer);
                }
            }
        } catch (RuntimeException e) {
            // Without Redis no other node can be reached: new readouts stay here.
            liveLoads = Map.of();
            redisReachable = false;
            log.warn(
                    "Cluster node {}: heartbeat failed ({}); new readouts stay on this node until Redis is back",
                    id,
                    e.getMessage());
        }
        listener.afterHeartbeat();
    }

    /** Says goodbye: the key goes at once, so the others move this node's readouts without waiting for the TTL. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.interrupt();
        try {
            redis.del(aliveKey(id));
            redis.srem(NODES, id);
        } catch (RuntimeException e) {
            log.warn(
                    "Cluster node {}: goodbye failed ({}); the others see it gone when its key expires",
                    id,
                    e.getMessage());
        }
        BinaryJedisPubSub s = subscription;
        if (s != null && s.isSubscribed()) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                // the connection is gone already
            }
        }
        redis.close();
    }

    static String aliveKey(String node) {
        return "medsync:node:" + node + ":alive";
    }

    static byte[] channel(String node) {
        return ("medsync:node:" + node).getBytes(StandardCharsets.US_ASCII);
    }

    private static int parseLoad(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** The run_id line of INFO server; empty when missing (a proxy that hides it: restarts are not told apart). */
    static String runId(String info) {
        return info.lines()
                .filter(l -> l.startsWith("run_id:"))
                .map(l -> l.substring(7).trim())
                .findFirst()
                .orElse("");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
