package org.medsync.server.or;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.Function;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * The OR station's side of "Expert to OR" (docs/or-gateway.md): {@code DELETE /api/ors/{id}/annotations} clears every
 * remote stroke on the OR's screens. The expert's own strokes and clears travel on the viewing's socket
 * ({@link MetadataSocket}).
 */
public final class ExpertRoutes {
    private final Telestration telestration;
    private final Function<Context, Accounts.User> currentUser;

    public ExpertRoutes(LiveOrs ors, Function<Context, Accounts.User> currentUser) {
        this.telestration = new Telestration(ors);
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
    }
}
