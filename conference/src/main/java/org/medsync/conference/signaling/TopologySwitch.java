package org.medsync.conference.signaling;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.ServerMessage.Topology.Audio;
import org.medsync.conference.protocol.ServerMessage.Topology.Mode;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.readout.Readout;

/**
 * Chooses each readout's data path (docs/readout-protocol.md, "Topology"): the mesh up to {@code meshMax}
 * participants, the relay above, with audio on the SFU while the readout has a room there. Every change of either
 * path is announced with TOPOLOGY; chat, floor and worklist stay on the
 * WebSocket, and the driver sends a full view on the new path, so nothing is lost. A group that shrinks back to
 * the mesh size returns to the mesh only after it stayed that small for {@code returnDelay}: a participant whose
 * network drops rejoins within seconds, and without the delay every such drop would switch a group at the
 * threshold twice. A relay failure sends the readout back to the mesh at once and keeps it there for
 * {@link #RETRY_NANOS}. All methods but the relay's events and the delayed return run under the readout's lock.
 */
final class TopologySwitch {
    private static final System.Logger log = System.getLogger(TopologySwitch.class.getName());
    static final long RETRY_NANOS = 60_000_000_000L;
    /**
     * The refusal of an AUDIO message while the readout has no SFU room (none configured, or it failed). Browsers learn
     * the audio path from TOPOLOGY; this only answers a message that crossed the announcement.
     */
    static final ServerMessage.Error AUDIO_ON_MESH =
            new ServerMessage.Error("audio-unavailable", "no audio SFU for this readout; audio goes on the mesh");

    /** The hub's side: how to reach participants. */
    interface Peers {
        void send(Readout r, int peer, ServerMessage m);

        void broadcast(Readout r, ServerMessage m);

        /** The SFU refused a participant's audio request: ERROR to that participant, logged, not counted against it. */
        void refusedAudio(Readout r, int peer, String code, String detail);
    }

    /** What became of an AUDIO message. */
    enum AudioOutcome {
        TAKEN,
        NOT_RELAY,
        UNAVAILABLE
    }

    private static final class State {
        Mode mode = Mode.MESH;
        long epoch;
        DataRelay.Session session;
        /** The readout's audio room on the SFU while in relay mode; null on the mesh or when the SFU failed. */
        AudioSfu.Room audio;
        /** Whether {@code audio} mixes (it then stays a mixing room until the readout leaves the relay). */
        boolean mixed;
        /** When mixing failed to open: forwarding goes on, and mixing is tried again only after {@link #RETRY_NANOS}. */
        long mixFailedAt;

        boolean mixFailed;

        long failedAt;
        boolean failed;
        /** When the group last shrank to the mesh size while on the relay; valid while {@code shrinking}. */
        long shrunkAt;

        boolean shrinking;
    }

    private final DataRelay relay;
    private final AudioSfu sfu;
    private final int meshMax;
    private final int mixAbove;
    private final long returnDelayNanos;
    private final Peers peers;
    private final LongSupplier nanos;
    private final Map<Readout, State> states = new ConcurrentHashMap<>();

    TopologySwitch(
            DataRelay relay,
            AudioSfu sfu,
            int meshMax,
            int mixAbove,
            Duration returnDelay,
            Peers peers,
            LongSupplier nanos) {
        if (mixAbove < 0) {
            throw new IllegalArgumentException("the mixing threshold cannot be negative");
        }
        if (meshMax < 1) {
            throw new IllegalArgumentException("the mesh needs room for at least one participant");
        }
        if (returnDelay.isNegative()) {
            throw new IllegalArgumentException("the delay before returning to the mesh cannot be negative");
        }
        this.relay = relay;
        this.sfu = sfu;
        this.meshMax = meshMax;
        this.mixAbove = mixAbove;
        this.returnDelayNanos = returnDelay.toNanos();
        this.peers = peers;
        this.nanos = nanos;
    }

    /** A participant joined: switch if the group grew past the mesh, else tell the newcomer the current path. */
    void joined(Readout r, int peer) {
        State s = states.computeIfAbsent(r, x -> new State());
        if (!update(r, s) && !mixIfLarge(r, s)) {
            peers.send(r, peer, announcement(s));
            if (s.audio != null) {
                s.audio.join(peer);
            }
        }
    }

