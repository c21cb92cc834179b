package org.medsync.conference.cluster;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.signaling.Link;
import org.medsync.conference.signaling.Outbox;

/**
 * Joins participants to readouts whose hub runs on another node. A readout has one home node, whose {@link Hub}
 * is its only authority (peer ids, floor, chat); a participant whose socket reached another node is
 * <em>bridged</em>: that forwarding node passes the participant's messages to the home node as they came and
 * delivers the home node's messages back, through a broker. On the home node a bridged participant is a
 * {@link Link} like any other, so the hub cannot tell local from remote participants.
 *
 * <p>Frames ({@link BridgeFrame}) of one bridge travel in order (one publisher at a time per direction, and
 * the broker keeps order per channel). A lost frame cannot be detected, so whenever frames may have been lost
 * (the broker connection dropped, a node was declared gone) the bridges concerned are closed and browsers
 * reconnect to a consistent state.
 */
public final class NodeBridge {
    private static final System.Logger log = System.getLogger(NodeBridge.class.getName());

    /** Delivers a frame to a node's channel (Redis PUBLISH); throws when the broker cannot be reached. */
    public interface Broker {
        void publish(String node, byte[] frame) throws IOException;
    }

    /** Admits a participant to a readout homed on this node; null when this node is not (or no longer) its home. */
    public interface Home {
        Hub.Connection join(String readoutId, Hub.Identity who, Link link);
    }

    private final String self;
    private final Hub hub;
    private final Broker broker;
    private final Home home;
    private final int sendQueue;
    private final AtomicLong nextBridge = new AtomicLong(1);
    private final Map<Long, Outgoing> outgoing = new ConcurrentHashMap<>();
    private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();

