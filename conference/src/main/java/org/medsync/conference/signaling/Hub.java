package org.medsync.conference.signaling;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.medsync.conference.floor.Floor;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.DecodeException;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;

/**
 * The signaling server of readouts, independent of the transport: it assigns peer ids, relays WebRTC signals
 * only to the addressed peer with the sender stamped, arbitrates the floor, keeps chat, worklist position and
 * the driver's latest view for late joiners, and refuses (and logs) what docs/readout-protocol.md forbids
 * without disturbing anyone else.
 */
public final class Hub {
    private static final System.Logger log = System.getLogger(Hub.class.getName());

    /**
     * Who connects, as authenticated by the server. A guest (admitted by an invite, without an account) has a user
     * name that starts with {@link #GUEST_PREFIX}, which no account name can (they start with a letter or digit):
     * the mark travels with the name, also across the bridge between nodes.
     */
    public record Identity(String username, String displayName, ReadoutRole role) {
        public static final String GUEST_PREFIX = "~guest-";

        public boolean guest() {
            return username.startsWith(GUEST_PREFIX);
        }
    }

    /**
     * Hub limits; {@link #DEFAULT} documents the defaults. {@code maxGuests} of the {@code maxParticipants} seats
     * may be taken by guests, so that guests cannot fill a readout.
     */
    public record Settings(
            int maxParticipants,
            int maxGuests,
            int sendQueue,
            double messagesPerSecond,
            double burst,
            int maxViolations) {
        public static final Settings DEFAULT = new Settings(16, 14, 256, 60, 240, 50);
    }

    /** A refused message, kept (the last 200) for operators and tests. */
    public record Rejection(String readoutId, int peer, String code, String detail) {}

    /** One connected participant; the server keeps it with its socket. */
    public final class Connection {
        private final Readout readout;
        private final Readout.Participant participant;
        private final Outbox outbox;
        private final Link link;
        private final RateLimit rate;
        private int violations;
        private long lastRateError;
        private volatile boolean gone;

        private Connection(Readout readout, Readout.Participant participant, Link link) {
            this.readout = readout;
            this.participant = participant;
            this.link = link;
            this.outbox = new Outbox(
                    link,
                    settings.sendQueue(),
                    "readout-" + readout.id() + "-" + participant.peer,
                    () -> disconnect(this));
            this.rate = new RateLimit(settings.messagesPerSecond(), settings.burst(), nanos.getAsLong());
        }

        public int peer() {
            return participant.peer;
        }

        public Readout readout() {
            return readout;
        }
    }

    private final Codec codec;
    private final Settings settings;
    private final Clock clock;
    private final LongSupplier nanos;
    private final Function<Identity, List<ServerMessage.IceServer>> iceServers;
    private final Map<Readout, Map<Integer, Connection>> connections = new ConcurrentHashMap<>();
    private final Deque<Rejection> rejections = new ArrayDeque<>();
    private volatile TopologySwitch topology;

    public Hub(
            Codec codec,
            Settings settings,
            Clock clock,
            LongSupplier nanos,
            Function<Identity, List<ServerMessage.IceServer>> iceServers) {
        this.codec = codec;
        this.settings = settings;
        this.clock = clock;
        this.nanos = nanos;
        this.iceServers = iceServers;
    }

    /**
     * Sends the view data of readouts with more than {@code meshMax} participants through {@code relay} instead
     * of the mesh, and their audio through {@code audio} (null: audio stays on the mesh): docs/readout-protocol.md,
     * "Topology" and "Audio in relay mode". A group that shrinks back to {@code meshMax} returns to the mesh once it
     * stayed that small for {@code returnDelay} (zero: at once). Call once, before the first participant connects.
     */
    public void attachRelay(DataRelay relay, AudioSfu audio, int meshMax, Duration returnDelay) {
        attachRelay(relay, audio, meshMax, Integer.MAX_VALUE, returnDelay);
    }

