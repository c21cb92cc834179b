package org.medsync.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in sessions, by an unguessable 256-bit token carried in an HttpOnly cookie. A session ends after
 * {@code idle} without use, at logout, or when the server restarts.
 */
public final class Sessions {
    public static final String COOKIE = "medsync_session";

    private record Session(Accounts.User user, Instant lastUse) {}

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idle;
    private final Clock clock;

    public Sessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public String open(Accounts.User user) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byToken.put(token, new Session(user, clock.instant()));
        return token;
    }

    public Optional<Accounts.User> lookup(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastUse().plus(idle).isBefore(now)) {
            byToken.remove(token);
            return Optional.empty();
        }
        byToken.put(token, new Session(s.user(), now));
        return Optional.of(s.user());
    }

    public void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Ends every session of a user, e.g. when the account is deleted. */
    public void closeAll(String username) {
        byToken.values().removeIf(s -> s.user().username().equals(username));
    }
}
