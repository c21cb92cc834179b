package org.medsync.server.or;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.server.api.SameOrigin;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.medsync.server.readout.ReadoutService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/ors/{id}/viewings/{viewing}/metadata} upgraded to a WebSocket: the metadata of the flow a viewing
 * shows, server to browser only (docs/or-gateway.md "Metadata messages"). The upgrade is checked like any route
 * (same origin, a session, not a readout guest, the OR's allow-list again, the viewing is this user's and open).
 * The browser may send the expert's telestration messages (docs/or-gateway.md "Expert to OR"), each answered on the
 * socket; a binary message closes it (1003). Ends with the viewing.
 */
public final class MetadataSocket {
    private static final Logger log = LoggerFactory.getLogger(MetadataSocket.class);
    static final String PATH = "/api/ors/{id}/viewings/{viewing}/metadata";
    /** Close code of a refused or ended socket (the 4000 range is the application's). */
    static final int REFUSED = 4403;

    private record Admitted(Accounts.User user, String flowKey) {}

    private final LiveOrs ors;
    private final Sessions sessions;
    private final SameOrigin sameOrigin;
    private final Map<String, MetadataHub.Sink> sinks = new ConcurrentHashMap<>();
    /** Who each open socket belongs to, for its telestration messages; sends to one socket are serialised by it. */
    private final Map<String, Admitted> admitted = new ConcurrentHashMap<>();

    private final Telestration telestration;

    public MetadataSocket(LiveOrs ors, Sessions sessions, SameOrigin sameOrigin) {
        this.ors = ors;
        this.sessions = sessions;
        this.sameOrigin = sameOrigin;
        this.telestration = new Telestration(ors);
    }

    public void register(Javalin app) {
        app.wsBeforeUpgrade(PATH, this::authorize);
        app.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onMessage(this::message);
            ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "this socket takes JSON text only"));
            ws.onClose(ctx -> gone(ctx));
            ws.onError(ctx -> gone(ctx));
        });
    }

    private Admitted admit(String cookie, String orId, String viewing) throws OrException {
        Optional<Accounts.User> user = sessions.lookup(cookie);
        if (user.isEmpty()) {
            throw new OrException(OrException.Reason.FORBIDDEN, "log in first");
        }
        Accounts.User u = user.get();
        if (ReadoutService.isGuest(u.username()) || !Role.READERS.contains(u.role())) {
            throw new OrException(OrException.Reason.FORBIDDEN, "readout guests do not watch ORs");
        }
        return new Admitted(u, ors.viewingFlow(orId, viewing, u.username(), u.role()));
    }

    private void authorize(Context ctx) {
        if (!sameOrigin.allows(ctx)) {
            log.warn("Refused OR metadata socket opened by a page of another origin from {}", ctx.ip());
            throw new ForbiddenResponse("cross-origin");
        }
        if (sessions.lookup(ctx.cookie(Sessions.COOKIE)).isEmpty()) {
            throw new UnauthorizedResponse("log in first");
        }
        try {
            admit(ctx.cookie(Sessions.COOKIE), ctx.pathParam("id"), ctx.pathParam("viewing"));
        } catch (OrException e) {
            switch (e.reason()) {
                case FORBIDDEN -> throw new ForbiddenResponse(e.getMessage());
                case UNAVAILABLE -> throw new ServiceUnavailableResponse(e.getMessage());
                default -> throw new NotFoundResponse(e.getMessage());
            }
        }
    }

    private void connect(WsContext ctx) {
        Admitted a;
        String orId = ctx.pathParam("id");
        String viewing = ctx.pathParam("viewing");
        try {
            // again: the allow-list or the viewing may have changed between the upgrade and now
            a = admit(ctx.cookie(Sessions.COOKIE), orId, viewing);
        } catch (OrException e) {
            ctx.closeSession(REFUSED, e.getMessage());
            return;
        }
        Admitted me = a;
        ctx.enableAutomaticPings();
        OrSettings.Or or = ors.settings().or(orId);
        boolean deidentified = a.user().role().seesDeidentified();
        MetadataHub.Sink sink = new MetadataHub.Sink() {
            @Override
            public boolean send(String text) {
                try {
                    synchronized (me) {
                        ctx.send(text);
                    }
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
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
        sinks.put(ctx.sessionId(), sink);
        admitted.put(ctx.sessionId(), a);
        String flow = a.flowKey().substring(a.flowKey().indexOf('/') + 1);
        ObjectNode hello = hello(or, flow, deidentified);
        hello.put("annotate", Telestration.mayDraw(ors, a.user().role()));
        if (!ors.metadata().subscribe(a.flowKey(), viewing, deidentified, hello, sink)) {
            sinks.remove(ctx.sessionId());
            admitted.remove(ctx.sessionId());
            ctx.closeSession(1001, "the flow does not run");
        }
    }

    /** A telestration message: handled, and answered on the same socket. */
    private void message(WsMessageContext ctx) {
        Admitted a = admitted.get(ctx.sessionId());
        if (a == null) {
            ctx.closeSession(REFUSED, "not admitted");
            return;
        }
        ObjectNode answer = telestration.handle(ctx.pathParam("id"), ctx.pathParam("viewing"), a.user(), ctx.message());
        try {
            synchronized (a) {
                ctx.send(answer.toString());
            }
        } catch (RuntimeException e) {
            // the socket closed meanwhile
        }
    }

    /** The first message: which flow, whether de-identified, and what the overlay shows where. */
    static ObjectNode hello(OrSettings.Or or, String flow, boolean deidentified) {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("type", "hello");
        h.put("version", 1);
        h.put("or", or.id());
        h.put("flow", flow);
        h.put("deidentified", deidentified);
        h.put("clockRate", 90000);
        ArrayNode overlay = h.putArray("overlay");
        for (OrSettings.OverlayItem i : or.overlay()) {
            overlay.addObject().put("zone", i.zone()).put("tag", i.tag()).put("keyword", i.keyword());
        }
        return h;
    }

    private void gone(WsContext ctx) {
        admitted.remove(ctx.sessionId());
        MetadataHub.Sink s = sinks.remove(ctx.sessionId());
        if (s != null) {
            ors.metadata().unsubscribe(ctx.pathParam("viewing"), s);
        }
    }
}
