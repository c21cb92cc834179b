package org.medsync.archive.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Stretches the ingest checks flagged, for the player's timeline (table archive_flag). */
public final class Flags {
    private final DataSource dataSource;

    public Flags(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A flagged stretch.
     *
     * @param kind black, frozen, blurred, overexposed or underexposed
     * @param detail what was measured ("mean luma 238.7"), or null
     */
    public record Flag(String kind, double start, double end, String detail) {}

    /** Replaces every flag of a recording with these, in one transaction (a job run again replaces its flags). */
    public void replace(String recordingId, List<Flag> flags) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("delete from archive_flag where recording_id = ?")) {
                    s.setString(1, recordingId);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("insert into archive_flag (recording_id, kind,"
                        + " start_seconds, end_seconds, detail) values (?, ?, ?, ?, ?)")) {
                    for (Flag f : flags) {
                        s.setString(1, recordingId);
                        s.setString(2, f.kind());
                        s.setDouble(3, f.start());
                        s.setDouble(4, f.end());
                        s.setString(5, f.detail());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The flags of a recording in timeline order. */
    public List<Flag> of(String recordingId) throws SQLException {
        List<Flag> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select kind, start_seconds, end_seconds, detail from"
                        + " archive_flag where recording_id = ? order by start_seconds, kind")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Flag(r.getString(1), r.getDouble(2), r.getDouble(3), r.getString(4)));
                }
            }
        }
        return out;
    }
}
