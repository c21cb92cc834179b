package org.medsync.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;

/** User management, for admins only. */
final class AdminRoutes {
    private record NewUser(String username, String displayName, String role, String password) {}

    private final Accounts accounts;
    private final Sessions sessions;

    AdminRoutes(Accounts accounts, Sessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.get(
                "/api/admin/users",
                ctx -> ctx.json(
                        accounts.list().stream().map(SessionRoutes::view).toList()),
                Role.ADMIN);
        app.post("/api/admin/users", this::create, Role.ADMIN);
        app.delete("/api/admin/users/{username}", this::delete, Role.ADMIN);
    }

    private void create(Context ctx) throws SQLException {
        NewUser u = ctx.bodyAsClass(NewUser.class);
        try {
            Role role;
            try {
                role = Role.parse(u.role());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "bad-role", e.getMessage());
            }
            ctx.status(201)
                    .json(SessionRoutes.view(accounts.create(u.username(), u.displayName(), role, u.password())));
        } catch (Accounts.AccountException e) {
            throw switch (e.reason()) {
                case EXISTS -> new ApiError(409, "user-exists", e.getMessage());
                case NOT_FOUND -> new ApiError(404, "no-such-user", e.getMessage());
                case INVALID -> new ApiError(400, "invalid-user", e.getMessage());
            };
        }
    }

    private void delete(Context ctx) throws SQLException {
        String name = ctx.pathParam("username");
        if (name.equals(Access.user(ctx).username())) {
            throw new ApiError(400, "cannot-delete-self", "an admin cannot delete their own account");
        }
        try {
            accounts.delete(name);
            sessions.closeAll(name);
            ctx.status(204);
        } catch (Accounts.AccountException e) {
            throw new ApiError(404, "no-such-user", e.getMessage());
        }
    }
}
