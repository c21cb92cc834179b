package org.medsync.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The live ORs of several server nodes over Redis (docs/or-gateway.md "Several nodes"): per flow, one node holds a
 * lease ({@code medsync:or:owner:<or>/<flow>}, renewed by its owner, gone {@link #LEASE} after the owner stops
 * renewing) and runs the flow's one encode; every node with viewers of the flow announces its SFU's ingest address and
 * its viewer count (keys that expire with the node), and the owner's gateway sends its RTP to each of those ingest
 * ports. The owner also publishes each frame's metadata messages (already in both forms: identified and de-identified,
 * made on the owner by the library's rule set) for the other nodes' viewers, and takes keyframe requests from them.
 *
 * <p>Redis carries only this signaling and the metadata (a few hundred bytes per frame); the video goes node to node
 * as RTP, never through Redis.
 */
public final class OrCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a flow stays owned by a node that stopped renewing: the takeover time after a node dies. */
    public static final Duration LEASE = Duration.ofMillis(3000);
    /** How often leases are renewed and node entries announced; well within {@link #LEASE}. */
    public static final Duration TICK = Duration.ofMillis(500);

    private static final String PREFIX = "medsync:or:";
    private static final String META = PREFIX + "meta:";
    private static final String KEYFRAME = PREFIX + "keyframe:";
    /** Renews a lease only if this node still holds it (compare and extend in one step). */
    private static final String RENEW =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    /** Releases a lease only if this node still holds it. */
    private static final String RELEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /** What the cluster tells this node's live ORs; called on the subscriber thread, must return quickly. */
    public interface Listener {
        /** A metadata message of a flow another node encodes (both forms, complete JSON messages). */
        void remoteMetadata(String flowKey, boolean isStatic, String identified, String deidentified);

        /** A viewer on another node needs an IDR picture of a flow this node may encode. */
        void keyframeWanted(String flowKey);
    }

    /** A flow's state across the cluster: its owner (null: nobody encodes it) and the viewers of every node. */
    public record FlowView(String owner, int viewers, List<InetSocketAddress> sinks) {}

    private final String node;
    private final RedisClient redis;
    private final URI url;
    private final Listener listener;
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final BlockingQueue<String[]> outbox = new ArrayBlockingQueue<>(500);
    private final Thread subscriber;
    private final Thread publisher;
    /**
     * Renews this node's leases on a thread of its own: starting a gateway (or stopping one) takes seconds on a
     * loaded host, and a lease must not expire meanwhile.
     */
    private final Thread keeper;

    private volatile JedisPubSub subscription;
    private volatile boolean closed;

    private OrCluster(URI url, String nodeName, Listener listener) {
        byte[] raw = new byte[4];
        new SecureRandom().nextBytes(raw);
        this.node = nodeName + "-" + HexFormat.of().formatHex(raw);
        this.url = url;
        this.listener = listener;
        GenericObjectPoolConfig<Connection> pc = new GenericObjectPoolConfig<>();
        pc.setMaxTotal(16);
        pc.setMaxWait(Duration.ofSeconds(2));
        this.redis = RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(url))
                .clientConfig(DefaultJedisClientConfig.builder(url).build())
                .poolConfig(pc)
                .build();
        this.subscriber =
                Thread.ofPlatform().daemon().name("or-cluster-subscriber").unstarted(this::subscribeLoop);
        this.publisher =
                Thread.ofPlatform().daemon().name("or-cluster-publisher").unstarted(this::publishLoop);
        this.keeper = Thread.ofPlatform().daemon().name("or-cluster-leases").unstarted(this::keepLoop);
    }

    /** Connects (failing when Redis cannot be reached) and starts receiving the other nodes' messages. */
    public static OrCluster join(URI url, String nodeName, Listener listener) throws IOException {
        OrCluster c = new OrCluster(url, nodeName, listener);
        try {
            c.redis.ping();
        } catch (RuntimeException e) {
            c.redis.close();
            throw new IOException("OR cluster: cannot reach Redis: " + e.getMessage(), e);
        }
        c.subscriber.start();
        c.publisher.start();
        c.keeper.start();
        return c;
    }

    public String node() {
        return node;
    }

    /** Takes the flow's lease if nobody holds it (or this node does); true when this node now owns the flow. */
    public boolean acquire(String flowKey, String since) {
        String value = node + "|" + since;
        try {
            String held = leases.get(flowKey);
            if (held != null) {
                return renew(flowKey);
            }
            if (redis.set(ownerKey(flowKey), value, SetParams.setParams().nx().px(LEASE.toMillis())) != null) {
                leases.put(flowKey, value);
                log.info("OR cluster: node {} owns {}", node, flowKey);
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            log.warn("OR cluster: lease of {}: {}", flowKey, e.getMessage());
            return false;
        }
    }

    /** Extends this node's lease; false when it lost it (expired and taken, or Redis unreachable past the lease). */
    public boolean renew(String flowKey) {
        String value = leases.get(flowKey);
        if (value == null) {
            return false;
        }
        try {
            Object r = redis.eval(RENEW, List.of(ownerKey(flowKey)), List.of(value, String.valueOf(LEASE.toMillis())));
            if (r instanceof Long n && n == 1) {
                return true;
            }
            leases.remove(flowKey);
            log.warn("OR cluster: node {} lost the lease of {}", node, flowKey);
            return false;
        } catch (RuntimeException e) {
            // Redis unreachable: the lease may still hold; the next tick tells. Another node cannot take it meanwhile
            // unless it expires, and then this renew fails.
            log.warn("OR cluster: renewing the lease of {}: {}", flowKey, e.getMessage());
            return true;
        }
    }

    /** Gives up the flow (nobody watches, or the node stops) so another node can take it at once. */
    public void release(String flowKey) {
        String value = leases.remove(flowKey);
        if (value == null) {
            return;
        }
        try {
            redis.eval(RELEASE, List.of(ownerKey(flowKey)), List.of(value));
        } catch (RuntimeException e) {
            log.warn("OR cluster: releasing {}: {} (it expires by itself)", flowKey, e.getMessage());
        }
    }

    /** Whether this node holds the flow's lease (as of its last renewal, at most {@link #TICK} ago). */
    public boolean owns(String flowKey) {
        return leases.containsKey(flowKey);
    }

    /** This node has the flow's SFU mountpoint at {@code ingest} and {@code viewers} viewers of it; expires by itself. */
    public void announce(String flowKey, InetSocketAddress ingest, int viewers) {
        try {
            redis.set(
                    nodeKey(flowKey, node),
                    ingest.getAddress().getHostAddress() + " " + ingest.getPort() + " " + viewers,
                    SetParams.setParams().px(LEASE.toMillis()));
            redis.sadd(nodesKey(flowKey), node);
        } catch (RuntimeException e) {
            log.warn("OR cluster: announcing {}: {}", flowKey, e.getMessage());
        }
    }

    /** This node no longer has the flow's mountpoint (and gives up its lease). */
    public void withdraw(String flowKey) {
        release(flowKey);
        try {
            redis.del(nodeKey(flowKey, node));
            redis.srem(nodesKey(flowKey), node);
        } catch (RuntimeException e) {
            log.warn("OR cluster: withdrawing {}: {} (its entry expires by itself)", flowKey, e.getMessage());
        }
    }

    /** The flow across the cluster now; entries of nodes that stopped announcing are removed. */
    public FlowView view(String flowKey) throws IOException {
        try {
            String owner = redis.get(ownerKey(flowKey));
            List<String> nodes = new ArrayList<>(redis.smembers(nodesKey(flowKey)));
            int viewers = 0;
            List<InetSocketAddress> sinks = new ArrayList<>();
            if (!nodes.isEmpty()) {
                List<String> entries =
                        redis.mget(nodes.stream().map(n -> nodeKey(flowKey, n)).toArray(String[]::new));
                for (int i = 0; i < nodes.size(); i++) {
                    String e = entries.get(i);
                    Optional<Entry> parsed = e == null ? Optional.empty() : Entry.parse(e);
                    if (parsed.isEmpty()) {
                        redis.srem(nodesKey(flowKey), nodes.get(i));
                        continue;
                    }
                    viewers += parsed.get().viewers;
                    sinks.add(parsed.get().ingest);
                }
            }
            return new FlowView(
                    owner == null
                            ? null
                            : owner.substring(0, owner.indexOf('|') < 0 ? owner.length() : owner.indexOf('|')),
                    viewers,
                    sinks);
        } catch (RuntimeException e) {
            throw new IOException("Redis: " + e.getMessage(), e);
        }
    }

    /** When the flow's owner started encoding it (ISO-8601), empty when nobody does. */
    public Optional<String> since(String flowKey) {
        try {
            String v = redis.get(ownerKey(flowKey));
            int bar = v == null ? -1 : v.indexOf('|');
            return bar < 0 ? Optional.empty() : Optional.of(v.substring(bar + 1));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** One node's entry: where its SFU takes the flow's RTP, and how many watch there. */
    public record Entry(InetSocketAddress ingest, int viewers) {
        /** Refuses anything but "ip port viewers" (written by our own nodes, but Redis is shared). */
        public static Optional<Entry> parse(String text) {
            String[] f = text.split(" ", -1);
            if (f.length != 3 || !f[0].matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                return Optional.empty();
            }
            try {
                int port = Integer.parseInt(f[1]);
                int viewers = Integer.parseInt(f[2]);
                if (port < 1 || port > 65535 || viewers < 0) {
                    return Optional.empty();
                }
                return Optional.of(new Entry(new InetSocketAddress(InetAddress.getByName(f[0]), port), viewers));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** Publishes a frame's metadata messages of a flow this node encodes; never blocks the gateway's thread. */
    public void publishMetadata(String flowKey, boolean isStatic, String identified, String deidentified) {
        ObjectNode m = JSON.createObjectNode()
                .put("from", node)
                .put("static", isStatic)
                .put("identified", identified)
                .put("deidentified", deidentified);
        if (!outbox.offer(new String[] {META + flowKey, m.toString()})) {
            log.debug("OR cluster: metadata outbox full, a message of {} dropped", flowKey);
        }
    }

    /** Asks the flow's owner (whichever node it is) for an IDR picture. */
    public void requestKeyframe(String flowKey) {
        outbox.offer(new String[] {KEYFRAME + flowKey, node});
    }

    private void keepLoop() {
        while (!closed) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            for (String key : List.copyOf(leases.keySet())) {
                renew(key);
            }
        }
    }

    private void publishLoop() {
        while (!closed) {
            String[] m;
            try {
                m = outbox.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (m == null) {
                continue;
            }
            try {
                redis.publish(m[0], m[1]);
            } catch (RuntimeException e) {
                log.debug("OR cluster: publish on {}: {}", m[0], e.getMessage());
            }
        }
    }

    private void subscribeLoop() {
        while (!closed) {
            JedisPubSub sub = new JedisPubSub() {
                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    try {
                        received(channel, message);
                    } catch (RuntimeException e) {
                        log.warn("OR cluster: a message on {} failed: {}", channel, e.toString());
                    }
                }
            };
            subscription = sub;
            try (Jedis j = new Jedis(url)) {
                j.psubscribe(sub, META + "*", KEYFRAME + "*");
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("OR cluster: subscription lost ({}), again in 1 s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void received(String channel, String message) {
        if (channel.startsWith(KEYFRAME)) {
            String key = channel.substring(KEYFRAME.length());
            if (owns(key)) {
                listener.keyframeWanted(key);
            }
            return;
        }
        String key = channel.substring(META.length());
        JsonNode m;
        try {
            m = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            log.warn("OR cluster: a metadata message of {} is no JSON: {}", key, e.getOriginalMessage());
            return;
        }
        if (!m.path("from").isTextual()
                || !m.path("static").isBoolean()
                || !m.path("identified").isTextual()
                || !m.path("deidentified").isTextual()) {
            log.warn("OR cluster: a metadata message of {} lacks from/static/identified/deidentified", key);
            return;
        }
        if (m.path("from").asText().equals(node)) {
            return; // our own: this node's viewers had it from the gateway directly
        }
        listener.remoteMetadata(
                key,
                m.path("static").asBoolean(),
                m.path("identified").asText(),
                m.path("deidentified").asText());
    }

    private static String ownerKey(String flowKey) {
        return PREFIX + "owner:" + flowKey;
    }

    private static String nodesKey(String flowKey) {
        return PREFIX + "nodes:" + flowKey;
    }

    private static String nodeKey(String flowKey, String node) {
        return PREFIX + "node:" + flowKey + ":" + node;
    }

    /** Leaves the cluster: leases released and entries removed, so other nodes take this node's flows at once. */
    @Override
    public void close() {
        closed = true;
        for (String key : List.copyOf(leases.keySet())) {
            release(key);
        }
        JedisPubSub s = subscription;
        if (s != null) {
            try {
                s.punsubscribe();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        publisher.interrupt();
        keeper.interrupt();
        redis.close();
    }
}
