package org.medsync.archive.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.archive.audit.AuditChain;

/** The uploads of the index (table archive_upload): who sends what, for which hospital, until when. */
final class Uploads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, owner_kind, owner, hospital_id, length, sha256, metadata::text as meta,"
            + " recording_id, state, message, created_at, expires_at, completed_at";

    enum State {
        OPEN,
        COMPLETED,
        FAILED,
        TERMINATED,
        EXPIRED
    }

    record Row(
            String id,
            String ownerKind,
            String owner,
            String hospitalId,
            long length,
            String sha256,
            Map<String, String> metadata,
            String recordingId,
            State state,
            String message,
            Instant createdAt,
            Instant expiresAt,
            Instant completedAt) {

        boolean ownedBy(Uploader u) {
            return ownerKind.equals(u.kind().code()) && owner.equals(u.id());
        }
    }

    private final DataSource dataSource;

    Uploads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void create(Row row) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_upload (id, owner_kind, owner,"
                        + " hospital_id, length, sha256, metadata, recording_id, expires_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            s.setString(1, row.id());
            s.setString(2, row.ownerKind());
            s.setString(3, row.owner());
            s.setString(4, row.hospitalId());
            s.setLong(5, row.length());
            s.setString(6, row.sha256());
            s.setString(7, JSON.writeValueAsString(row.metadata()));
            s.setString(8, row.recordingId());
            s.setTimestamp(9, Timestamp.from(row.expiresAt()));
            s.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is a map of strings", e);
        }
    }

    Optional<Row> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from archive_upload where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    void extend(String id, Instant expiresAt) throws SQLException {
        update("update archive_upload set expires_at = ? where id = ? and state = 'open'", s -> {
            s.setTimestamp(1, Timestamp.from(expiresAt));
            s.setString(2, id);
        });
    }

    /** Ends an open upload in {@code state} with a message; false if it was no longer open. */
    boolean end(String id, State state, String message) throws SQLException {
        return update(
                        "update archive_upload set state = ?, message = ?,"
                                + " completed_at = case when ? = 'completed' then now() else completed_at end"
                                + " where id = ? and state = 'open'",
                        s -> {
                            String code = state.name().toLowerCase(Locale.ROOT);
                            s.setString(1, code);
                            s.setString(2, message);
                            s.setString(3, code);
                            s.setString(4, id);
                        })
                == 1;
    }

    /** Appends the upload to the access log (archive_access): who delivered which recording. */
    void logAccepted(Row row) throws SQLException {
        new AuditChain(dataSource)
                .append(
                        row.owner(),
                        row.ownerKind(),
                        row.recordingId(),
                        "upload",
                        true,
                        "upload " + row.id() + ", " + row.length() + " bytes, sha256 " + row.sha256());
    }

    /** Open uploads whose time ran out. */
    List<Row> expired(Instant now) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select " + COLUMNS + " from archive_upload where state = 'open' and expires_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private int update(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            return s.executeUpdate();
        }
    }

    private static Row read(ResultSet r) throws SQLException {
        Map<String, String> metadata;
        try {
            metadata = JSON.readValue(r.getString("meta"), new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("upload " + r.getString("id") + " has unreadable metadata", e);
        }
        return new Row(
                r.getString("id"),
                r.getString("owner_kind"),
                r.getString("owner"),
                r.getString("hospital_id"),
                r.getLong("length"),
                r.getString("sha256"),
                metadata,
                r.getString("recording_id"),
                State.valueOf(r.getString("state").toUpperCase(Locale.ROOT)),
                r.getString("message"),
                instant(r.getTimestamp("created_at")),
                instant(r.getTimestamp("expires_at")),
                instant(r.getTimestamp("completed_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
