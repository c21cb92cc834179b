package org.medsync.server.readout;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.medsync.conference.cluster.NodeBridge;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.signaling.Link;
import org.medsync.server.api.SameOrigin;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/readouts/{id}}: one signaling WebSocket per participant, binary MessagePack frames
 * (docs/readout-protocol.md). The upgrade is authenticated with the session cookie (a login, or a guest
 * session from an invite) and refused when another site's page opens it (its Origin); anything else is refused
 * before the socket opens, and checked again on connect. A session has one socket: a newer one replaces the older
 * (closed with 4001), so a reconnect works at once and one guest cannot fill the readout's seats. A socket is closed
 * (4003) when its readout ends or its guest's access does (invite revoked or expired): at once on this node, within
 * {@link ReadoutService#ACCESS_SWEEP} on others. A participant of a readout that another node runs is bridged to
 * that node (ReadoutService.homeOf).
 */
final class SignalingSocket {
    private static final Logger log = LoggerFactory.getLogger(SignalingSocket.class);
    static final String PATH = "/ws/readouts/{id}";

    /** One participant's socket: joined to the hub here, or bridged to the readout's home node. */
    private sealed interface Participant {
        void message(byte[] data);

        void closed(int code);
    }

    private record Local(Hub hub, Hub.Connection connection) implements Participant {
        @Override
        public void message(byte[] data) {
            hub.onMessage(connection, data);
        }

        @Override
        public void closed(int code) {
            if (code == 1009) {
                hub.onOversized(connection, -1);
            }
            hub.disconnect(connection);
        }
    }

    private record Bridged(NodeBridge.Outgoing bridge) implements Participant {
        @Override
        public void message(byte[] data) {
            bridge.onMessage(data);
        }

        @Override
        public void closed(int code) {
            bridge.closed(code);
        }
    }

    /** Close code: a newer socket of the same session took this one's place. */
    static final int REPLACED = 4001;
    /** Close code: the readout ended, or this guest's invite was revoked or expired; reconnecting is pointless. */
    static final int ACCESS_ENDED = 4003;

    /** An open socket: whose session, which readout, and its participant. */
    private record Socket(String token, String username, String readoutId, WsContext ctx, Participant participant) {}

    private final ReadoutService service;
    private final Sessions sessions;
    private final SameOrigin sameOrigin;
    /** By the WebSocket's own session id. */
    private final Map<String, Socket> bySession = new ConcurrentHashMap<>();
    /** The socket id of each login (or guest) session token: at most one socket per session. */
    private final Map<String, String> byToken = new ConcurrentHashMap<>();

    SignalingSocket(ReadoutService service, Sessions sessions, SameOrigin sameOrigin) {
        this.service = service;
        this.sessions = sessions;
        this.sameOrigin = sameOrigin;
    }

    void register(Javalin app) {
        service.sweepEvery(this::sweep);
        app.wsBeforeUpgrade(PATH, this::authorize);
        app.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onBinaryMessage(ctx -> {
                Socket s = bySession.get(ctx.sessionId());
                if (s != null) {
                    byte[] data = new byte[ctx.length()];
                    System.arraycopy(ctx.data(), ctx.offset(), data, 0, ctx.length());
                    s.participant().message(data);
                }
            });
            ws.onMessage(ctx -> {
                Socket s = bySession.get(ctx.sessionId());
                if (s != null) {
                    // Text frames are not part of the protocol: refused like any malformed message.
                    s.participant().message(new byte[] {(byte) 0xc1});
                }
            });
            ws.onClose(ctx -> gone(ctx.sessionId(), ctx.status()));
            ws.onError(ctx -> gone(ctx.sessionId(), 1011));
        });
    }

    private void gone(String socketId, int code) {
        Socket s = bySession.remove(socketId);
        if (s != null) {
            byToken.remove(s.token(), socketId);
            s.participant().closed(code);
        }
    }

    /** Closes a socket from our side: its participant leaves now, not when the close handshake ends. */
    private void end(Socket s, int code, String reason) {
        if (bySession.remove(s.ctx().sessionId(), s)) {
            byToken.remove(s.token(), s.ctx().sessionId());
            s.participant().closed(1000);
            try {
                s.ctx().closeSession(code, reason);
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }

    /**
     * Closes the sockets of ended readouts and of guests whose access ended, and ends those guests' sessions on
     * this node. Run after a revocation or an end here, and every {@link ReadoutService#ACCESS_SWEEP} for those
     * decided on other nodes and for invites that expired.
     */
    void sweep() {
        List<Socket> open = List.copyOf(bySession.values());
        Set<String> guests = new HashSet<>();
        Set<String> readouts = new HashSet<>();
        for (Socket s : open) {
            readouts.add(s.readoutId());
            if (ReadoutService.isGuest(s.username())) {
                guests.add(s.username());
            }
        }
        Set<String> active;
        Set<String> ended;
        try {
            active = service.store.activeGuests(guests);
            ended = service.store.ended(readouts);
        } catch (SQLException e) {
            log.warn("Cannot check readout access: {}", e.getMessage());
            return;
        }
        for (Socket s : open) {
            if (ended.contains(s.readoutId())) {
                end(s, ACCESS_ENDED, "the readout has ended");
            } else if (guests.contains(s.username()) && !active.contains(s.username())) {
                end(s, ACCESS_ENDED, "the invite was revoked or has expired");
            }
        }
        for (String g : guests) {
            if (!active.contains(g)) {
                sessions.closeAll(g);
                log.info("Guest {} lost access: invite revoked or expired, or readout ended", g);
            }
        }
    }

    private record Admitted(ReadoutStore.Stored readout, Accounts.User user) {}

    private Optional<Admitted> admit(String cookie, String readoutId) throws SQLException {
        Optional<Accounts.User> user = sessions.lookup(cookie);
        Optional<ReadoutStore.Stored> readout = service.store.find(readoutId);
        if (user.isEmpty() || readout.isEmpty() || readout.get().ended() != null) {
            return Optional.empty();
        }
        if (ReadoutService.isGuest(user.get())
                && !service.store.isAdmitted(readoutId, user.get().username())) {
            return Optional.empty();
        }
        return Optional.of(new Admitted(readout.get(), user.get()));
    }

    private void authorize(Context ctx) throws SQLException {
        if (!sameOrigin.allows(ctx)) {
            // Cross-site WebSocket hijacking: the browser would send the session cookie of whoever is logged in.
            log.warn("Refused readout socket opened by a page of {} from {}", ctx.header("Origin"), ctx.ip());
            throw new ForbiddenResponse("cross-origin");
        }
        Optional<Accounts.User> user = sessions.lookup(ctx.cookie(Sessions.COOKIE));
        if (user.isEmpty()) {
            log.warn("Refused readout socket without a session from {}", ctx.ip());
            throw new UnauthorizedResponse("log in first");
        }
        if (service.store.find(ctx.pathParam("id")).isEmpty()) {
            throw new NotFoundResponse("no such readout");
        }
        if (admit(ctx.cookie(Sessions.COOKIE), ctx.pathParam("id")).isEmpty()) {
            log.warn("Refused readout socket for {} to readout {}", user.get().username(), ctx.pathParam("id"));
            throw new ForbiddenResponse("not invited to this readout");
        }
    }

    private void connect(WsContext ctx) {
        Optional<Admitted> admitted;
        String home;
        try {
            admitted = admit(ctx.cookie(Sessions.COOKIE), ctx.pathParam("id"));
            if (admitted.isEmpty()) {
                ctx.closeSession(1008, "not admitted");
                return;
            }
            home = service.homeOf(admitted.get().readout());
        } catch (SQLException | IOException e) {
            log.warn("Readout socket to {} refused: {}", ctx.pathParam("id"), e.getMessage());
            ctx.closeSession(1013, "try again later");
            return;
        }
        ctx.enableAutomaticPings(15, TimeUnit.SECONDS, ByteBuffer.allocate(0));
        Accounts.User u = admitted.get().user();
        Link link = new Link() {
            @Override
            public void send(byte[] message) {
                ctx.send(ByteBuffer.wrap(message));
            }

            @Override
            public void close(int code, String reason) {
                try {
                    ctx.closeSession(code, reason);
                } catch (RuntimeException e) {
                    // already closed
                }
            }
        };
        Hub.Identity who = new Hub.Identity(u.username(), u.displayName(), ReadoutService.role(u.role()));
        String token = ctx.cookie(Sessions.COOKIE);
        String readoutId = admitted.get().readout().id();
        String previous = byToken.put(token, ctx.sessionId());
        if (previous != null) {
            Socket old = bySession.get(previous);
            if (old != null) {
                end(old, REPLACED, "replaced by a newer connection of this session");
            }
        }
        if (service.isHere(home)) {
            Hub.Connection c = service.join(admitted.get().readout(), who, link);
            if (c != null) {
                bySession.put(
                        ctx.sessionId(), new Socket(token, u.username(), readoutId, ctx, new Local(service.hub, c)));
            } else {
                byToken.remove(token, ctx.sessionId());
            }
            return;
        }
        try {
            bySession.put(
                    ctx.sessionId(),
                    new Socket(
                            token,
                            u.username(),
                            readoutId,
                            ctx,
                            new Bridged(service.bridge.forward(home, readoutId, who, link))));
            log.info(
                    "Readout {}: a {} is bridged to node {}",
                    admitted.get().readout().id(),
                    who.role().wireName(),
                    home);
        } catch (IOException e) {
            log.warn("Readout socket to {} not bridged to node {}: {}", ctx.pathParam("id"), home, e.getMessage());
            byToken.remove(token, ctx.sessionId());
            link.close(1013, "try again later");
        }
    }
}
