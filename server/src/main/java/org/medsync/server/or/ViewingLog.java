package org.medsync.server.or;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Every viewing of a live OR flow, in PostgreSQL (V170): who, which OR and flow, from when to when. */
final class ViewingLog {
    /** One viewing; {@code ended} null while it goes on. */
    record Viewing(String id, String username, String role, String orId, String flow, Instant started, Instant ended) {}

    private final DataSource db;
    private final String node;

    ViewingLog(DataSource db, String node) {
        this.db = db;
        this.node = node;
    }

    /** Viewings this node left open when it stopped without closing them end at their start (their end is unknown). */
    int closeLeftovers() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update or_viewing set ended_at = started_at where ended_at is null and node = ?")) {
            s.setString(1, node);
            return s.executeUpdate();
        }
    }

    void started(String id, String username, String role, String orId, String flow, Instant at) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into or_viewing"
                        + " (id, username, role, or_id, flow, started_at, node) values (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, username);
            s.setString(3, role);
            s.setString(4, orId);
            s.setString(5, flow);
            s.setTimestamp(6, Timestamp.from(at));
            s.setString(7, node);
            s.executeUpdate();
        }
    }

    void ended(String id, Instant at) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("update or_viewing set ended_at = ? where id = ? and ended_at is null")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    /** The latest viewings, newest first. */
    List<Viewing> latest(int limit) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, username, role, or_id, flow, started_at, ended_at"
                        + " from or_viewing order by started_at desc, id limit ?")) {
            s.setInt(1, limit);
            List<Viewing> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp ended = r.getTimestamp(7);
                    out.add(new Viewing(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getTimestamp(6).toInstant(),
                            ended == null ? null : ended.toInstant()));
                }
            }
            return out;
        }
    }
}
