package org.medsync.relay;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.conference.protocol.DecodeException;
import org.medsync.conference.protocol.PeerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.signaling.DataRelay;

/**
 * One readout on the relay: a {@link RelayPeer} per participant that connected, the floor holder (from the hub),
 * and the {@link Coalescer} of the holder's messages. Messages from anyone else, malformed or too large are
 * dropped (and counted; malformed and oversized ones logged). Each tick the news go to every other open
 * channel as one BATCH.
 */
final class RelayedReadout implements DataRelay.Session {
    private static final System.Logger log = System.getLogger(RelayedReadout.class.getName());

    private final WebRtcRelay relay;
    private final String id;
    private final DataRelay.Events events;
    private final Map<Integer, RelayPeer> peers = new ConcurrentHashMap<>();
    private final Coalescer coalescer = new Coalescer();
    private volatile int holder;
    private volatile boolean closed;

    RelayedReadout(WebRtcRelay relay, String id, DataRelay.Events events) {
        this.relay = relay;
        this.id = id;
        this.events = events;
    }

    String id() {
        return id;
    }

    int maxMessageBytes() {
        return relay.settings().maxMessageBytes();
    }

    // ---------------------------------------------------------------- from the hub (under the readout's lock: never
    // block)

    @Override
    public void signal(int peer, SignalKind kind, String payload) {
        onNative(() -> {
            if (closed) {
                return;
            }
            switch (kind) {
                case OFFER -> {
                    RelayPeer old = peers.remove(peer);
                    if (old != null) {
                        old.close();
                    }
                    RelayPeer p = new RelayPeer(this, peer, relay.factory(), relay.configuration());
                    peers.put(peer, p);
                    p.offer(payload);
                }
                case CANDIDATE -> {
                    RelayPeer p = peers.get(peer);
                    if (p == null) {
                        return;
                    }
                    try {
                        var c = IceCandidates.parse(payload);
                        if (!c.endOfCandidates()) {
                            p.candidate(c.toNative());
                        }
                    } catch (IllegalArgumentException e) {
                        refused(peer, "candidate", e.getMessage());
                    }
                }
                case ANSWER -> refused(peer, "signal", "the relay never offers, so it takes no answer");
            }
        });
    }

    @Override
    public void floor(int holder) {
        synchronized (coalescer) {
            if (holder != this.holder) {
                this.holder = holder;
                coalescer.reset();
            }
        }
    }

    @Override
    public void leave(int peer) {
        onNative(() -> {
            RelayPeer p = peers.remove(peer);
            if (p != null) {
                p.close();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        relay.forget(this);
        onNative(() -> {
            for (RelayPeer p : peers.values()) {
                p.close();
            }
            peers.clear();
        });
    }

    // ---------------------------------------------------------------- from webrtc-java's threads (never block)

    void receive(int peer, byte[] bytes) {
        if (peer != holder) {
            relay.count(WebRtcRelay.Counter.NOT_DRIVER);
            return;
        }
        PeerMessage m;
        try {
            m = relay.codec().decodePeer(bytes);
        } catch (DecodeException e) {
            relay.count(WebRtcRelay.Counter.MALFORMED);
            log.log(Level.WARNING, "readout {0}: relay dropped a message from peer {1}: {2}", id, peer, e.reason());
            return;
        }
        synchronized (coalescer) {
            if (peer != holder) { // the floor moved while we decoded
                relay.count(WebRtcRelay.Counter.NOT_DRIVER);
                return;
            }
            relay.count(WebRtcRelay.Counter.RECEIVED);
            if (!coalescer.offer(m, bytes)) {
                relay.count(WebRtcRelay.Counter.STALE);
            }
        }
    }

    void oversizedOrText(int peer, int size, boolean binary) {
        relay.count(WebRtcRelay.Counter.OVERSIZED);
        log.log(
                Level.WARNING,
                "readout {0}: relay dropped a {1} message of {2} bytes from peer {3}",
                id,
                binary ? "binary" : "text",
                size,
                peer);
    }

    void toParticipant(int peer, SignalKind kind, String payload) {
        if (!closed) {
            events.signal(peer, kind, payload);
        }
    }

    void refused(int peer, String what, String error) {
        log.log(Level.WARNING, "readout {0}: relay refused the {1} of peer {2}: {3}", id, what, peer, error);
    }

    void onNative(Runnable task) {
        relay.onNative(this, task);
    }

    /** Reports that webrtc-java failed for this readout: the hub falls back to the mesh. */
    void failed(String reason) {
        if (!closed) {
            events.failed(reason);
        }
    }

    // ---------------------------------------------------------------- on the native thread

    void opened(RelayPeer p) {
        int driver;
        List<byte[]> state;
        synchronized (coalescer) {
            driver = holder;
            state = coalescer.catchUp();
        }
        if (p.peer() != driver && driver != 0 && !state.isEmpty()) {
            relay.sendBatch(p, relay.codec().encodeBatch(driver, state));
        }
    }

    void drop(RelayPeer p) {
        if (peers.remove(p.peer(), p)) {
            p.close();
        }
    }

    /** One tick: the driver's news, as one batch to every other open channel. */
    void tick() {
        int driver;
        List<byte[]> news;
        synchronized (coalescer) {
            driver = holder;
            news = coalescer.takeTick();
        }
        if (news.isEmpty() || driver == 0 || closed) {
            return;
        }
        byte[] batch = relay.codec().encodeBatch(driver, news);
        relay.count(WebRtcRelay.Counter.BATCHES);
        for (RelayPeer p : peers.values()) {
            if (p.peer() != driver && p.isOpen()) {
                relay.sendBatch(p, batch);
            }
        }
    }
}
