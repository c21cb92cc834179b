package org.medsync.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.LoginThrottle;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log in, who am I, log out. */
final class SessionRoutes {
    private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);

    private record Credentials(String username, String password) {}

    private final Accounts accounts;
    private final Sessions sessions;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());

    SessionRoutes(Accounts accounts, Sessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.post("/api/session", this::login, Role.ANYONE);
        app.get("/api/session", ctx -> ctx.json(view(Access.user(ctx))), Access.roles(Role.READERS));
        app.delete("/api/session", this::logout, Role.ANYONE);
    }

    private void login(Context ctx) throws SQLException {
        Credentials c = ctx.bodyAsClass(Credentials.class);
        Optional<Duration> wait = throttle.wait(c.username(), ctx.ip());
        if (wait.isPresent()) {
            // Refused before the password is checked: a lockout is no oracle, and it reads the same for every name.
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", String.valueOf(seconds));
            log.warn("Login refused (throttled {} s) from {}", seconds, ctx.ip());
            throw new ApiError(429, "too-many-attempts", "Too many failed logins: try again in " + seconds + " s");
        }
        Accounts.User user = accounts.authenticate(c.username(), c.password()).orElse(null);
        if (user == null) {
            throttle.failed(c.username(), ctx.ip());
            log.warn("Failed login from {}", ctx.ip());
            throw new ApiError(401, "bad-credentials", "Wrong user name or password");
        }
        throttle.succeeded(c.username());
        // A fresh token for every login; the browser's previous session (another user, a guest) ends here.
        sessions.close(ctx.cookie(Sessions.COOKIE));
        Cookie cookie = new Cookie(
                Sessions.COOKIE,
                sessions.open(user),
                "/",
                -1,
                ctx.scheme().equals("https"),
                0,
                true,
                null,
                null,
                SameSite.STRICT);
        ctx.cookie(cookie);
        log.info("Login: {} ({})", user.username(), user.role().wireName());
        ctx.json(view(user));
    }

    private void logout(Context ctx) {
        sessions.close(ctx.cookie(Sessions.COOKIE));
        ctx.removeCookie(Sessions.COOKIE, "/");
        ctx.status(204);
    }

    static Map<String, String> view(Accounts.User u) {
        return Map.of(
                "username",
                u.username(),
                "displayName",
                u.displayName(),
                "role",
                u.role().wireName());
    }
}