    public NodeBridge(String self, Hub hub, Broker broker, Home home, int sendQueue) {
        if (!BridgeFrame.isNodeId(self)) {
            throw new IllegalArgumentException("node id must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        this.self = self;
        this.hub = hub;
        this.broker = broker;
        this.home = home;
        this.sendQueue = sendQueue;
    }

    // --- forwarding side: a participant whose socket is here, in a readout homed elsewhere ---

    /** A bridged participant as its forwarding node holds it, next to its socket. */
    public final class Outgoing {
        private final long id;
        private final String homeNode;
        private final Link participant;
        private final Outbox outbox;

        private Outgoing(long id, String homeNode, Link participant) {
            this.id = id;
            this.homeNode = homeNode;
            this.participant = participant;
            this.outbox = new Outbox(participant, sendQueue, "bridge-" + id, () -> closed(1013));
        }

        /** One message from the participant, passed on unread: the home node's hub checks it. */
        public void onMessage(byte[] message) {
            if (outgoing.get(id) != this) {
                return;
            }
            try {
                broker.publish(homeNode, BridgeFrame.encode(new BridgeFrame.Client(self, id, message)));
            } catch (IOException | RuntimeException e) {
                log.log(
                        Level.WARNING,
                        "bridge {0} to node {1}: cannot publish ({2}); closing the participant",
                        id,
                        homeNode,
                        e.toString());
                end(1011, "cluster broker unreachable: reconnect");
            }
        }

        /** The participant's socket closed (1009: it sent a message over the size limit). */
        public void closed(int code) {
            if (outgoing.remove(id, this)) {
                outbox.close();
                try {
                    broker.publish(homeNode, BridgeFrame.encode(new BridgeFrame.Leave(self, id, code)));
                } catch (IOException | RuntimeException e) {
                    log.log(
                            Level.WARNING,
                            "bridge {0}: leave not delivered to node {1} ({2}); it drops the participant when it sees this node gone",
                            id,
                            homeNode,
                            e.toString());
                }
            }
        }

        private void end(int code, String reason) {
            if (outgoing.remove(id, this)) {
                outbox.close();
                participant.close(code, shorten(reason));
            }
        }
    }

    /** Bridges a participant to the readout's home node. Throws when the broker cannot be reached. */
    public Outgoing forward(String homeNode, String readoutId, Hub.Identity who, Link participant) throws IOException {
        Outgoing o = new Outgoing(nextBridge.getAndIncrement(), homeNode, participant);
        outgoing.put(o.id, o);
        try {
            broker.publish(
                    homeNode,
                    BridgeFrame.encode(new BridgeFrame.Join(
                            self, o.id, readoutId, who.username(), who.displayName(), who.role())));
        } catch (IOException | RuntimeException e) {
            outgoing.remove(o.id);
            o.outbox.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
        return o;
    }

    // --- home side: a participant of a readout homed here, whose socket is on another node ---

    private final class Incoming implements Link {
        private final String from;
        private final long bridge;
        private volatile Hub.Connection connection;
        private volatile boolean closed;

        private Incoming(String from, long bridge) {
            this.from = from;
            this.bridge = bridge;
        }

        private String key() {
            return NodeBridge.key(from, bridge);
        }

        @Override
        public void send(byte[] message) throws IOException {
            broker.publish(from, BridgeFrame.encode(new BridgeFrame.Server(self, bridge, message)));
        }

        /** The hub closes the participant (refused, too slow, readout full): tell its node, and leave. */
        @Override
        public void close(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            incoming.remove(key(), this);
            try {
                broker.publish(from, BridgeFrame.encode(new BridgeFrame.Close(self, bridge, code, shorten(reason))));
            } catch (IOException | RuntimeException e) {
                log.log(Level.WARNING, "bridge {0}/{1}: close not delivered ({2})", from, bridge, e.toString());
            }
            Hub.Connection c = connection;
            if (c != null) {
                hub.disconnect(c);
            }
        }
    }

    /** One frame from the broker, for this node. Malformed frames are logged and dropped. */
    public void onFrame(byte[] data) {
        BridgeFrame f;
        try {
            f = BridgeFrame.decode(data);
        } catch (BridgeFrame.MalformedException e) {
            log.log(Level.WARNING, "dropped a malformed bridge frame: {0}", e.getMessage());
            return;
        }
        switch (f) {
            case BridgeFrame.Join j -> join(j);
            case BridgeFrame.Client c -> {
                Incoming in = incoming.get(key(c.from(), c.bridge()));
                Hub.Connection conn = in == null ? null : in.connection;
                if (conn != null) {
                    hub.onMessage(conn, c.message());
                }
            }
            case BridgeFrame.Leave l -> {
                Incoming in = incoming.remove(key(l.from(), l.bridge()));
                if (in != null) {
                    in.closed = true;
                    Hub.Connection conn = in.connection;
                    if (conn != null) {
                        if (l.code() == 1009) {
                            hub.onOversized(conn, -1);
                        }
                        hub.disconnect(conn);
                    }
                }
            }
            case BridgeFrame.Server s -> {
                Outgoing o = outgoing.get(s.bridge());
                if (o != null && o.homeNode.equals(s.from())) {
                    o.outbox.offer(s.message());
                }
            }
            case BridgeFrame.Close c -> {
                Outgoing o = outgoing.get(c.bridge());
                if (o != null && o.homeNode.equals(c.from())) {
                    o.end(c.code(), c.reason());
                }
            }
        }
    }

    private void join(BridgeFrame.Join j) {
        Incoming in = new Incoming(j.from(), j.bridge());
        if (incoming.putIfAbsent(in.key(), in) != null) {
            log.log(Level.WARNING, "bridge {0}/{1}: joined twice; ignored", j.from(), j.bridge());
            return;
        }
        Hub.Connection c = home.join(j.readoutId(), new Hub.Identity(j.username(), j.displayName(), j.role()), in);
        if (c == null) {
            if (!in.closed) {
                in.close(1013, "the readout moved to another node: reconnect");
            }
            return;
        }
        in.connection = c;
        if (in.closed) {
            hub.disconnect(c);
        }
    }

    // --- membership ---

    /** The nodes this node has bridges with, either way. */
    public Set<String> peers() {
        Set<String> nodes = new HashSet<>();
        outgoing.values().forEach(o -> nodes.add(o.homeNode));
        incoming.values().forEach(i -> nodes.add(i.from));
        return nodes;
    }

    /**
     * A node is gone (its heartbeat expired or it said goodbye): participants whose readout it ran are closed
     * (1012) and reconnect, which moves the readout to a live node; its participants here leave.
     */
    public void nodeGone(String node) {
        for (Outgoing o : List.copyOf(outgoing.values())) {
            if (o.homeNode.equals(node)) {
                o.end(1012, "the readout's node went away: reconnect");
            }
        }
        for (Incoming in : List.copyOf(incoming.values())) {
            if (in.from.equals(node) && incoming.remove(in.key(), in)) {
                in.closed = true;
                Hub.Connection c = in.connection;
                if (c != null) {
                    hub.disconnect(c);
                }
            }
        }
    }

    /**
     * Frames may have been lost (the broker connection dropped, or this node was declared gone): every bridge is
     * closed, its participants reconnect. {@code code} 1012 (restart) or 1001 (going away, at shutdown).
     */
    public void closeAll(int code, String reason) {
        for (Outgoing o : List.copyOf(outgoing.values())) {
            if (outgoing.remove(o.id, o)) {
                o.outbox.close();
                o.participant.close(code, reason);
                try {
                    broker.publish(o.homeNode, BridgeFrame.encode(new BridgeFrame.Leave(self, o.id, code)));
                } catch (IOException | RuntimeException e) {
                    // the home node drops it when it sees this node gone
                }
            }
        }
        for (Incoming in : List.copyOf(incoming.values())) {
            in.close(code, reason);
        }
    }

    private static String key(String node, long bridge) {
        return node + "/" + bridge;
    }

    /** WebSocket close reasons hold at most 123 bytes. */
    private static String shorten(String reason) {
        String r = reason == null ? "" : reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
