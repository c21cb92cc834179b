package org.medsync.server.readout.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.signaling.AudioSfu;
import org.medsync.conference.signaling.DataRelay;
import org.medsync.relay.IceCandidates;
import org.medsync.server.janus.EmbeddedJanus;
import org.medsync.server.janus.JanusException;
import org.medsync.server.janus.JanusSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readout audio in relay mode through Janus's VideoRoom, used audio-only as an SFU: it forwards each participant's
 * Opus packets to the others without decoding (docs/architecture.md, "Audio"). One room per readout, created with
 * a secret and a pin only this server knows; Janus feed id = our peer id, display = the peer id (no names). The
 * browsers never reach Janus's API: their JSEP goes through the signaling socket and the hub, which lets a
 * participant publish and subscribe only as itself. All Janus calls of a room run one at a time on its own thread,
 * in the order the participants' messages arrived.
 */
public final class JanusAudioSfu implements AudioSfu, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JanusAudioSfu.class);
    private static final String VIDEOROOM = "janus.plugin.videoroom";
    private static final String AUDIOBRIDGE = "janus.plugin.audiobridge";
    /**
     * AudioBridge's talk detection: a participant talks when the average level of its last 10 packets (0.2 s, or about 4 s of Opus DTX silence; the
     * plugin's default is 2 s) is above -40 dBov (its default, -25, misses quiet speakers on laptop microphones).
     */
    private static final int TALK_PACKETS = 10;

    private static final int TALK_LEVEL_DBOV = 40;
    /** Publishers joining within this time share one subscription update. */
    private static final long RESUBSCRIBE_DELAY_MS = 250;

    private final AudioSfuSettings settings;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("janus-timer").factory());
    private final Set<RoomWorker> rooms = ConcurrentHashMap.newKeySet();
    private EmbeddedJanus embedded;
    private boolean closed;

    public JanusAudioSfu(AudioSfuSettings settings) {
        this.settings = settings;
    }

    /** The Janus API to use: the configured one, or the embedded Janus, started on first use (restarted if it died). */
    synchronized Endpoint endpoint() throws JanusException {
        if (closed) {
            throw new JanusException("the audio SFU is shut down");
        }
        if (settings.url() != null) {
            return new Endpoint(settings.url(), settings.apiSecret());
        }
        if (embedded != null && !(embedded.alive() && embedded.answers(http))) {
            log.error("audio SFU: embedded Janus died, starting a new one: {}", embedded.logTail());
            embedded.close();
            embedded = null;
        }
        if (embedded == null) {
            embedded = EmbeddedJanus.start(
                    new EmbeddedJanus.Options(
                            settings.janus(),
                            settings.rtpMin(),
                            settings.rtpMax(),
                            settings.interfaces(),
                            List.of(EmbeddedJanus.VIDEOROOM, EmbeddedJanus.AUDIOBRIDGE),
                            0,
                            0,
                            "audio SFU"),
                    http);
        }
        return new Endpoint(embedded.api(), embedded.apiSecret());
    }

    record Endpoint(URI api, String apiSecret) {}

    /** The Janus room id of one of our rooms (tests look the room up on Janus). */
    static long roomId(Room room) {
        return ((RoomWorker) room).roomId;
    }

    /** The embedded Janus's process id while it runs (tests check it is stopped), else -1. */
    public synchronized long embeddedPid() {
        return embedded != null && embedded.alive() ? embedded.pid() : -1;
    }

    @Override
    public Room open(String readoutId, Events events) throws DataRelay.RelayException {
        refuseIfClosed();
        JanusRoom room = new JanusRoom(readoutId, events);
        rooms.add(room);
        room.start();
        return room;
    }

    private synchronized void refuseIfClosed() throws DataRelay.RelayException {
        if (closed) {
            throw new DataRelay.RelayException("the audio SFU is shut down", null);
        }
    }

    /**
     * A mixing room on Janus's AudioBridge: each participant's one connection carries its microphone up and the mix
     * of everyone else's (minus its own voice) down, so what a participant downloads does not grow with the group.
     * AudioBridge decodes every stream and encodes one mix per participant; a participant that sends nothing (muted,
     * no microphone, Opus DTX in silence) costs it no decoding.
     */
    @Override
    public Room openMix(String readoutId, Events events) throws DataRelay.RelayException {
        refuseIfClosed();
        MixRoom room = new MixRoom(readoutId, events);
        rooms.add(room);
        room.start();
        return room;
    }

    /**
     * Who is in a readout's mixing room as Janus itself lists them (diagnostics, and tests that check the server
     * removed a participant); empty when the readout has no mixing room.
     */
    public Set<Integer> mixParticipants(String readoutId) throws JanusException {
        for (RoomWorker r : rooms) {
            if (r instanceof MixRoom m && m.readoutId.equals(readoutId)) {
                return m.listParticipants();
            }
        }
        return Set.of();
    }

    /** Destroys every room and stops the embedded Janus. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (RoomWorker r : List.copyOf(rooms)) {
            r.close();
            r.awaitClosed();
        }
        timer.shutdownNow();
        synchronized (this) {
            if (embedded != null) {
                embedded.close();
                embedded = null;
            }
        }
    }

    /** What one participant has in the room. */
    private static final class Member {
        JanusSession.Handle publisher;
        JanusSession.Handle subscriber;
        /** The feeds its current subscription carries. */
        Set<Integer> subscribed = Set.of();
        /** Whether the browser answered the subscriber's latest offer (only then can it grow in place). */
        boolean started;

        boolean published;
    }

    /**
     * What both kinds of room share: one room on Janus with a secret and a pin only this server knows, and one worker
     * thread that runs the room's Janus calls one at a time, in the order the participants' messages arrived.
     */
    private abstract class RoomWorker implements Room {
        final String readoutId;
        final Events events;
        final ExecutorService worker;
        final long roomId = 1 + (random.nextLong() >>> 12); // below 2^52: exact in a JSON number anywhere
        final String secret = token();
        final String pin = token();
        JanusSession session;
        JanusSession.Handle control;
        private boolean broken;

        RoomWorker(String readoutId, Events events) {
            this.readoutId = readoutId;
            this.events = events;
            this.worker = Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("janus-room-" + readoutId).factory());
        }

        private String token() {
            byte[] raw = new byte[16];
            random.nextBytes(raw);
            return HexFormat.of().formatHex(raw);
        }

        /** Opens the session and creates the room with {@code plugin}'s {@code create} request. */
        void create(String plugin, ObjectNode create) throws JanusException {
            Endpoint e = endpoint();
            session = JanusSession.create(http, e.api(), e.apiSecret(), settings.timeout());
            control = session.attach(plugin, this::sessionEvent);
            control.message(
                    create.put("request", "create")
                            .put("room", roomId)
                            .put("secret", secret)
                            .put("pin", pin),
                    null);
        }

        void sessionEvent(JsonNode event) {
            if (event.path("janus").asText().equals("gone")) {
                run("janus gone", () -> fail("Janus went away"));
            }
        }

        @Override
        public void close() {
            if (!rooms.remove(this)) {
                return; // closed already (the readout and the server's shutdown may both close it)
            }
            worker.execute(() -> {
                if (session != null && !session.closed()) {
                    try {
                        if (control != null) {
                            control.message(
                                    JanusSession.JSON
                                            .createObjectNode()
                                            .put("request", "destroy")
                                            .put("room", roomId)
                                            .put("secret", secret),
                                    null);
                        }
                    } catch (JanusException e) {
                        log.debug("readout {}: destroying audio room: {}", readoutId, e.getMessage());
                    }
                    session.close();
                }
                forget();
                log.info("readout {}: audio room {} closed", readoutId, roomId);
            });
            worker.shutdown();
        }

        /** Drops what the room remembers of its participants (the room is gone). */
        abstract void forget();

        void awaitClosed() {
            try {
                worker.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void refused(int peer, String what, JanusException e) {
            log.warn("readout {}: Janus refused {} of peer {}: {}", readoutId, what, peer, e.getMessage());
            events.refused(peer, what + ": " + e.getMessage());
        }

        void fail(String reason) {
            if (!broken) {
                broken = true;
                events.failed(reason);
            }
        }

        /**
         * Adds a peer's ICE candidate to its handle; none when the candidate trails a connection already replaced. A
         * refusal only loses that candidate, so it is logged, not failed.
         */
        void trickle(int peer, JanusSession.Handle h, JsonNode candidate) {
            if (h == null) {
                return;
            }
            try {
                h.trickle(candidate);
            } catch (JanusException e) {
                log.debug("readout {}: trickle of peer {} dropped: {}", readoutId, peer, e.getMessage());
            }
        }

        void run(String what, JanusWork work) {
            try {
                worker.execute(() -> {
                    if (broken) {
                        return;
                    }
                    try {
                        work.run();
                    } catch (JanusException | RuntimeException e) {
                        log.error("readout {}: audio SFU failed at {}: {}", readoutId, what, e.toString());
                        fail(what + ": " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                // the room is closed: late messages have nothing to go to
            }
        }
    }

    private interface JanusWork {
        void run() throws JanusException;
    }

    private final class JanusRoom extends RoomWorker {
        private final Map<Integer, Member> members = new HashMap<>();
        private boolean resubscribeQueued;

        JanusRoom(String readoutId, Events events) {
            super(readoutId, events);
        }

        void start() {
            run("create room", () -> {
                ObjectNode create = JanusSession.JSON
                        .createObjectNode()
                        .put("is_private", true)
                        .put("permanent", false)
                        .put("publishers", 64)
                        .put("audiocodec", "opus")
                        .put("description", "readout audio")
                        .put("notify_joining", false);
                create(VIDEOROOM, create);
                log.info("readout {}: audio room {} open on Janus", readoutId, roomId);
            });
        }

        @Override
        void forget() {
            members.clear();
        }

        @Override
        public void join(int peer) {
            run("join", () -> {
                members.computeIfAbsent(peer, p -> new Member());
                resubscribe(peer);
            });
        }

        @Override
        public void publish(int peer, String offerSdp) {
            run("publish", () -> {
                Member m = members.computeIfAbsent(peer, p -> new Member());
                if (m.publisher != null) {
                    m.publisher.detach();
                    m.publisher = null;
                    if (m.published) {
                        m.published = false;
                        queueResubscribe();
                    }
                }
                JanusSession.Handle[] self = new JanusSession.Handle[1];
                self[0] = session.attach(VIDEOROOM, ev -> publisherEvent(peer, self[0], ev));
                m.publisher = self[0];
                ObjectNode join = JanusSession.JSON
                        .createObjectNode()
                        .put("request", "joinandconfigure")
                        .put("room", roomId)
                        .put("pin", pin)
                        .put("ptype", "publisher")
                        .put("id", peer)
                        .put("display", String.valueOf(peer));
                JsonNode r;
                try {
                    r = self[0].message(join, jsep("offer", offerSdp));
                } catch (JanusException e) {
                    refused(peer, "publish", e);
                    return;
                }
                String answer = r.path("jsep").path("sdp").asText("");
                if (answer.isEmpty()) {
                    events.refused(peer, "publish: Janus gave no answer");
                    return;
                }
                events.send(peer, new ServerMessage.Audio(AudioLeg.PUBLISH, SignalKind.ANSWER, answer, List.of()));
            });
        }

        /** Janus's events about a publisher's PeerConnection: its media is up (others may subscribe) or gone. */
        private void publisherEvent(int peer, JanusSession.Handle h, JsonNode ev) {
            String type = ev.path("janus").asText();
            if (type.equals("webrtcup") || type.equals("hangup")) {
                run(type, () -> {
                    Member m = members.get(peer);
                    if (m == null || m.publisher != h) {
                        return;
                    }
                    boolean up = type.equals("webrtcup");
                    if (m.published != up) {
                        m.published = up;
                        log.info(
                                "readout {}: peer {} {} audio",
                                readoutId,
                                peer,
                                up ? "publishes" : "stopped publishing");
                        queueResubscribe();
                    }
                });
            } else if (type.equals("gone")) {
                sessionEvent(ev);
            }
        }

        @Override
        public void subscribed(int peer, String answerSdp) {
            run("start", () -> {
                Member m = members.get(peer);
                if (m == null || m.subscriber == null) {
                    events.refused(peer, "subscribe: no subscribe offer is pending");
                    return;
                }
                try {
                    m.subscriber.message(
                            JanusSession.JSON.createObjectNode().put("request", "start"), jsep("answer", answerSdp));
                    m.started = true;
                } catch (JanusException e) {
                    refused(peer, "subscribe", e);
                }
            });
        }

        @Override
        public void candidate(int peer, AudioLeg leg, String candidateJson) {
            JsonNode c = parseCandidate(candidateJson);
            run("trickle", () -> {
                Member m = members.get(peer);
                trickle(peer, m == null ? null : leg == AudioLeg.PUBLISH ? m.publisher : m.subscriber, c);
            });
        }

        @Override
        public void leave(int peer) {
            run("leave", () -> {
                Member m = members.remove(peer);
                if (m == null) {
                    return;
                }
                if (m.publisher != null) {
                    m.publisher.detach();
                }
                if (m.subscriber != null) {
                    m.subscriber.detach();
                }
                if (m.published) {
                    queueResubscribe();
                }
            });
        }

        private void queueResubscribe() {
            if (resubscribeQueued) {
                return;
            }
            resubscribeQueued = true;
            timer.schedule(
                    () -> run("resubscribe", () -> {
                        resubscribeQueued = false;
                        for (int peer : List.copyOf(members.keySet())) {
                            resubscribe(peer);
                        }
                    }),
                    RESUBSCRIBE_DELAY_MS,
                    TimeUnit.MILLISECONDS);
        }

        /**
         * Gives {@code peer} a subscription to every other published feed, when that set changed: a new subscriber
         * handle and offer (the browser replaces its subscribing connection), or, with nobody left to hear, an empty
         * offer that closes it.
         */
        private void resubscribe(int peer) throws JanusException {
            Member m = members.get(peer);
            if (m == null) {
                return;
            }
            Set<Integer> feeds = new TreeSet<>();
            members.forEach((p, other) -> {
                if (p != peer && other.published) {
                    feeds.add(p);
                }
            });
            if (feeds.equals(m.subscribed)) {
                return;
            }
            if (m.subscriber != null && m.started && feeds.containsAll(m.subscribed) && grow(peer, m, feeds)) {
                return;
            }
            if (m.subscriber != null) {
                m.subscriber.detach();
                m.subscriber = null;
            }
            m.started = false;
            m.subscribed = Set.copyOf(feeds);
            if (feeds.isEmpty()) {
                events.send(peer, new ServerMessage.Audio(AudioLeg.SUBSCRIBE, SignalKind.OFFER, "", List.of()));
                return;
            }
            m.subscriber = session.attach(VIDEOROOM, ev -> {});
            ObjectNode join = JanusSession.JSON
                    .createObjectNode()
                    .put("request", "join")
                    .put("room", roomId)
                    .put("pin", pin)
                    .put("ptype", "subscriber");
            ArrayNode streams = join.putArray("streams");
            feeds.forEach(f -> streams.addObject().put("feed", f));
            JsonNode r;
            try {
                r = m.subscriber.message(join, null);
            } catch (JanusException e) {
                // A publisher may have gone between its webrtcup and now: try again with the next change.
                m.subscribed = Set.of();
                log.warn("readout {}: subscribing peer {} to {} failed: {}", readoutId, peer, feeds, e.getMessage());
                return;
            }
            log.info("readout {}: peer {} hears feeds {} (new subscription)", readoutId, peer, feeds);
            events.send(
                    peer,
                    new ServerMessage.Audio(
                            AudioLeg.SUBSCRIBE,
                            SignalKind.OFFER,
                            r.path("jsep").path("sdp").asText(""),
                            streams(r)));
        }

        /**
         * Adds feeds to a running subscription in place (Janus renegotiates the same connection, so the feeds already
         * heard go on without a gap); false when Janus would not, and the caller starts a new subscription.
         */
        private boolean grow(int peer, Member m, Set<Integer> feeds) {
            ObjectNode subscribe = JanusSession.JSON.createObjectNode().put("request", "subscribe");
            ArrayNode streams = subscribe.putArray("streams");
            feeds.stream()
                    .filter(f -> !m.subscribed.contains(f))
                    .forEach(f -> streams.addObject().put("feed", f));
            JsonNode r;
            try {
                r = m.subscriber.message(subscribe, null);
            } catch (JanusException e) {
                log.debug(
                        "readout {}: growing peer {}'s subscription in place failed ({}); a new one follows",
                        readoutId,
                        peer,
                        e.getMessage());
                return false;
            }
            String sdp = r.path("jsep").path("sdp").asText("");
            if (sdp.isEmpty()) {
                return false;
            }
            m.subscribed = Set.copyOf(feeds);
            m.started = false;
            log.info("readout {}: peer {} hears feeds {} (subscription grown in place)", readoutId, peer, feeds);
            events.send(peer, new ServerMessage.Audio(AudioLeg.SUBSCRIBE, SignalKind.OFFER, sdp, streams(r)));
            return true;
        }

        /** The active audio streams of a subscriber's offer: media id and the feed (peer id) each carries. */
        private static List<ServerMessage.AudioStream> streams(JsonNode r) {
            List<ServerMessage.AudioStream> out = new ArrayList<>();
            for (JsonNode s : r.path("streams")) {
                if (s.path("type").asText().equals("audio")
                        && s.has("feed_id")
                        && s.path("active").asBoolean(true)) {
                    out.add(new ServerMessage.AudioStream(
                            s.path("mid").asText(), s.path("feed_id").asInt()));
                }
            }
            return out;
        }
    }

    /**
     * One readout's AudioBridge room. A participant joins Janus's room only with its publish offer (sendrecv, or
     * recvonly without a microphone); the room's talking events come to every participant's handle and are folded
     * into one set of talkers, reported on change.
     */
    private final class MixRoom extends RoomWorker {
        /** Each participant's AudioBridge handle, once it offered. */
        private final Map<Integer, JanusSession.Handle> handles = new HashMap<>();

        private final Set<Integer> talking = new TreeSet<>();

        MixRoom(String readoutId, Events events) {
            super(readoutId, events);
        }

        void start() {
            run("create mixing room", () -> {
                ObjectNode create = JanusSession.JSON
                        .createObjectNode()
                        .put("is_private", true)
                        .put("permanent", false)
                        .put("description", "readout audio")
                        .put("sampling_rate", 48000)
                        .put("audiolevel_event", true)
                        .put("audio_active_packets", TALK_PACKETS)
                        .put("audio_level_average", TALK_LEVEL_DBOV)
                        .put("record", false);
                create(AUDIOBRIDGE, create);
                log.info("readout {}: mixing audio room {} open on Janus", readoutId, roomId);
            });
        }

        @Override
        void forget() {
            handles.clear();
            talking.clear();
        }

        /** Janus's listparticipants, run on the room's worker after what is queued. */
        Set<Integer> listParticipants() throws JanusException {
            CompletableFuture<Set<Integer>> out = new CompletableFuture<>();
            run("list", () -> {
                JsonNode r = control.message(
                        JanusSession.JSON
                                .createObjectNode()
                                .put("request", "listparticipants")
                                .put("room", roomId),
                        null);
                Set<Integer> ids = new TreeSet<>();
                r.path("participants").forEach(p -> ids.add(p.path("id").asInt()));
                out.complete(ids);
            });
            try {
                return out.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new JanusException("listparticipants: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JanusException("interrupted", e);
            }
        }

        @Override
        public void join(int peer) {
            // Nothing on Janus until the participant's offer: a participant who never offers costs the mixer nothing.
        }

        @Override
        public void publish(int peer, String offerSdp) {
            run("mix join", () -> {
                JanusSession.Handle old = handles.remove(peer);
                if (old != null) {
                    old.detach(); // AudioBridge drops the participant with its handle, so its id is free again
                }
                JanusSession.Handle[] self = new JanusSession.Handle[1];
                self[0] = session.attach(AUDIOBRIDGE, ev -> mixEvent(self[0], ev));
                handles.put(peer, self[0]);
                ObjectNode join = JanusSession.JSON
                        .createObjectNode()
                        .put("request", "join")
                        .put("room", roomId)
                        .put("pin", pin)
                        .put("id", peer)
                        .put("display", String.valueOf(peer))
                        .put("codec", "opus")
                        .put("muted", false);
                JsonNode r;
                try {
                    r = self[0].message(join, jsep("offer", offerSdp));
                } catch (JanusException e) {
                    handles.remove(peer, self[0]);
                    self[0].detach();
                    refused(peer, "publish", e);
                    return;
                }
                String answer = r.path("jsep").path("sdp").asText("");
                if (answer.isEmpty()) {
                    events.refused(peer, "publish: Janus gave no answer");
                    return;
                }
                log.info("readout {}: peer {} joined the mix", readoutId, peer);
                events.send(peer, new ServerMessage.Audio(AudioLeg.PUBLISH, SignalKind.ANSWER, answer, List.of()));
            });
        }

        /**
         * AudioBridge's events on a participant's handle: talking and stopped-talking of anyone in the room (every
         * handle hears them all; folding them into one set makes the copies harmless), or the handle's own hangup.
         */
        private void mixEvent(JanusSession.Handle h, JsonNode ev) {
            if (ev.path("janus").asText().equals("gone")) {
                sessionEvent(ev);
                return;
            }
            String what = ev.path("plugindata").path("data").path("audiobridge").asText("");
            if (!what.equals("talking") && !what.equals("stopped-talking")) {
                return;
            }
            int who = ev.path("plugindata").path("data").path("id").asInt(0);
            run("talking", () -> {
                if (!handles.containsKey(who) || !handles.containsValue(h)) {
                    return; // about someone who left, or from a handle already replaced
                }
                boolean changed = what.equals("talking") ? talking.add(who) : talking.remove(who);
                if (changed) {
                    events.speaking(Set.copyOf(talking));
                }
            });
        }

        @Override
        public void subscribed(int peer, String answerSdp) {
            run(
                    "subscribe",
                    () -> events.refused(
                            peer, "subscribe: this readout's audio is mixed; its one connection is the publish leg"));
        }

        @Override
        public void candidate(int peer, AudioLeg leg, String candidateJson) {
            JsonNode c = parseCandidate(candidateJson);
            // the mix has no subscribe leg: a candidate for one has nothing to go to
            run("trickle", () -> trickle(peer, leg == AudioLeg.PUBLISH ? handles.get(peer) : null, c));
        }

        @Override
        public void leave(int peer) {
            run("leave", () -> {
                JanusSession.Handle h = handles.remove(peer);
                if (h != null) {
                    h.detach();
                }
                if (talking.remove(peer)) {
                    events.speaking(Set.copyOf(talking));
                }
            });
        }
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JanusSession.JSON.createObjectNode().put("type", type).put("sdp", sdp);
    }

    /** Checks an ICE candidate from a browser: JSON of RTCIceCandidateInit ({"candidate": "...", "sdpMid", "sdpMLineIndex"}). */
    static JsonNode parseCandidate(String json) {
        IceCandidates.Candidate c = IceCandidates.parse(json);
        if (c.endOfCandidates()) {
            return JanusSession.JSON.createObjectNode().put("completed", true);
        }
        ObjectNode clean = JanusSession.JSON.createObjectNode().put("candidate", c.line());
        if (c.sdpMid() != null) {
            clean.put("sdpMid", c.sdpMid());
        }
        if (c.sdpMLineIndex() != null) {
            clean.put("sdpMLineIndex", c.sdpMLineIndex());
        }
        return clean;
    }
}