    void left(Readout r, int peer) {
        State s = states.get(r);
        if (s == null) {
            return;
        }
        if (s.session != null) {
            s.session.leave(peer);
        }
        if (s.audio != null) {
            s.audio.leave(peer);
        }
        if (r.size() == 0) {
            if (s.session != null) {
                s.session.close();
            }
            closeAudio(s);
            states.remove(r);
            return;
        }
        update(r, s);
    }

    void floor(Readout r) {
        State s = states.get(r);
        if (s != null && s.session != null) {
            s.session.floor(r.floor().holder());
        }
    }

    /** A SIGNAL addressed to the relay; false when this readout is not on the relay (the sender gets unknown-peer). */
    boolean signal(Readout r, int from, SignalKind kind, String payload) {
        State s = states.get(r);
        if (s == null || s.session == null) {
            return false;
        }
        s.session.signal(from, kind, payload);
        return true;
    }

    /**
     * An AUDIO message of {@code from} (already checked: its own feed, a valid leg and kind) for the readout's SFU room.
     *
     * @throws IllegalArgumentException for a candidate that is not JSON of RTCIceCandidateInit
     */
    AudioOutcome audio(Readout r, int from, AudioLeg leg, SignalKind kind, String payload) {
        State s = states.get(r);
        if (s == null || s.mode != Mode.RELAY) {
            return AudioOutcome.NOT_RELAY;
        }
        if (s.audio == null) {
            return AudioOutcome.UNAVAILABLE;
        }
        switch (kind) {
            case OFFER -> s.audio.publish(from, payload);
            case ANSWER -> s.audio.subscribed(from, payload);
            case CANDIDATE -> s.audio.candidate(from, leg, payload);
        }
        return AudioOutcome.TAKEN;
    }

    Mode mode(Readout r) {
        State s = states.get(r);
        return s == null ? Mode.MESH : s.mode;
    }

    /** Switches when the wanted path differs from the current one; true when it switched (and told everyone). */
    private boolean update(Readout r, State s) {
        boolean retry = !s.failed || nanos.getAsLong() - s.failedAt > RETRY_NANOS;
        boolean small = r.size() <= meshMax;
        Mode wanted = !small && retry ? Mode.RELAY : Mode.MESH;
        if (wanted == s.mode) {
            s.shrinking = false;
            return false;
        }
        if (s.mode == Mode.RELAY && small && retry && returnDelayNanos > 0) {
            long now = nanos.getAsLong();
            if (!s.shrinking) {
                s.shrinking = true;
                s.shrunkAt = now;
                returnLater(r, s);
                return false;
            }
            if (now - s.shrunkAt < returnDelayNanos) {
                return false;
            }
        }
        s.shrinking = false;
        if (wanted == Mode.RELAY) {
            try {
                DataRelay.Session[] self = new DataRelay.Session[1];
                self[0] = relay.open(r.id(), new DataRelay.Events() {
                    @Override
                    public void signal(int peer, SignalKind kind, String payload) {
                        peers.send(r, peer, new ServerMessage.Signal(Codec.RELAY_PEER, kind, payload));
                    }

                    @Override
                    public void failed(String reason) {
                        // From a relay thread: never take the readout's lock here (the relay may hold its own).
                        Thread.ofVirtual().name("relay-fallback-" + r.id()).start(() -> fallBack(r, self[0], reason));
                    }
                });
                s.session = self[0];
                s.session.floor(r.floor().holder());
                if (r.size() <= mixAbove || !openAudio(r, s, true)) {
                    openAudio(r, s, false);
                }
            } catch (DataRelay.RelayException | RuntimeException e) {
                log.log(
                        Level.ERROR,
                        "readout {0}: relay unavailable, staying on the mesh with {1} participants: {2}",
                        r.id(),
                        r.size(),
                        e.toString());
                s.failed = true;
                s.failedAt = nanos.getAsLong();
                return false;
            }
        } else {
            if (s.session != null) {
                s.session.close();
                s.session = null;
            }
            closeAudio(s);
        }
        s.mode = wanted;
        s.epoch++;
        log.log(
                Level.INFO,
                "readout {0}: {1} participants, view data now through the {2}",
                r.id(),
                r.size(),
                wanted == Mode.RELAY ? "relay" : "mesh");
        peers.broadcast(r, announcement(s));
        return true;
    }

    /** TOPOLOGY for the current paths: audio goes through the SFU exactly while the readout has a room on it. */
    private static ServerMessage.Topology announcement(State s) {
        return new ServerMessage.Topology(
                s.mode, s.epoch, s.audio == null ? Audio.MESH : s.mixed ? Audio.MIX : Audio.SFU);
    }

