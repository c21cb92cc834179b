package org.medsync.server.readout;

import org.medsync.conference.protocol.ServerMessage;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Readouts in PostgreSQL (V101): what they are (title, creator, worklist), which node is their home, and which
 * guests an invite admitted. Every node of a cluster sees the same readouts, and a restart loses none.
 */
final class ReadoutStore {
    /** A readout as stored. */
    record Stored(String id, String title, String createdBy, Instant created, List<ServerMessage.WorklistItem> worklist, String homeNode) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ReadoutStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    Stored create(String title, String createdBy, List<ServerMessage.WorklistItem> worklist, String homeNode) throws SQLException {
        byte[] raw = new byte[12];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant created = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement r = c.prepareStatement("insert into readout (id, title, created_by, created_at, home_node) values (?,?,?,?,?)");
                 PreparedStatement s = c.prepareStatement(
                         "insert into readout_study (readout_id, position, source, study_instance_uid, label) values (?,?,?,?,?)")) {
                r.setString(1, id);
                r.setString(2, title);
                r.setString(3, createdBy);
                r.setTimestamp(4, Timestamp.from(created));
                r.setString(5, homeNode);
                r.executeUpdate();
                for (int i = 0; i < worklist.size(); i++) {
                    ServerMessage.WorklistItem w = worklist.get(i);
                    s.setString(1, id);
                    s.setInt(2, i);
                    s.setString(3, w.source());
                    s.setString(4, w.studyInstanceUid());
                    s.setString(5, w.label());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Stored(id, title, createdBy, created, List.copyOf(worklist), homeNode);
    }

    Optional<Stored> find(String id) throws SQLException {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement r = c.prepareStatement("select title, created_by, created_at, home_node from readout where id = ?");
             PreparedStatement s = c.prepareStatement(
                     "select source, study_instance_uid, label from readout_study where readout_id = ? order by position")) {
            r.setString(1, id);
            try (ResultSet rs = r.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                s.setString(1, id);
                List<ServerMessage.WorklistItem> worklist = new ArrayList<>();
                try (ResultSet ws = s.executeQuery()) {
                    while (ws.next()) {
                        worklist.add(new ServerMessage.WorklistItem(ws.getString(1), ws.getString(2), ws.getString(3)));
                    }
                }
                return Optional.of(new Stored(id, rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), List.copyOf(worklist),
                        rs.getString(4)));
            }
        }
    }

    /** Moves the readout's home from {@code from} to {@code to}, only if {@code from} still is its home. */
    boolean moveHome(String id, String from, String to) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update readout set home_node = ? where id = ? and home_node = ?")) {
            ps.setString(1, to);
            ps.setString(2, id);
            ps.setString(3, from);
            return ps.executeUpdate() == 1;
        }
    }

    /** Of these readouts, those whose home is not {@code node} (any more). */
    List<String> homedElsewhere(List<String> ids, String node) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select id from readout where id = any (?) and home_node <> ?")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setString(2, node);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    void admitGuest(String readoutId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into readout_guest (readout_id, username) values (?,?) on conflict do nothing")) {
            ps.setString(1, readoutId);
            ps.setString(2, username);
            ps.executeUpdate();
        }
    }

    boolean isAdmitted(String readoutId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from readout_guest where readout_id = ? and username = ?")) {
            ps.setString(1, readoutId);
            ps.setString(2, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether a guest may see a study: only the worklists of readouts an invite admitted them to. */
    boolean guestMaySee(String username, String source, String studyUid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select 1 from readout_guest g join readout_study s on s.readout_id = g.readout_id
                where g.username = ? and s.source = ? and s.study_instance_uid = ? limit 1""")) {
            ps.setString(1, username);
            ps.setString(2, source);
            ps.setString(3, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