    /**
     * As {@link #attachRelay(DataRelay, AudioSfu, int, Duration)}, and readouts on the relay with more than {@code
     * mixAbove} participants get their audio mixed by {@code audio} ({@link AudioSfu#openMix}) instead of forwarded:
     * each participant then receives one stream whatever the group's size (0: always mixed on the relay).
     */
    public void attachRelay(DataRelay relay, AudioSfu audio, int meshMax, int mixAbove, Duration returnDelay) {
        topology = new TopologySwitch(
                relay,
                audio,
                meshMax,
                mixAbove,
                returnDelay,
                new TopologySwitch.Peers() {
                    @Override
                    public void send(Readout r, int peer, ServerMessage m) {
                        Connection c = peers(r).get(peer);
                        if (c != null && !c.gone) {
                            Hub.this.send(c, m);
                        }
                    }

                    @Override
                    public void broadcast(Readout r, ServerMessage m) {
                        Hub.this.broadcast(r, m);
                    }

                    @Override
                    public void refusedAudio(Readout r, int peer, String code, String detail) {
                        synchronized (r.lock()) {
                            Connection c = peers(r).get(peer);
                            reject(r, peer, code, detail);
                            if (c != null && !c.gone) {
                                Hub.this.send(
                                        c,
                                        new ServerMessage.Error(
                                                code, detail.length() > 200 ? detail.substring(0, 200) : detail));
                            }
                        }
                    }
                },
                nanos);
    }

    /** Admits a participant: assigns its peer id, sends WELCOME, tells everyone the new roster. Null when full. */
    public Connection connect(Readout readout, Identity who, Link link) {
        synchronized (readout.lock()) {
            if (readout.size() >= settings.maxParticipants()) {
                reject(readout, 0, "readout-full", who.username());
                link.close(1008, "readout full");
                return null;
            }
            if (who.guest()
                    && readout.participants().stream().filter(q -> q.guest).count() >= settings.maxGuests()) {
                reject(readout, 0, "guest-seats-full", who.username());
                link.close(1008, "all guest seats are taken");
                return null;
            }
            Readout.Participant p = readout.join(who.username(), who.displayName(), who.role(), who.guest());
            Connection c = new Connection(readout, p, link);
            connections.computeIfAbsent(readout, r -> new ConcurrentHashMap<>()).put(p.peer, c);
            send(
                    c,
                    new ServerMessage.Welcome(
                            p.peer,
                            readout.id(),
                            who.role().wireName(),
                            iceServers.apply(who),
                            worklistFor(readout, who.role()),
                            readout.worklistIndex(),
                            readout.floorMessage(),
                            readout.chatHistoryFor(who.role()),
                            readout.snapshot()));
            // TOPOLOGY before ROSTER: in relay mode a newcomer builds no mesh, so it must know the path first.
            if (topology != null) {
                topology.joined(readout, p.peer);
            }
            broadcast(readout, readout.roster());
            log.log(
                    Level.INFO,
                    "readout {0}: peer {1} ({2}) joined",
                    readout.id(),
                    p.peer,
                    who.role().wireName());
            return c;
        }
    }

    /** The worklist as {@code role} may see it: labels are the organizer's free text and may name the patient. */
    private static List<ServerMessage.WorklistItem> worklistFor(Readout readout, ReadoutRole role) {
        if (!role.seesDeidentified()) {
            return readout.worklist();
        }
        return readout.worklist().stream()
                .map(i -> new ServerMessage.WorklistItem(i.source(), i.studyInstanceUid(), ""))
                .toList();
    }

    /** The transport closed (or we closed it): the participant leaves, the floor frees itself if they drove. */
    public void disconnect(Connection c) {
        Readout readout = c.readout;
        synchronized (readout.lock()) {
            if (c.gone) {
                return;
            }
            c.gone = true;
            c.outbox.close();
            Map<Integer, Connection> peers = connections.get(readout);
            if (peers != null) {
                peers.remove(c.peer());
            }
            readout.leave(c.peer());
            if (readout.floor().leave(c.peer()) instanceof Floor.Outcome.Changed) {
                broadcast(readout, readout.floorMessage());
                relayFloor(readout);
            }
            broadcast(readout, readout.roster());
            if (topology != null) {
                topology.left(readout, c.peer());
            }
            log.log(Level.INFO, "readout {0}: peer {1} left", readout.id(), c.peer());
        }
    }

    /**
     * Closes every participant of a readout (e.g. 1012 when this node stops being its home): each leaves as if
     * its transport had closed, and reconnects wherever the readout now runs.
     */
    public void evict(Readout readout, int code, String reason) {
        synchronized (readout.lock()) {
            for (Connection c : List.copyOf(peers(readout).values())) {
                c.link.close(code, reason);
                disconnect(c);
            }
            connections.remove(readout);
        }
    }

