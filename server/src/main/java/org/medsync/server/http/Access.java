package org.medsync.server.http;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;

/** Checks, before every matched route, that the caller's role is among the roles the route admits. */
final class Access {
    private static final String USER = "medsync.user";

    /** Which studies a guest of a readout may see (guests are students or observers without an account). */
    interface GuestScope {
        boolean isGuest(String username);

        /** Whether the guest's invite is neither revoked nor expired and its readout has not ended. */
        boolean isActive(String username);

        boolean maySee(String username, String source, String studyUid);
    }

    private final Sessions sessions;
    private final GuestScope guests;

    Access(Sessions sessions, GuestScope guests) {
        this.sessions = sessions;
        this.guests = guests;
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
        if (guests.isGuest(user.username())) {
            if (!guests.isActive(user.username())) {
                sessions.closeAll(user.username());
                throw new ApiError(
                        401, "session-ended", "your invite was revoked or has expired, or the readout has ended");
            }
            checkGuest(ctx, user);
        }
        ctx.attribute(USER, user);
    }

    /**
     * A guest reads the studies of their readout and nothing else: not the worklist, not searches, not other
     * studies, even de-identified.
     */
    private void checkGuest(Context ctx, Accounts.User user) {
        String path = ctx.path();
        if (path.startsWith("/api/readouts/") || path.equals("/api/session")) {
            return;
        }
        String[] p = path.split("/");
        // /dicomweb/{source}/studies/{study}/...
        if (p.length >= 5
                && p[1].equals("dicomweb")
                && p[3].equals("studies")
                && guests.maySee(user.username(), p[2], p[4])) {
            return;
        }
        throw new ApiError(403, "forbidden", "a readout guest sees only the readout's studies");
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
