package org.medsync.archive.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.medsync.archive.audit.AuditChain;

/**
 * Appends one row to archive_access for every view, share, link use, download, send and refusal, chained by hash
 * ({@link AuditChain}). The detail names what was done (a rendition, a grantee, an expiry), never a patient field: the
 * log is read by auditors who need not see who was operated on.
 */
public final class AccessLog {
    /** Who acted: a logged-in user, a recorder device, the holder of a share link, or the archive itself. */
    public enum ActorKind {
        USER,
        DEVICE,
        LINK,
        SYSTEM;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One row of the log. */
    public record Entry(
            long id,
            Instant at,
            String actor,
            String actorKind,
            String recordingId,
            String action,
            boolean allowed,
            String detail) {}

    private final DataSource dataSource;
    private final AuditChain chain;

    public AccessLog(DataSource dataSource) {
        this.dataSource = dataSource;
        this.chain = new AuditChain(dataSource);
    }

    /** Appends one row to the hash chain (docs/archive-evidence.md "Tamper-evident audit trail"). */
    public void append(String actor, ActorKind kind, String recordingId, String action, boolean allowed, String detail)
            throws SQLException {
        chain.append(actor, kind.code(), recordingId, action, allowed, detail);
    }

    /** A user's action. */
    public void user(Viewer viewer, String recordingId, String action, boolean allowed, String detail)
            throws SQLException {
        append(viewer.username(), ActorKind.USER, recordingId, action, allowed, detail);
    }

    /** The log of one recording, oldest first. */
    public List<Entry> of(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, at, actor, actor_kind, recording_id, action,"
                        + " allowed, detail from archive_access where recording_id = ? order by id")) {
            s.setString(1, recordingId);
            return read(s);
        }
    }

    /** The newest rows, newest first. */
    public List<Entry> latest(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, at, actor, actor_kind, recording_id, action,"
                        + " allowed, detail from archive_access order by id desc limit ?")) {
            s.setInt(1, limit);
            return read(s);
        }
    }

    private static List<Entry> read(PreparedStatement s) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Entry(
                        r.getLong("id"),
                        r.getTimestamp("at").toInstant(),
                        r.getString("actor"),
                        r.getString("actor_kind"),
                        r.getString("recording_id"),
                        r.getString("action"),
                        r.getBoolean("allowed"),
                        r.getString("detail")));
            }
        }
        return out;
    }
}