    /** One binary message from a participant. */
    public void onMessage(Connection c, byte[] data) {
        Readout readout = c.readout;
        synchronized (readout.lock()) {
            if (c.gone) {
                return;
            }
            if (!c.rate.tryTake(nanos.getAsLong())) {
                long now = nanos.getAsLong();
                if (now - c.lastRateError > 1_000_000_000L) {
                    c.lastRateError = now;
                    refuse(c, "rate-limited", "more than " + settings.messagesPerSecond() + " messages a second");
                } else {
                    violation(c);
                }
                return;
            }
            ClientMessage m;
            try {
                m = codec.decodeClient(data);
            } catch (DecodeException e) {
                if (e.reason() == DecodeException.Reason.TOO_LARGE
                        && data.length > codec.limits().maxMessageBytes()) {
                    refuse(c, "too-large", e.getMessage());
                } else {
                    refuse(c, "malformed", e.getMessage());
                }
                return;
            }
            handle(c, m);
        }
    }

    /** The transport refused a message before it reached us (e.g. over the frame size limit). */
    public void onOversized(Connection c, long size) {
        synchronized (c.readout.lock()) {
            refuse(c, "too-large", size + " bytes");
        }
    }

    private void handle(Connection c, ClientMessage m) {
        Readout r = c.readout;
        int me = c.peer();
        switch (m) {
            case ClientMessage.Signal s
            when s.to() == Codec.RELAY_PEER -> {
                // A candidate may trail its connection across a switch back to the mesh: dropped without a refusal.
                if ((topology == null || !topology.signal(r, me, s.kind(), s.payload()))
                        && s.kind() != SignalKind.CANDIDATE) {
                    refuse(c, "unknown-peer", "this readout is not on the relay");
                }
            }
            case ClientMessage.Signal s -> {
                Connection to = peers(r).get(s.to());
                if (to == null || s.to() == me) {
                    refuse(c, "unknown-peer", "no peer " + s.to());
                    return;
                }
                send(to, new ServerMessage.Signal(me, s.kind(), s.payload()));
            }
            case ClientMessage.Audio a -> audio(c, a);
            case ClientMessage.FloorRequest q ->
                floor(
                        c,
                        r.floor().request(me, c.participant.role.mayDrive(), q.take(), c.participant.role.mayTake()),
                        "role " + c.participant.role.wireName() + (q.take() ? " taking" : ""));
            case ClientMessage.FloorRelease q ->
                floor(
                        c,
                        r.floor().release(me),
                        "the driver is peer " + r.floor().holder());
            case ClientMessage.FloorHandOver h -> {
                Readout.Participant to = r.participant(h.to());
                floor(
                        c,
                        r.floor().handOver(me, h.to(), to != null && to.role.mayDrive(), to != null),
                        to == null
                                ? "no peer " + h.to()
                                : r.floor().holder() != me
                                        ? "the driver is peer " + r.floor().holder()
                                        : "peer " + h.to() + " is " + to.role.wireName());
            }
            // Name, role and guest mark come from the sender's authenticated identity, never from the message.
            case ClientMessage.Chat ch -> broadcast(r, r.addChat(c.participant, clock.millis(), ch.text()));
            case ClientMessage.WorklistGoto g -> {
                if (r.floor().holder() != me) {
                    refuse(c, "not-driver", "only the driver moves the worklist");
                } else if (g.index() >= r.worklist().size()) {
                    refuse(c, "bad-index", "worklist has " + r.worklist().size() + " studies");
                } else {
                    r.moveTo(g.index());
                    broadcast(r, new ServerMessage.Worklist(g.index()));
                }
            }
            case ClientMessage.Status s -> {
                r.status(me, s.worklistIndex(), s.ready(), s.following(), s.muted());
                broadcast(r, r.roster());
            }
            case ClientMessage.Snapshot s -> {
                if (r.floor().holder() != me) {
                    refuse(c, "not-driver", "only the driver's view is kept");
                } else if (s.view().view().worklistIndex() != r.worklistIndex()) {
                    refuse(
                            c,
                            "bad-index",
                            "snapshot of worklist entry " + s.view().view().worklistIndex() + ", readout is at "
                                    + r.worklistIndex());
                } else {
                    r.snapshot(s.view());
                }
            }
        }
    }