    /**
     * A forwarding room whose group grew above {@code mixAbove} becomes a mixing room, announced to all (true when
     * it did). It does not go back when the group shrinks: a lecture's audience comes and goes, and every change of
     * room costs everyone a moment of silence while the connections are made anew.
     */
    private boolean mixIfLarge(Readout r, State s) {
        if (s.audio == null || s.mixed || r.size() <= mixAbove) {
            return false;
        }
        if (s.mixFailed && nanos.getAsLong() - s.mixFailedAt <= RETRY_NANOS) {
            return false;
        }
        AudioSfu.Room forwarding = s.audio;
        if (!openAudio(r, s, true)) {
            s.audio = forwarding;
            s.mixFailed = true;
            s.mixFailedAt = nanos.getAsLong();
            return false;
        }
        forwarding.close();
        s.epoch++;
        log.log(Level.INFO, "readout {0}: {1} participants, audio now mixed by the server", r.id(), r.size());
        peers.broadcast(r, announcement(s));
        return true;
    }

    /** Re-checks after the return delay; a join in the meantime (the group outgrew the mesh again) cancels it. */
    private void returnLater(Readout r, State s) {
        Thread.ofVirtual().name("mesh-return-" + r.id()).start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(returnDelayNanos));
            } catch (InterruptedException e) {
                return;
            }
            synchronized (r.lock()) {
                if (states.get(r) == s && s.shrinking) {
                    update(r, s);
                }
            }
        });
    }

    /**
     * Opens the readout's audio room, forwarding or mixing; without it (no SFU, or it failed) the browsers keep their
     * audio on the mesh. False when it could not be opened ({@code s.audio} is then null).
     */
    private boolean openAudio(Readout r, State s, boolean mixed) {
        s.audio = null;
        s.mixed = false;
        if (sfu == null) {
            return false;
        }
        try {
            AudioSfu.Room[] self = new AudioSfu.Room[1];
            AudioSfu.Events events = new AudioSfu.Events() {
                @Override
                public void send(int peer, ServerMessage.Audio m) {
                    peers.send(r, peer, m);
                }

                @Override
                public void refused(int peer, String detail) {
                    peers.refusedAudio(r, peer, "audio-refused", detail);
                }

                @Override
                public void failed(String reason) {
                    Thread.ofVirtual().name("audio-fallback-" + r.id()).start(() -> audioFailed(r, self[0], reason));
                }

                @Override
                public void speaking(Set<Integer> talking) {
                    // The room's own thread, holding no lock of the room's: the readout's lock orders it with ROSTER.
                    synchronized (r.lock()) {
                        State now = states.get(r);
                        if (now != null && now.audio == self[0]) {
                            peers.broadcast(r, new ServerMessage.Speaking(List.copyOf(new TreeSet<>(talking))));
                        }
                    }
                }
            };
            self[0] = mixed ? sfu.openMix(r.id(), events) : sfu.open(r.id(), events);
            s.audio = self[0];
            s.mixed = mixed;
            for (Readout.Participant p : r.participants()) {
                s.audio.join(p.peer);
            }
            return true;
        } catch (DataRelay.RelayException | RuntimeException e) {
            log.log(
                    Level.ERROR,
                    "readout {0}: audio {1} unavailable: {2}",
                    r.id(),
                    mixed ? "mixer" : "SFU, audio stays on the mesh",
                    e.toString());
            return false;
        }
    }

    private static void closeAudio(State s) {
        if (s.audio != null) {
            s.audio.close();
            s.audio = null;
            s.mixed = false;
        }
    }

    private void audioFailed(Readout r, AudioSfu.Room failed, String reason) {
        synchronized (r.lock()) {
            State s = states.get(r);
            if (s == null || s.audio != failed || failed == null) {
                return;
            }
            log.log(Level.ERROR, "readout {0}: audio SFU failed ({1}); audio back on the mesh", r.id(), reason);
            closeAudio(s);
            s.epoch++;
            peers.broadcast(r, announcement(s));
        }
    }

    private void fallBack(Readout r, DataRelay.Session failed, String reason) {
        synchronized (r.lock()) {
            State s = states.get(r);
            if (s == null || s.session != failed || failed == null) {
                return;
            }
            log.log(
                    Level.ERROR,
                    "readout {0}: relay failed ({1}); back to the mesh for {2} participants",
                    r.id(),
                    reason,
                    r.size());
            s.failed = true;
            s.failedAt = nanos.getAsLong();
            update(r, s);
        }
    }
}
