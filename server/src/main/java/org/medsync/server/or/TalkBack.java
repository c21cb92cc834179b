package org.medsync.server.or;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.janus.JanusException;
import org.medsync.server.janus.JanusSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talk-back between remote experts and the OR (docs/or-gateway.md "Talk-back"): Opus through the OR gateway's own
 * Janus, one AudioBridge room per OR while anyone is in it. The bridge mixes: every participant sends one Opus stream
 * and gets one back, the mix of the others, so the OR station plays every expert who speaks and each expert hears the
 * OR's microphone. The room has a secret and a pin that never leave the server; the browsers reach Janus only through
 * these routes. Who speaks is the server's decision: a remote participant joins muted in the bridge and only this
 * server unmutes it (Janus's {@code unmute} needs the room's secret), on push-to-talk, for a talk role; the station
 * joins unmuted (the OR's microphone is open) and may mute itself. Students and observers never join
 * ({@link TalkSettings}).
 */
final class TalkBack {
    private static final Logger log = LoggerFactory.getLogger(TalkBack.class);
    private static final String PLUGIN = "janus.plugin.audiobridge";

    /** Which end of the talk-back a page is. */
    enum Side {
        /** A remote expert's (or listener's) page: push-to-talk. */
        REMOTE,
        /** The OR station's page: plays the experts, sends the OR's microphone. */
        STATION;

        String wireName() {
            return this == REMOTE ? "remote" : "station";
        }
    }

    /** What a page gets when it joins: its talk id, Janus's answer, and whether it may speak (and does now). */
    record Joined(String talk, String answerSdp, boolean mayTalk, boolean talking) {}

    private final LiveOrs ors;
    private final SecureRandom random = new SecureRandom();
    /** The open room of each OR. Guarded by this. */
    private final Map<String, Room> rooms = new HashMap<>();

    private final Map<String, Talker> talkers = new ConcurrentHashMap<>();

    TalkBack(LiveOrs ors) {
        this.ors = ors;
    }

    /** One OR's AudioBridge room, on the Janus session it was made on (a new Janus means a new room). */
    private record Room(
            String orId, JanusSession session, JanusSession.Handle control, long id, String secret, String pin) {
        boolean usable(JanusSession current) {
            return session == current && !current.closed();
        }
    }

    private static final class Talker {
        final String id;
        final String orId;
        final String username;
        final Side side;
        final long participant;
        final Room room;
        volatile JanusSession.Handle handle;
        volatile boolean talking;
        volatile boolean ended;

        Talker(String id, String orId, String username, Side side, long participant, Room room) {
            this.id = id;
            this.orId = orId;
            this.username = username;
            this.side = side;
            this.participant = participant;
            this.room = room;
        }
    }

    /**
     * Joins {@code user}'s page to the OR's talk-back with its offer (ICE candidates included); returns Janus's
     * answer. Checked first: the OR's allow-list (403/404 as for watching), then the side's roles.
     */
    Joined join(String orId, Accounts.User user, Side side, String offerSdp) throws OrException {
        ors.admitted(orId, user.username(), user.role());
        boolean mayTalk = mayTalk(user.role(), side);
        TalkSettings t = ors.settings().talk();
        if (side == Side.STATION ? !mayTalk : !t.remoteMayJoin(user.role())) {
            throw new OrException(
                    OrException.Reason.FORBIDDEN,
                    "a " + user.role().wireName() + " may not "
                            + (side == Side.STATION
                                    ? "use the OR station's talk-back (or.talk.station-roles)"
                                    : "join the OR's talk-back (or.talk.roles, or.talk.listen-roles)"));
        }
        Room room = room(orId);
        long participant = 1 + (random.nextLong() >>> 12); // within JSON's exact integers
        Talker tk = new Talker(UUID.randomUUID().toString(), orId, user.username(), side, participant, room);
        boolean open = side == Side.STATION;
        String answer;
        try {
            tk.handle = room.session().attach(PLUGIN, event -> onEvent(tk, event));
            tk.handle.message(
                    JanusSession.JSON
                            .createObjectNode()
                            .put("request", "join")
                            .put("room", room.id())
                            .put("pin", room.pin())
                            .put("id", participant)
                            .put("display", side.wireName() + " " + user.role().wireName())
                            .put("muted", !open),
                    null);
            JsonNode r = tk.handle.message(
                    JanusSession.JSON.createObjectNode().put("request", "configure"),
                    JanusSession.JSON.createObjectNode().put("type", "offer").put("sdp", offerSdp));
            answer = r.path("jsep").path("sdp").asText("");
        } catch (JanusException e) {
            end(tk);
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
        if (!answer.startsWith("v=0")) {
            end(tk);
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus gave no answer to the talk-back offer");
        }
        tk.talking = open;
        talkers.put(tk.id, tk);
        log.info(
                "OR {}: talk-back {} joined ({} side, {})",
                orId,
                tk.id,
                side.wireName(),
                user.role().wireName());
        return new Joined(tk.id, answer, mayTalk, open);
    }

    /**
     * Push-to-talk (the station: its microphone on or off). Speaking is checked again (the allow-list may have
     * changed since the page joined); stopping is always allowed.
     */
    boolean talk(String orId, String talk, Accounts.User user, boolean on) throws OrException {
        Talker tk = talker(orId, talk, user.username());
        if (on) {
            try {
                ors.admitted(orId, user.username(), user.role());
            } catch (OrException e) {
                end(tk);
                throw e;
            }
            if (!mayTalk(user.role(), tk.side)) {
                throw new OrException(
                        OrException.Reason.FORBIDDEN,
                        "a " + user.role().wireName() + " may listen but not speak into the OR (or.talk.roles)");
            }
        }
        try {
            tk.room
                    .control()
                    .message(
                            JanusSession.JSON
                                    .createObjectNode()
                                    .put("request", on ? "unmute" : "mute")
                                    .put("room", tk.room.id())
                                    .put("secret", tk.room.secret())
                                    .put("id", tk.participant),
                            null);
        } catch (JanusException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
        tk.talking = on;
        log.debug("OR {}: talk-back {} {}", orId, talk, on ? "speaks" : "is silent");
        return on;
    }

    /** The page leaves the talk-back. */
    void leave(String orId, String talk, Accounts.User user) throws OrException {
        end(talker(orId, talk, user.username()));
    }

    private boolean mayTalk(Role role, Side side) {
        TalkSettings t = ors.settings().talk();
        return side == Side.STATION
                ? t.stationRoles().contains(role)
                : t.talkRoles().contains(role);
    }

    private Talker talker(String orId, String talk, String username) throws OrException {
        Talker tk = talkers.get(talk);
        if (tk == null || tk.ended || !tk.username.equals(username) || !tk.orId.equals(orId)) {
            throw new OrException(OrException.Reason.UNKNOWN_VIEWING, "no open talk-back '" + talk + "' of yours");
        }
        return tk;
    }

    /** The OR's room on this node's current Janus, created when there is none. */
    private synchronized Room room(String orId) throws OrException {
        JanusSession session = ors.janusSession();
        Room room = rooms.get(orId);
        if (room != null && room.usable(session)) {
            return room;
        }
        if (room != null) {
            // Its Janus is gone, and with it the room and its participants' PeerConnections.
            for (Talker t : new ArrayList<>(talkers.values())) {
                if (t.room == room) {
                    end(t);
                }
            }
        }
        long id = 1 + (random.nextLong() >>> 12);
        String secret = token();
        String pin = token();
        try {
            JanusSession.Handle control = session.attach(PLUGIN, e -> {});
            control.message(
                    JanusSession.JSON
                            .createObjectNode()
                            .put("request", "create")
                            .put("room", id)
                            .put("secret", secret)
                            .put("pin", pin)
                            .put("is_private", true)
                            .put("permanent", false)
                            .put("sampling_rate", 48000)
                            .put("description", "talk-back " + orId),
                    null);
            room = new Room(orId, session, control, id, secret, pin);
        } catch (JanusException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
        rooms.put(orId, room);
        log.info("OR {}: talk-back room {} open", orId, id);
        return room;
    }

    private void onEvent(Talker tk, JsonNode event) {
        switch (event.path("janus").asText()) {
            case "hangup", "detached", "gone" -> Thread.ofVirtual().start(() -> end(tk));
            default -> {
                // webrtcup, media, the bridge's participant lists: nothing to do
            }
        }
    }

    private void end(Talker tk) {
        synchronized (tk) {
            if (tk.ended) {
                return;
            }
            tk.ended = true;
        }
        talkers.remove(tk.id);
        JanusSession.Handle h = tk.handle;
        if (h != null) {
            h.detach();
        }
        log.info("OR {}: talk-back {} left", tk.orId, tk.id);
        closeIfEmpty(tk.room);
    }

    /** A room nobody is in is destroyed: AudioBridge mixes every 20 ms while a room exists. */
    private synchronized void closeIfEmpty(Room room) {
        if (rooms.get(room.orId()) != room || talkers.values().stream().anyMatch(t -> t.room == room && !t.ended)) {
            return;
        }
        rooms.remove(room.orId());
        if (!room.session().closed()) {
            try {
                room.control()
                        .message(
                                JanusSession.JSON
                                        .createObjectNode()
                                        .put("request", "destroy")
                                        .put("room", room.id())
                                        .put("secret", room.secret()),
                                null);
            } catch (JanusException e) {
                log.debug("OR {}: destroying talk-back room: {}", room.orId(), e.getMessage());
            }
            room.control().detach();
        }
        log.info("OR {}: talk-back room {} closed", room.orId(), room.id());
    }

    private String token() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** For the answer's JSON. */
    static ObjectNode json(Joined j) {
        ObjectNode o = JanusSession.JSON.createObjectNode();
        o.put("talk", j.talk());
        o.putObject("answer").put("type", "answer").put("sdp", j.answerSdp());
        o.put("mayTalk", j.mayTalk());
        o.put("talking", j.talking());
        return o;
    }
}
