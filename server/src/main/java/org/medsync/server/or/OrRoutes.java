package org.medsync.server.or;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * Live ORs over HTTP (docs/or-gateway.md "API"). Every route needs a login; who may watch which OR is decided by
 * {@link LiveOrs} from the administrator's allow-list, on every request. A viewer's signaling with Janus goes
 * through here; the browser never reaches Janus's API.
 */
public final class OrRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LiveOrs ors;
    private final Function<Context, Accounts.User> currentUser;

    public OrRoutes(LiveOrs ors, Function<Context, Accounts.User> currentUser) {
        this.ors = ors;
        this.currentUser = currentUser;
    }

    public void register(Javalin app) {
        Role[] readers = Role.READERS.toArray(Role[]::new);
        app.get(
                "/api/ors",
                ctx -> {
                    Accounts.User u = currentUser.apply(ctx);
                    ctx.json(Map.of("ors", ors.list(u.username(), u.role())));
                },
                readers);
        app.get(
                "/api/ors/{id}",
                ctx -> run(ctx, u -> ctx.json(ors.state(ctx.pathParam("id"), u.username(), u.role()))),
                readers);
        app.post(
                "/api/ors/{id}/watch",
                ctx -> run(ctx, u -> {
                    LiveOrs.Watch w =
                            ors.watch(ctx.pathParam("id"), ViewerMessages.watch(ctx.body()), u.username(), u.role());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("viewing", w.viewing());
                    out.put("or", w.or());
                    out.put("flow", w.flow());
                    out.put("offer", Map.of("type", "offer", "sdp", w.offerSdp()));
                    ctx.status(201).json(out);
                }),
                readers);
        app.post(
                "/api/ors/{id}/viewings/{viewing}/answer",
                ctx -> run(ctx, u -> {
                    ors.answer(
                            ctx.pathParam("id"),
                            ctx.pathParam("viewing"),
                            u.username(),
                            ViewerMessages.answer(ctx.body()));
                    ctx.status(204);
                }),
                readers);
        app.post(
                "/api/ors/{id}/viewings/{viewing}/candidates",
                ctx -> run(ctx, u -> {
                    ViewerMessages.Candidates c = ViewerMessages.candidates(ctx.body());
                    ors.candidates(
                            ctx.pathParam("id"), ctx.pathParam("viewing"), u.username(), c.candidates(), c.completed());
                    ctx.status(204);
                }),
                readers);
        app.post(
                "/api/ors/{id}/viewings/{viewing}/stop",
                ctx -> run(ctx, u -> {
                    ors.stop(ctx.pathParam("id"), ctx.pathParam("viewing"), u.username());
                    ctx.status(204);
                }),
                readers);
        app.get(
                "/api/admin/or-viewings",
                ctx -> run(ctx, u -> {
                    int limit = 100;
                    String l = ctx.queryParam("limit");
                    if (l != null) {
                        if (!l.matches("[0-9]{1,4}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > 1000) {
                            throw new OrException(OrException.Reason.BAD_REQUEST, "limit must be 1..1000");
                        }
                        limit = Integer.parseInt(l);
                    }
                    List<Map<String, Object>> viewings = new ArrayList<>();
                    for (ViewingLog.Viewing v : ors.viewings(limit)) {
                        // Times as ISO-8601 text: the API's JSON has no date type, and the mapper no time module.
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", v.id());
                        row.put("username", v.username());
                        row.put("role", v.role());
                        row.put("orId", v.orId());
                        row.put("flow", v.flow());
                        row.put("started", v.started().toString());
                        row.put("ended", v.ended() == null ? null : v.ended().toString());
                        viewings.add(row);
                    }
                    ctx.json(Map.of("viewings", viewings));
                }),
                Role.ADMIN);
    }

    private interface Action {
        void run(Accounts.User user) throws OrException;
    }

    private void run(Context ctx, Action a) {
        try {
            a.run(currentUser.apply(ctx));
        } catch (OrException e) {
            throw new ApiError(e.reason().status(), e.reason().code(), e.getMessage());
        }
    }
}
