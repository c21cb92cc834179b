package org.medsync.conference.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's shared-secret REST scheme (draft-uberti-behave-turn-rest-00,
 * coturn {@code --use-auth-secret --static-auth-secret}): username {@code "<expiry unix seconds>:<tag>"},
 * password {@code base64(HMAC-SHA1(secret, username))}. coturn recomputes the password and refuses expired
 * usernames, so the server never shares the secret with browsers.
 */
public final class TurnCredentials {
    /** Credentials for one participant. */
    public record Credential(List<String> urls, String username, String password, long expiresEpochSeconds) {}

    private final List<String> urls;
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public TurnCredentials(List<String> urls, String secret, Duration ttl, Clock clock) {
        if (urls.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("TURN needs at least one URL and a secret");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("TURN credential lifetime must be positive");
        }
        this.urls = List.copyOf(urls);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A credential for {@code tag} (a peer or user name without ':'), valid for the configured lifetime. */
    public Credential mint(String tag) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String username = expires + ":" + tag.replace(':', '_');
        return new Credential(urls, username, password(username), expires);
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
