package org.medsync.conference.invite;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Invite tokens: {@code base64url(payload) "." base64url(HMAC-SHA256(key, payload))}, payload
 * {@code "v1|" readoutId "|" role "|" expiresEpochSeconds "|" nonce} (ASCII). The server verifies the MAC in
 * constant time and the expiry against its own clock. The nonce names the invite: a server that records
 * invites under it (their uses, their revocation) checks that record too, since a valid signature alone cannot
 * be taken back before the invite expires.
 */
public final class Invites {
    /** A verified invite; {@code id} is its nonce, unique per issued token. */
    public record Invite(String id, String readoutId, String role, Instant expires) {}

    /** Why a token was refused. */
    public static final class InviteException extends Exception {
        /** Why; the HTTP API answers {@code invite-} and {@link #code()} as its error. */
        public enum Reason {
            /** Not a token of ours: wrong length, fields or characters. */
            MALFORMED,
            /** Signed with another key, or changed after signing. */
            BAD_SIGNATURE,
            /** Its time is over. */
            EXPIRED;

            /** The reason as it reaches the wire: the constant's name in kebab case. */
            public String code() {
                return name().toLowerCase(Locale.ROOT).replace('_', '-');
            }
        }

        private final Reason reason;

        public InviteException(Reason reason) {
            super("invite " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        public Reason reason() {
            return reason;
        }
    }

    private static final int MAX_TOKEN = 512;
    private static final Pattern READOUT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ROLE = Pattern.compile("[a-z]{1,16}");
    private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,12}");
    private static final Pattern NONCE = Pattern.compile("[0-9a-z]{1,13}");
    private final SecretKeySpec key;
    private final Clock clock;
    private final RandomGenerator random;

    public Invites(byte[] key, Clock clock) {
        this(key, clock, new SecureRandom());
    }

    public Invites(byte[] key, Clock clock, RandomGenerator random) {
        if (key.length < 16) {
            throw new IllegalArgumentException("invite key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
        this.random = random;
    }

    public String issue(String readoutId, String role, Duration ttl) {
        if (!READOUT_ID.matcher(readoutId).matches() || !ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("bad readout id or role");
        }
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload =
                "v1|" + readoutId + "|" + role + "|" + expires + "|" + Long.toUnsignedString(random.nextLong(), 36);
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        return b64(p) + "." + b64(mac(p));
    }

    public Invite verify(String token) throws InviteException {
        if (token == null || token.length() > MAX_TOKEN) {
            throw new InviteException(InviteException.Reason.MALFORMED);
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InviteException(InviteException.Reason.MALFORMED);
        }
        byte[] payload;
        byte[] sig;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InviteException(InviteException.Reason.MALFORMED);
        }
        if (!MessageDigest.isEqual(mac(payload), sig)) {
            throw new InviteException(InviteException.Reason.BAD_SIGNATURE);
        }
        // A valid MAC only says the key signed it: the payload is still checked to be one issue() writes, so a
        // token signed by an older or a buggy issuer cannot carry a field no caller expects (or an expiry past
        // Instant.MAX).
        String[] f = new String(payload, StandardCharsets.US_ASCII).split("\\|", -1);
        if (f.length != 5
                || !f[0].equals("v1")
                || !READOUT_ID.matcher(f[1]).matches()
                || !ROLE.matcher(f[2]).matches()
                || !EXPIRES.matcher(f[3]).matches()
                || !NONCE.matcher(f[4]).matches()) {
            throw new InviteException(InviteException.Reason.MALFORMED);
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(f[3]));
        if (!clock.instant().isBefore(at)) {
            throw new InviteException(InviteException.Reason.EXPIRED);
        }
        return new Invite(f[4], f[1], f[2], at);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
