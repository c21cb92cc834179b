package org.medsync.server.readout;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import org.medsync.conference.cluster.NodeBridge;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.signaling.Link;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code /ws/readouts/{id}}: one signaling WebSocket per participant, binary MessagePack frames
 * (docs/readout-protocol.md). The upgrade is authenticated with the session cookie (a login, or a guest
 * session from an invite); anything else is refused before the socket opens, and checked again on connect. A
 * participant of a readout that another node runs is bridged to that node (ReadoutService.homeOf).
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

    private final ReadoutService service;
    private final Sessions sessions;
    private final Map<String, Participant> bySession = new ConcurrentHashMap<>();

    SignalingSocket(ReadoutService service, Sessions sessions) {
        this.service = service;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.wsBeforeUpgrade(PATH, this::authorize);
        app.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onBinaryMessage(ctx -> {
                Participant p = bySession.get(ctx.sessionId());
                if (p != null) {
                    byte[] data = new byte[ctx.length()];
                    System.arraycopy(ctx.data(), ctx.offset(), data, 0, ctx.length());
                    p.message(data);
                }
            });
            ws.onMessage(ctx -> {
                Participant p = bySession.get(ctx.sessionId());
                if (p != null) {
                    // Text frames are not part of the protocol: refused like any malformed message.
                    p.message(new byte[] {(byte) 0xc1});
                }
            });
            ws.onClose(ctx -> {
                Participant p = bySession.remove(ctx.sessionId());
                if (p != null) {
                    p.closed(ctx.status());
                }
            });
            ws.onError(ctx -> {
                Participant p = bySession.remove(ctx.sessionId());
                if (p != null) {
                    p.closed(1011);
                }
            });
        });
    }

    private record Admitted(ReadoutStore.Stored readout, Accounts.User user) {}

    private Optional<Admitted> admit(String cookie, String readoutId) throws SQLException {
        Optional<Accounts.User> user = sessions.lookup(cookie);
        Optional<ReadoutStore.Stored> readout = service.store.find(readoutId);
        if (user.isEmpty() || readout.isEmpty()) {
            return Optional.empty();
        }
        if (ReadoutService.isGuest(user.get()) && !service.store.isAdmitted(readoutId, user.get().username())) {
            return Optional.empty();
        }
        return Optional.of(new Admitted(readout.get(), user.get()));
    }

    private void authorize(Context ctx) throws SQLException {
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
        if (service.isHere(home)) {
            Hub.Connection c = service.join(admitted.get().readout(), who, link);
            if (c != null) {
                bySession.put(ctx.sessionId(), new Local(service.hub, c));
            }
            return;
        }
        try {
            bySession.put(ctx.sessionId(), new Bridged(service.bridge.forward(home, admitted.get().readout().id(), who, link)));
            log.info("Readout {}: a {} is bridged to node {}", admitted.get().readout().id(), who.role().wireName(), home);
        } catch (IOException e) {
            log.warn("Readout socket to {} not bridged to node {}: {}", ctx.pathParam("id"), home, e.getMessage());
            link.close(1013, "try again later");
        }
    }
}
