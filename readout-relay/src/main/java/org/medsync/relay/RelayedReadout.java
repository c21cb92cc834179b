package org.medsync.relay;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.DecodeException;
import org.medsync.conference.protocol.PeerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.signaling.DataRelay;
import org.medsync.relay.RelayCounters.Counter;

/**
 * One readout on the relay: a {@link RelayPeer} per participant that connected, the floor holder (from the hub),
 * and the {@link Coalescer} of the holder's messages. Messages from anyone else, malformed or too large are
 * dropped (and counted; malformed and oversized ones logged). Each tick the news go to every other open
 * channel as one BATCH.
 */
final class RelayedReadout implements DataRelay.Session, RelayPeer.Listener {
    private static final System.Logger log = System.getLogger(RelayedReadout.class.getName());

    /** What a readout needs from the relay that runs it: its native thread and the native objects made there. */
    interface Runner {
        /** Runs {@code task} on the native thread; an exception there sends {@code readout} back to the mesh. */
        void onNative(RelayedReadout readout, Runnable task);

        PeerConnectionFactory factory();

        RTCConfiguration configuration();

        /** The readout closed: the relay ticks it no more. */
        void closed(RelayedReadout readout);
    }

    private final String id;
    private final DataRelay.Events events;
    private final Runner runner;
    private final Codec codec;
    private final int maxMessageBytes;
    private final RelayCounters counters;
    private final Map<Integer, RelayPeer> peers = new ConcurrentHashMap<>();
    private final Coalescer coalescer = new Coalescer();
    private volatile int holder;
    private volatile boolean closed;

    RelayedReadout(
            String id,
            DataRelay.Events events,
            Runner runner,
            Codec codec,
            int maxMessageBytes,
            RelayCounters counters) {
        this.id = id;
        this.events = events;
        this.runner = runner;
        this.codec = codec;
        this.maxMessageBytes = maxMessageBytes;
        this.counters = counters;
    }

    String id() {
        return id;
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
                    RelayPeer p =
                            new RelayPeer(this, id, peer, maxMessageBytes, runner.factory(), runner.configuration());
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
        runner.closed(this);
        onNative(() -> {
            for (RelayPeer p : peers.values()) {
                p.close();
            }
            peers.clear();
        });
    }

    // ---------------------------------------------------------------- from webrtc-java's threads (never block)

    @Override
    public void received(int peer, byte[] bytes) {
        if (peer != holder) {
            counters.count(Counter.NOT_DRIVER);
            return;
        }
        PeerMessage m;
        try {
            m = codec.decodePeer(bytes);
        } catch (DecodeException e) {
            counters.count(Counter.MALFORMED);
            log.log(Level.WARNING, "readout {0}: relay dropped a message from peer {1}: {2}", id, peer, e.reason());
            return;
        }
        synchronized (coalescer) {
            if (peer != holder) { // the floor moved while we decoded
                counters.count(Counter.NOT_DRIVER);
                return;
            }
            counters.count(Counter.RECEIVED);
            if (!coalescer.offer(m, bytes)) {
                counters.count(Counter.STALE);
            }
        }
    }

    @Override
    public void dropped(int peer, int size, boolean binary) {
        counters.count(Counter.OVERSIZED);
        log.log(
                Level.WARNING,
                "readout {0}: relay dropped a {1} message of {2} bytes from peer {3}",
                id,
                binary ? "binary" : "text",
                size,
                peer);
    }

    @Override
    public void toParticipant(int peer, SignalKind kind, String payload) {
        if (!closed) {
            events.signal(peer, kind, payload);
        }
    }

    @Override
    public void refused(int peer, String what, String error) {
        log.log(Level.WARNING, "readout {0}: relay refused the {1} of peer {2}: {3}", id, what, peer, error);
    }

    @Override
    public void onNative(Runnable task) {
        runner.onNative(this, task);
    }

    /** Reports that webrtc-java failed for this readout: the hub falls back to the mesh. */
    void failed(String reason) {
        if (!closed) {
            events.failed(reason);
        }
    }

    // ---------------------------------------------------------------- on the native thread

    @Override
    public void opened(RelayPeer p) {
        int driver;
        List<byte[]> state;
        synchronized (coalescer) {
            driver = holder;
            state = coalescer.catchUp();
        }
        if (p.peer() != driver && driver != 0 && !state.isEmpty()) {
            send(p, codec.encodeBatch(driver, state));
        }
    }

    @Override
    public void connectionFailed(RelayPeer p) {
        log.log(Level.WARNING, "readout {0}: relay connection to peer {1} failed", id, p.peer());
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
        byte[] batch = codec.encodeBatch(driver, news);
        counters.count(Counter.BATCHES);
        for (RelayPeer p : peers.values()) {
            if (p.peer() != driver && p.isOpen()) {
                send(p, batch);
            }
        }
    }

    private void send(RelayPeer p, byte[] batch) {
        counters.count(p.send(batch) ? Counter.SENDS : Counter.SEND_FAILURES);
    }
}
