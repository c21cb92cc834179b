package org.medsync.server.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.gateway.flow.FlowGateway;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.rtv.metadata.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each watched flow's PS3.22 metadata to its viewers' sockets (docs/or-gateway.md "Metadata messages"): the gateway
 * hands over every frame it sent with that frame's RTV RTP timestamp; a viewer gets the static part at once when it
 * subscribes and whenever it changes, and each frame's own part. Viewers whose role sees studies de-identified get
 * both de-identified HERE, by the study library's rule set ({@link JsonDeidentifier}), before any byte is queued for
 * them; without a de-identifier they get no data set at all (fail closed).
 *
 * <p>The gateway's thread must never wait for a browser: every subscriber has its own bounded queue and its own
 * (virtual) sender thread; a subscriber that falls behind loses its oldest frame messages, never the static part.
 */
final class MetadataHub {
    private static final Logger log = LoggerFactory.getLogger(MetadataHub.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Frames a slow viewer may be behind before its oldest are dropped (2 s at 50 fps). */
    static final int QUEUE = 100;

    /** Where a subscriber's messages go: a WebSocket, or a test's list. */
    interface Sink {
        /** Sends one text message, blocking until it is written; false when the peer is gone. */
        boolean send(String text);

        void close(int code, String reason);
    }

    /** Where a flow's messages go for the viewers of other cluster nodes (OrCluster), in both forms. */
    interface Relay {
        void publish(String key, boolean isStatic, String identified, String deidentified);
    }

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private volatile Relay relay;
    private final Map<String, Subscriber> byViewing = new ConcurrentHashMap<>();
    private volatile JsonDeidentifier deidentifier;

    void deidentifier(JsonDeidentifier d) {
        this.deidentifier = d;
    }

    void relay(Relay r) {
        this.relay = r;
    }

    /**
     * Whether flow {@code key}'s messages also go to the relay (other nodes have viewers of it). {@code resendStatic}:
     * a node joined, so the static part goes out again now rather than at its next change (a late joiner has it at
     * once there too).
     */
    void relayed(String key, boolean on, boolean resendStatic) {
        Channel c = channels.get(key);
        Relay r = relay;
        if (c == null) {
            return;
        }
        c.relayed = on;
        String identified = c.staticIdentified;
        String deidentified = c.staticDeidentified;
        if (on && resendStatic && r != null && identified != null && deidentified != null) {
            r.publish(key, true, identified, deidentified);
        }
    }

    /**
     * A message of flow {@code key} that another node's gateway sent, already in both forms: this node's viewers get
     * the form their role may see, exactly as if this node's own gateway had sent it.
     */
    void remote(String key, boolean isStatic, String identified, String deidentified) {
        Channel c = channels.get(key);
        if (c == null) {
            return;
        }
        if (isStatic) {
            c.staticIdentified = identified;
            c.staticDeidentified = deidentified;
            c.subscribers.values().forEach(c::sendStaticTo);
        } else {
            c.subscribers.values().forEach(s -> s.enqueue(s.deidentified ? deidentified : identified, false));
        }
    }

    /** The listener to give flow {@code key}'s gateway (one channel per flow; a restarted flow gets a new one). */
    FlowGateway.FrameListener flowStarted(String key, String flow) {
        Channel c = new Channel(key, flow);
        Channel old = channels.put(key, c);
        if (old != null) {
            old.subscribers.values().forEach(s -> s.enqueue(null, true));
        }
        return c::sent;
    }

    /** The flow stopped (nobody watches, or Janus went away): its subscribers' sockets close. */
    void flowStopped(String key) {
        Channel c = channels.remove(key);
        if (c != null) {
            for (Subscriber s : c.subscribers.values()) {
                s.end(1001, "the flow stopped");
            }
        }
    }

    /**
     * Subscribes a viewing's socket to flow {@code key}: {@code hello} first, then the latest static part.
     *
     * @return false when the flow does not run (any more)
     */
    boolean subscribe(String key, String viewing, boolean deidentified, ObjectNode hello, Sink sink) {
        Channel c = channels.get(key);
        if (c == null) {
            return false;
        }
        Subscriber s = new Subscriber(viewing, deidentified, sink, c, text(hello));
        Subscriber previous = byViewing.put(viewing, s);
        if (previous != null) {
            previous.end(4000, "another socket took over this viewing");
        }
        c.subscribers.put(viewing, s);
        c.sendStaticTo(s);
        Thread.ofVirtual().name("or-metadata-" + viewing).start(s::drain);
        return true;
    }

    /** The socket went away by itself. */
    void unsubscribe(String viewing, Sink sink) {
        Subscriber s = byViewing.get(viewing);
        if (s != null && s.sink == sink) {
            s.end(1000, "");
        }
    }

    /** The viewing ended (stopped, refused after an allow-list change, Janus gone): its socket closes. */
    void viewingEnded(String viewing, int code, String reason) {
        Subscriber s = byViewing.get(viewing);
        if (s != null) {
            s.end(code, reason);
        }
    }

    /** Subscribers of flow {@code key}, for tests. */
    int subscribers(String key) {
        Channel c = channels.get(key);
        return c == null ? 0 : c.subscribers.size();
    }

    private static String text(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree we built does not serialize", e);
        }
    }

