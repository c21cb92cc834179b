package org.medsync.archive.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Share links (table archive_share_link): whoever holds the token plays what the link names until it expires or is
 * revoked. A token is 256 random bits in base64url; only its SHA-256 is stored, so neither the table nor a backup
 * hands out working links, and the token is shown once, when the link is made.
 */
public final class ShareLinks {
    /** 32 bytes in unpadded base64url. Anything else is refused before it is hashed or looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A link as stored (no token). */
    public record ShareLink(
            String id,
            String recordingId,
            boolean anonymized,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            String revokedBy) {
        public boolean activeAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    /** A link just made, with its token: the only time the token exists outside its holder's hands. */
    public record Created(ShareLink link, String token) {}

    /** Why a token opens nothing; said in the access log, never to the holder (who gets a plain 404). */
    public enum Refusal {
        MALFORMED,
        UNKNOWN,
        EXPIRED,
        REVOKED
    }

    /**
     * What a token resolves to: the active link, or why not; {@code matched} is the stored link the token named,
     * active or not (null when it named none), for the access log.
     */
    public record Resolution(Optional<ShareLink> link, Refusal refusal, ShareLink matched) {}

    private final DataSource dataSource;
    private final Clock clock;

    public ShareLinks(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Created create(String recordingId, boolean anonymized, String createdBy, Instant expiresAt)
            throws SQLException {
        if (!expiresAt.isAfter(clock.instant())) {
            throw new IllegalArgumentException("a link expires in the future, not at " + expiresAt);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_share_link (id, recording_id,"
                        + " token_sha256, anonymized, created_by, created_at, expires_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, recordingId);
            s.setString(3, HexFormat.of().formatHex(sha256(token)));
            s.setBoolean(4, anonymized);
            s.setString(5, createdBy);
            s.setTimestamp(6, Timestamp.from(clock.instant()));
            s.setTimestamp(7, Timestamp.from(expiresAt));
            s.executeUpdate();
        }
        return new Created(find(id).orElseThrow(), token);
    }

    /** The active link a token opens, or why it opens none. */
    public Resolution resolve(String token) throws SQLException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return new Resolution(Optional.empty(), Refusal.MALFORMED, null);
        }
        byte[] hash = sha256(token);
        String hex = HexFormat.of().formatHex(hash);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_share_link where token_sha256 = ?")) {
            s.setString(1, hex);
            List<ShareLink> found = new ArrayList<>();
            String stored = null;
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    stored = r.getString("token_sha256");
                    found.add(read(r));
                }
            }
            // The index lookup matched on the hash; compare again in constant time so no code path's timing
            // depends on how much of a guessed hash agrees with a stored one.
            if (stored == null
                    || !MessageDigest.isEqual(
                            stored.getBytes(StandardCharsets.US_ASCII), hex.getBytes(StandardCharsets.US_ASCII))) {
                return new Resolution(Optional.empty(), Refusal.UNKNOWN, null);
            }
            ShareLink link = found.getFirst();
            if (link.revokedAt() != null) {
                return new Resolution(Optional.empty(), Refusal.REVOKED, link);
            }
            if (!clock.instant().isBefore(link.expiresAt())) {
                return new Resolution(Optional.empty(), Refusal.EXPIRED, link);
            }
            return new Resolution(Optional.of(link), null, link);
        }
    }

    public boolean revoke(String id, String revokedBy) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_share_link set revoked_at = ?,"
                        + " revoked_by = ? where id = ? and revoked_at is null")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, revokedBy);
            s.setString(3, id);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<ShareLink> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_share_link where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** Every link of a recording, newest first. */
    public List<ShareLink> of(String recordingId) throws SQLException {
        List<ShareLink> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select * from archive_share_link where recording_id = ? order by created_at desc, id")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
        }
        return out;
    }

    private static ShareLink read(ResultSet r) throws SQLException {
        Timestamp revoked = r.getTimestamp("revoked_at");
        return new ShareLink(
                r.getString("id"),
                r.getString("recording_id"),
                r.getBoolean("anonymized"),
                r.getString("created_by"),
                r.getTimestamp("created_at").toInstant(),
                r.getTimestamp("expires_at").toInstant(),
                revoked == null ? null : revoked.toInstant(),
                r.getString("revoked_by"));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
