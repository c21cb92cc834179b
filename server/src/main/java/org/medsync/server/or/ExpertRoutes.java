package org.medsync.server.or;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.Function;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * "Expert to OR" over HTTP (docs/or-gateway.md): {@code DELETE /api/ors/{id}/annotations} clears every remote stroke
 * on the OR's screens (the expert's own strokes and clears travel on the viewing's socket, {@link MetadataSocket});
 * {@code /api/ors/{id}/talk...} is the talk-back's signaling ({@link TalkBack}).
 */
public final class ExpertRoutes {
    private final Telestration telestration;
    private final TalkBack talkBack;
    private final Function<Context, Accounts.User> currentUser;

    public ExpertRoutes(LiveOrs ors, Function<Context, Accounts.User> currentUser) {
        this.telestration = new Telestration(ors);
        this.talkBack = new TalkBack(ors);
        this.currentUser = currentUser;
    }

    public void register(Javalin app) {
        app.delete(
                "/api/ors/{id}/annotations",
                ctx -> {
                    try {
                        ctx.result(telestration
                                        .clearAll(ctx.pathParam("id"), currentUser.apply(ctx))
                                        .toString())
                                .contentType("application/json");
                    } catch (OrException e) {
                        throw new ApiError(e.reason().status(), e.reason().code(), e.getMessage());
                    }
                },
                Role.READERS.toArray(Role[]::new));
        Role[] readers = Role.READERS.toArray(Role[]::new);
        app.post(
                "/api/ors/{id}/talk",
                ctx -> run(ctx, u -> {
                    ViewerMessages.TalkJoin j = ViewerMessages.talkJoin(ctx.body());
                    ctx.status(201)
                            .contentType("application/json")
                            .result(TalkBack.json(talkBack.join(ctx.pathParam("id"), u, j.side(), j.offerSdp()))
                                    .toString());
                }),
                readers);
        app.post(
                "/api/ors/{id}/talk/{talk}/talking",
                ctx -> run(ctx, u -> {
                    boolean on = talkBack.talk(
                            ctx.pathParam("id"), ctx.pathParam("talk"), u, ViewerMessages.talking(ctx.body()));
                    ctx.contentType("application/json").result("{\"talking\":" + on + "}");
                }),
                readers);
        app.post(
                "/api/ors/{id}/talk/{talk}/leave",
                ctx -> run(ctx, u -> {
                    talkBack.leave(ctx.pathParam("id"), ctx.pathParam("talk"), u);
                    ctx.status(204);
                }),
                readers);
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
