package org.medsync.server.readout;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.signaling.Link;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code /ws/readouts/{id}}: one signaling WebSocket per participant, binary MessagePack frames
 * (docs/readout-protocol.md). The upgrade is authenticated with the session cookie (a login, or a guest
 * session from an invite); anything else is refused before the socket opens, and checked again on connect.
 */
final class SignalingSocket {
    private static final Logger log = LoggerFactory.getLogger(SignalingSocket.class);
    static final String PATH = "/ws/readouts/{id}";

    private final ReadoutService service;
    private final Sessions sessions;
    private final Map<String, Hub.Connection> bySession = new ConcurrentHashMap<>();

    SignalingSocket(ReadoutService service, Sessions sessions) {
        this.service = service;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.wsBeforeUpgrade(PATH, this::authorize);
        app.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onBinaryMessage(ctx -> {
                Hub.Connection c = bySession.get(ctx.sessionId());
                if (c != null) {
                    byte[] data = new byte[ctx.length()];
                    System.arraycopy(ctx.data(), ctx.offset(), data, 0, ctx.length());
                    service.hub.onMessage(c, data);
                }
            });
            ws.onMessage(ctx -> {
                Hub.Connection c = bySession.get(ctx.sessionId());
                if (c != null) {
                    // Text frames are not part of the protocol: refused like any malformed message.
                    service.hub.onMessage(c, new byte[] {(byte) 0xc1});
                }
            });
            ws.onClose(ctx -> {
                Hub.Connection c = bySession.remove(ctx.sessionId());
                if (c != null) {
                    if (ctx.status() == 1009) {
                        service.hub.onOversized(c, -1);
                    }
                    service.hub.disconnect(c);
                }
            });
            ws.onError(ctx -> {
                Hub.Connection c = bySession.remove(ctx.sessionId());
                if (c != null) {
                    service.hub.disconnect(c);
                }
            });
        });
    }

    private record Admitted(Readout readout, Accounts.User user) {}

    private Optional<Admitted> admit(String cookie, String readoutId) {
        Optional<Accounts.User> user = sessions.lookup(cookie);
        Optional<Readout> readout = service.readouts.find(readoutId);
        if (user.isEmpty() || readout.isEmpty()) {
            return Optional.empty();
        }
        if (ReadoutService.isGuest(user.get()) && !readout.get().isAdmitted(user.get().username())) {
            return Optional.empty();
        }
        return Optional.of(new Admitted(readout.get(), user.get()));
    }

    private void authorize(Context ctx) {
        Optional<Accounts.User> user = sessions.lookup(ctx.cookie(Sessions.COOKIE));
        if (user.isEmpty()) {
            log.warn("Refused readout socket without a session from {}", ctx.ip());
            throw new UnauthorizedResponse("log in first");
        }
        Optional<Readout> readout = service.readouts.find(ctx.pathParam("id"));
        if (readout.isEmpty()) {
            throw new NotFoundResponse("no such readout");
        }
        if (admit(ctx.cookie(Sessions.COOKIE), ctx.pathParam("id")).isEmpty()) {
            log.warn("Refused readout socket for {} to readout {}", user.get().username(), readout.get().id());
            throw new ForbiddenResponse("not invited to this readout");
        }
    }

    private void connect(WsContext ctx) {
        Optional<Admitted> admitted = admit(ctx.cookie(Sessions.COOKIE), ctx.pathParam("id"));
        if (admitted.isEmpty()) {
            ctx.closeSession(1008, "not admitted");
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
        Hub.Connection c = service.hub.connect(admitted.get().readout(),
                new Hub.Identity(u.username(), u.displayName(), ReadoutService.role(u.role())), link);
        if (c != null) {
            bySession.put(ctx.sessionId(), c);
        }
    }
}
