package org.medsync.server.http;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;

import java.util.Set;

/** Checks, before every matched route, that the caller's role is among the roles the route admits. */
final class Access {
    private static final String USER = "medsync.user";

    private final Sessions sessions;

    Access(Sessions sessions) {
        this.sessions = sessions;
    }

    void check(Context ctx) {
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.contains(Role.ANYONE)) {
            return;
        }
        if (allowed.isEmpty()) {
            if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/dicomweb/")) {
                return; // the web app's static files, which hold no patient data
            }
            // An API route registered without roles is a programming error: refuse rather than expose it.
            throw new ApiError(403, "forbidden", "this route admits no role");
        }
        Accounts.User user = sessions.lookup(ctx.cookie(Sessions.COOKIE))
                .orElseThrow(() -> new ApiError(401, "not-logged-in", "log in first"));
        if (!allowed.contains(user.role())) {
            throw new ApiError(403, "forbidden", "role '" + user.role().wireName() + "' may not do this");
        }
        ctx.attribute(USER, user);
    }

    static Accounts.User user(Context ctx) {
        Accounts.User u = ctx.attribute(USER);
        if (u == null) {
            throw new ApiError(401, "not-logged-in", "log in first");
        }
        return u;
    }

    static Role[] roles(Set<Role> roles) {
        return roles.toArray(Role[]::new);
    }
}