    /** One flow: its latest static part in both forms, and who listens. */
    private final class Channel {
        final String key;
        final String flow;
        final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
        volatile boolean relayed;
        private Dataset lastStatic;
        private volatile String staticIdentified;
        private volatile String staticDeidentified;

        Channel(String key, String flow) {
            this.key = key;
            this.flow = flow;
        }

        /** On the gateway's thread, for every access unit it sent. */
        void sent(long rtpTimestamp, Optional<Dataset> staticPart, Optional<Dataset> frame) {
            try {
                if (staticPart.isPresent() && !staticPart.get().equals(lastStatic)) {
                    lastStatic = staticPart.get();
                    staticIdentified = text(message("static", rtpTimestamp, DatasetJson.of(lastStatic)));
                    staticDeidentified = deidentified("static", rtpTimestamp, lastStatic);
                    subscribers.values().forEach(this::sendStaticTo);
                    Relay r = relay;
                    if (r != null && relayed) {
                        r.publish(key, true, staticIdentified, staticDeidentified);
                    }
                }
                if (frame.isEmpty()) {
                    return;
                }
                String identified = null;
                String deidentified = null;
                Relay r = relay;
                if (r != null && relayed) {
                    // Both forms for the other nodes: de-identification happens here, on the node that encodes.
                    identified = text(message("frame", rtpTimestamp, DatasetJson.of(frame.get())));
                    deidentified = deidentified("frame", rtpTimestamp, frame.get());
                    r.publish(key, false, identified, deidentified);
                }
                for (Subscriber s : subscribers.values()) {
                    if (s.deidentified) {
                        if (deidentified == null) {
                            deidentified = deidentified("frame", rtpTimestamp, frame.get());
                        }
                        s.enqueue(deidentified, false);
                    } else {
                        if (identified == null) {
                            identified = text(message("frame", rtpTimestamp, DatasetJson.of(frame.get())));
                        }
                        s.enqueue(identified, false);
                    }
                }
            } catch (RuntimeException e) {
                // never the gateway's problem: its encode goes on
                log.warn("OR metadata of flow {}: {}", flow, e.toString());
            }
        }

        void sendStaticTo(Subscriber s) {
            String m = s.deidentified ? staticDeidentified : staticIdentified;
            if (m != null) {
                s.enqueue(m, true);
            }
        }

        private ObjectNode message(String type, long rtpTimestamp, ObjectNode dataset) {
            ObjectNode m = JSON.createObjectNode();
            m.put("type", type);
            m.put("flow", flow);
            m.put("rtpTimestamp", rtpTimestamp);
            m.set("dataset", dataset);
            return m;
        }

        /** De-identified by the library's rule set; with no de-identifier, an empty data set. */
        private String deidentified(String type, long rtpTimestamp, Dataset d) {
            JsonDeidentifier di = deidentifier;
            ObjectNode ds = di == null ? JSON.createObjectNode() : di.apply(DatasetJson.of(d));
            return text(message(type, rtpTimestamp, ds));
        }
    }

    /** One viewing's socket: a bounded queue drained by its own thread. */
    private final class Subscriber {
        final String viewing;
        final boolean deidentified;
        final Sink sink;
        final Channel channel;
        final String hello;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private String pendingStatic;
        private boolean ended;
        private int code = 1000;
        private String reason = "";

        Subscriber(String viewing, boolean deidentified, Sink sink, Channel channel, String hello) {
            this.hello = hello;
            this.viewing = viewing;
            this.deidentified = deidentified;
            this.sink = sink;
            this.channel = channel;
        }

        /** A static part is kept aside and sent before the next frame message: a full queue cannot lose it. */
        synchronized void enqueue(String message, boolean isStatic) {
            if (ended) {
                return;
            }
            if (isStatic) {
                pendingStatic = message;
            } else if (message != null) {
                if (queue.size() >= QUEUE) {
                    queue.pollFirst();
                }
                queue.addLast(message);
            }
            notifyAll();
        }

        synchronized void end(int code, String reason) {
            if (!ended) {
                ended = true;
                this.code = code;
                this.reason = reason;
                notifyAll();
            }
        }

        void drain() {
            try {
                if (!sink.send(hello)) {
                    return;
                }
                while (true) {
                    String next;
                    synchronized (this) {
                        while (!ended && pendingStatic == null && queue.isEmpty()) {
                            wait();
                        }
                        if (ended) {
                            break;
                        }
                        if (pendingStatic != null) {
                            next = pendingStatic;
                            pendingStatic = null;
                        } else {
                            next = queue.pollFirst();
                        }
                    }
                    if (!sink.send(next)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.subscribers.remove(viewing, this);
                byViewing.remove(viewing, this);
                int c;
                String r;
                synchronized (this) {
                    ended = true;
                    c = code;
                    r = reason;
                }
                sink.close(c, r);
            }
        }
    }
}