    /**
     * AUDIO for the SFU (docs/readout-protocol.md, "Audio in relay mode"): a participant publishes only its own feed
     * and subscribes only as itself, in its own readout's room (the only one its connection reaches).
     */
    private void audio(Connection c, ClientMessage.Audio a) {
        int me = c.peer();
        if (a.feed() != me) {
            refuse(
                    c,
                    "audio-not-yours",
                    "peer " + me + " sent audio for feed " + a.feed()
                            + "; a participant publishes and subscribes only as itself");
            return;
        }
        boolean allowed = a.leg() == AudioLeg.PUBLISH ? a.kind() != SignalKind.ANSWER : a.kind() != SignalKind.OFFER;
        if (!allowed) {
            refuse(
                    c,
                    "audio-bad-kind",
                    a.leg().name().toLowerCase(Locale.ROOT) + " leg takes no "
                            + a.kind().name().toLowerCase(Locale.ROOT)
                            + " (publish: offer, candidate; subscribe: answer, candidate)");
            return;
        }
        if (a.kind() != SignalKind.CANDIDATE) {
            String problem = sdpProblem(a.payload(), a.leg());
            if (problem != null) {
                refuse(c, "audio-bad-jsep", problem);
                return;
            }
        }
        TopologySwitch.AudioOutcome outcome;
        try {
            outcome = topology == null
                    ? TopologySwitch.AudioOutcome.NOT_RELAY
                    : topology.audio(c.readout, me, a.leg(), a.kind(), a.payload());
        } catch (IllegalArgumentException e) {
            refuse(c, "audio-bad-jsep", e.getMessage());
            return;
        }
        switch (outcome) {
            case TAKEN -> {}
            // A candidate may trail its connection across a switch back to the mesh: dropped without a refusal.
            case NOT_RELAY -> {
                if (a.kind() != SignalKind.CANDIDATE) {
                    refuse(c, "audio-not-relay", "this readout's audio is on the mesh");
                }
            }
            case UNAVAILABLE -> {
                if (a.kind() != SignalKind.CANDIDATE) {
                    reject(c.readout, me, "audio-unavailable", "no audio SFU for this readout");
                    send(c, TopologySwitch.AUDIO_ON_MESH);
                }
            }
        }
    }

    /** Why {@code sdp} is no session description the SFU should see (null: it is one); publish offers carry audio only. */
    static String sdpProblem(String sdp, AudioLeg leg) {
        if (!sdp.startsWith("v=0\r\n") && !sdp.startsWith("v=0\n")) {
            return "not an SDP (it must start with v=0)";
        }
        int media = 0;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                media++;
                if (!line.startsWith("m=audio ")) {
                    return "media section " + media + " is not audio; the SFU carries audio only";
                }
            }
        }
        if (media == 0) {
            return "no audio media section";
        }
        if (leg == AudioLeg.PUBLISH && media > 1) {
            return media + " media sections; a participant publishes one microphone";
        }
        return null;
    }

    /** Broadcasts a changed floor; a refusal goes back with {@code refusalDetail} (a refused action changed nothing). */
    private void floor(Connection c, Floor.Outcome outcome, String refusalDetail) {
        switch (outcome) {
            case Floor.Outcome.Changed ch -> {
                broadcast(c.readout, c.readout.floorMessage());
                relayFloor(c.readout);
            }
            case Floor.Outcome.Unchanged u -> send(c, c.readout.floorMessage());
            case Floor.Outcome.Refused f ->
                refuse(c, "floor-" + f.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), refusalDetail);
        }
    }

    private void relayFloor(Readout r) {
        if (topology != null) {
            topology.floor(r);
        }
    }

    private void refuse(Connection c, String code, String detail) {
        reject(c.readout, c.peer(), code, detail);
        send(c, new ServerMessage.Error(code, detail.length() > 200 ? detail.substring(0, 200) : detail));
        violation(c);
    }

    private void violation(Connection c) {
        if (++c.violations > settings.maxViolations()) {
            reject(c.readout, c.peer(), "closed", "too many refused messages");
            c.link.close(1008, "too many refused messages");
            disconnect(c);
        }
    }

    private void reject(Readout r, int peer, String code, String detail) {
        log.log(Level.WARNING, "readout {0}: refused from peer {1}: {2} ({3})", r.id(), peer, code, detail);
        synchronized (rejections) {
            rejections.addLast(new Rejection(r.id(), peer, code, detail));
            while (rejections.size() > 200) {
                rejections.removeFirst();
            }
        }
    }

    /** The most recent refusals, oldest first. */
    public List<Rejection> rejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    private Map<Integer, Connection> peers(Readout r) {
        return connections.getOrDefault(r, Map.of());
    }

    private void send(Connection c, ServerMessage m) {
        c.outbox.offer(codec.encode(m));
    }

    private void broadcast(Readout r, ServerMessage m) {
        byte[] bytes = codec.encode(m);
        for (Connection c : List.copyOf(peers(r).values())) {
            if (!c.gone) {
                c.outbox.offer(bytes);
            }
        }
    }
}
