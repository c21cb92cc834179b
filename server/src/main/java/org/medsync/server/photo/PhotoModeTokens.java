package org.medsync.server.photo;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The tokens the viewer's photo mode shows in its QR code (photo_mode_token, V180): 128 random bits, base64url
 * without padding (22 characters), naming the instance on screen. The picture carries only the token: whoever
 * photographs it learns nothing, and the server resolves it only for a user allowed the study.
 */
public final class PhotoModeTokens {
    public static final String QR_PREFIX = "MSPH1:";

    /** Long enough for a reading session and the photo taken during it; short enough that a leaked one soon dies. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private final SecureRandom random = new SecureRandom();
    private final DataSource db;
    private final Clock clock;

    /** The instance a token names. */
    public record Target(String studyUid, String seriesUid, String sopUid, String sopClassUid, String issuedTo) {}

    PhotoModeTokens(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    String issue(String username, Target t) throws SQLException {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        insert into photo_mode_token (token, username, study_uid, series_uid, sop_uid, sop_class,
                            created_at, expires_at) values (?,?,?,?,?,?,?,?)""")) {
            ps.setString(1, token);
            ps.setString(2, username);
            ps.setString(3, t.studyUid());
            ps.setString(4, t.seriesUid());
            ps.setString(5, t.sopUid());
            ps.setString(6, t.sopClassUid());
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setTimestamp(8, Timestamp.from(clock.instant().plus(LIFETIME)));
            ps.executeUpdate();
        }
        return token;
    }

    /** The token's instance while it lives; empty for an unknown, malformed or expired token. */
    Optional<Target> resolve(String token) throws SQLException {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        select study_uid, series_uid, sop_uid, sop_class, username from photo_mode_token
                        where token = ? and expires_at > ?""")) {
            ps.setString(1, token);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Target(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                        : Optional.empty();
            }
        }
    }
}
