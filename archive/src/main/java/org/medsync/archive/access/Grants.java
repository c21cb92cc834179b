package org.medsync.archive.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Named users granted one recording until a time, revocable (table archive_grant). */
public final class Grants {
    /** A grant; {@code revokedAt} null while it stands. */
    public record Grant(
            String id,
            String recordingId,
            String grantee,
            String grantedBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            String revokedBy) {
        /** Whether the grant gives access at {@code now}. */
        public boolean activeAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public Grants(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Grants {@code grantee} the recording until {@code expiresAt}.
     *
     * @throws IllegalArgumentException when the expiry is not in the future or the grantee is blank
     */
    public Grant create(String recordingId, String grantee, String grantedBy, Instant expiresAt) throws SQLException {
        if (grantee == null || grantee.isBlank() || grantee.length() > 200) {
            throw new IllegalArgumentException("a grant names a user (1 to 200 characters)");
        }
        if (!expiresAt.isAfter(clock.instant())) {
            throw new IllegalArgumentException("a grant expires in the future, not at " + expiresAt);
        }
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_grant (id, recording_id, grantee,"
                        + " granted_by, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, recordingId);
            s.setString(3, grantee.strip());
            s.setString(4, grantedBy);
            s.setTimestamp(5, Timestamp.from(clock.instant()));
            s.setTimestamp(6, Timestamp.from(expiresAt));
            s.executeUpdate();
        }
        return find(id).orElseThrow();
    }

    /** Revokes a grant; false when there is no such grant or it was revoked already. */
    public boolean revoke(String id, String revokedBy) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_grant set revoked_at = ?, revoked_by = ?"
                        + " where id = ? and revoked_at is null")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, revokedBy);
            s.setString(3, id);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<Grant> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_grant where id = ?")) {
            s.setString(1, id);
            List<Grant> found = read(s);
            return found.stream().findFirst();
        }
    }

    /** Every grant of a recording, revoked and expired ones too, newest first. */
    public List<Grant> of(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select * from archive_grant where recording_id = ? order by created_at desc, id")) {
            s.setString(1, recordingId);
            return read(s);
        }
    }

    private static List<Grant> read(PreparedStatement s) throws SQLException {
        List<Grant> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp revoked = r.getTimestamp("revoked_at");
                out.add(new Grant(
                        r.getString("id"),
                        r.getString("recording_id"),
                        r.getString("grantee"),
                        r.getString("granted_by"),
                        r.getTimestamp("created_at").toInstant(),
                        r.getTimestamp("expires_at").toInstant(),
                        revoked == null ? null : revoked.toInstant(),
                        r.getString("revoked_by")));
            }
        }
        return out;
    }
}
