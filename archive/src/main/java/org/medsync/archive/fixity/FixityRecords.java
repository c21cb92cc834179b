package org.medsync.archive.fixity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The fixity tables (V156): the last check of each copy, the runs, the blobs' check times and the rounds. */
final class FixityRecords {
    private final DataSource db;

    FixityRecords(DataSource db) {
        this.db = db;
    }

    /** A blob to check and the size every copy of it must have. */
    record Blob(String name, long size) {}

    /** Size of a blob the archive still names, or empty when no object rests in it (deleted meanwhile). */
    Optional<Long> blobSize(String blob) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select blob_size from archive_blob where blob = ? limit 1")) {
            s.setString(1, blob);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Takes this interval's scheduling round for {@code node} if no node took one within {@code interval}: the
     * conditional update lets exactly one node of the cluster win.
     */
    boolean takeRound(String node, Duration interval) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_fixity_schedule set last_round = now(),"
                        + " node = ? where id = 1 and (last_round is null or last_round <= now() - make_interval(secs"
                        + " => ?))")) {
            s.setString(1, node);
            s.setDouble(2, interval.toMillis() / 1000.0);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Reserves up to {@code limit} of the blobs checked longest ago (never checked first) that no queued batch holds
     * and that were last checked before {@code checkedBefore}, for {@code hold}: a batch that never runs frees its
     * blobs for a later round.
     */
    List<Blob> reserveDue(int limit, Duration hold, Instant checkedBefore) throws SQLException {
        List<Blob> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("with due as (select sha256 from archive_blob"
                        + " where (fixity_scheduled_until is null or fixity_scheduled_until < now())"
                        + " and (fixity_checked_at is null or fixity_checked_at < ?)"
                        + " order by fixity_checked_at nulls first, sha256 limit ? for update skip locked)"
                        + " update archive_blob b set fixity_scheduled_until = now() + make_interval(secs => ?)"
                        + " from due where b.sha256 = due.sha256 returning b.blob, b.blob_size")) {
            s.setTimestamp(1, Timestamp.from(checkedBefore));
            s.setInt(2, limit);
            s.setDouble(3, hold.toMillis() / 1000.0);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Blob(r.getString(1), r.getLong(2)));
                }
            }
        }
        return out;
    }

    /** The database's clock: every node judges rounds by it, whatever their own clocks say. */
    Instant now() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select now()");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getTimestamp(1).toInstant();
        }
    }

    /** Gives reserved blobs back (their batch could not be queued). */
    void release(List<String> blobs) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update archive_blob set fixity_scheduled_until = null where blob = any (?)")) {
            s.setArray(1, c.createArrayOf("text", blobs.toArray()));
            s.executeUpdate();
        }
    }

    /** Every blob after {@code after} in name order, a page at a time (a whole pass from the command line). */
    List<Blob> page(String after, int limit) throws SQLException {
        List<Blob> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select blob, max(blob_size) from archive_blob where blob > ?"
                        + " group by blob order by blob limit ?")) {
            s.setString(1, after);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Blob(r.getString(1), r.getLong(2)));
                }
            }
        }
        return out;
    }

    /** The last check of one copy. */
    void record(String blob, String location, String state, String detail) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_fixity (blob, location, checked_at,"
                        + " state, detail) values (?, ?, now(), ?, ?) on conflict (blob, location) do update set"
                        + " checked_at = now(), state = excluded.state, detail = excluded.detail")) {
            s.setString(1, blob);
            s.setString(2, location);
            s.setString(3, state);
            s.setString(4, detail);
            s.executeUpdate();
        }
    }

    /** Every copy of a blob was checked just now; it leaves its batch. */
    void checked(String blob) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_blob set fixity_checked_at = now(),"
                        + " fixity_scheduled_until = null where blob = ?")) {
            s.setString(1, blob);
            s.executeUpdate();
        }
    }

    /** A recording the blob belongs to (its source or one of its renditions' files), for the access log. */
    String recordingOf(String blob) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select r.id from archive_blob b join archive_recording r"
                        + " on r.source_object = b.sha256 where b.blob = ? union all select f.recording_id from"
                        + " archive_blob b join archive_rendition_file f on f.sha256 = b.sha256 where b.blob = ?"
                        + " limit 1")) {
            s.setString(1, blob);
            s.setString(2, blob);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    long startRun(Long jobId, String node) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "insert into archive_fixity_run (job_id, node) values (?, ?) returning id")) {
            s.setObject(1, jobId);
            s.setString(2, node);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    void finishRun(long id, Fixity.Tally t) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update archive_fixity_run set finished_at = now(),"
                                + " checked = ?, damaged = ?, missing = ?, repaired = ?, lost = ?, bytes_read = ? where id = ?")) {
            s.setInt(1, t.checked());
            s.setInt(2, t.damaged());
            s.setInt(3, t.missing());
            s.setInt(4, t.repaired());
            s.setInt(5, t.lost());
            s.setLong(6, t.bytesRead());
            s.setLong(7, id);
            s.executeUpdate();
        }
    }

    /** How many copies of blobs the archive still names are missing, damaged or lost. */
    Map<String, Long> unwellCounts() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String state : List.of("damaged", "missing", "lost")) {
            out.put(state, 0L);
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select f.state, count(*) from archive_fixity f"
                        + " where f.state in ('missing', 'damaged', 'lost')"
                        + " and exists (select 1 from archive_blob b where b.blob = f.blob) group by f.state");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    /** The copies that are not well, newest check first; {@code withRepaired}: those repaired lately too. */
    List<Fixity.CopyState> unwell(int limit, boolean withRepaired) throws SQLException {
        List<Fixity.CopyState> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select f.blob, f.location, f.state, f.checked_at, f.detail"
                        + " from archive_fixity f where f.state in ('missing', 'damaged', 'lost'"
                        + (withRepaired ? ", 'repaired'" : "")
                        + ") and exists (select 1 from archive_blob b where b.blob = f.blob)"
                        + " order by f.checked_at desc, f.blob, f.location limit ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Fixity.CopyState(
                            r.getString(1), r.getString(2), r.getString(3), instant(r, 4), r.getString(5)));
                }
            }
        }
        return out;
    }

    /** The copies of one blob as last checked. */
    List<Fixity.CopyState> copies(String blob) throws SQLException {
        List<Fixity.CopyState> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select blob, location, state, checked_at, detail"
                        + " from archive_fixity where blob = ? order by location")) {
            s.setString(1, blob);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Fixity.CopyState(
                            r.getString(1), r.getString(2), r.getString(3), instant(r, 4), r.getString(5)));
                }
            }
        }
        return out;
    }

    List<Fixity.Run> runs(int limit) throws SQLException {
        return runs(" order by started_at desc, id desc limit ?", limit);
    }

    /** One run by its id (a pass's own, however many batches ran beside it). */
    Optional<Fixity.Run> run(long id) throws SQLException {
        return runs(" where id = ?", id).stream().findFirst();
    }

    private List<Fixity.Run> runs(String where, long value) throws SQLException {
        List<Fixity.Run> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, job_id, node, started_at, finished_at, checked,"
                        + " damaged, missing, repaired, lost, bytes_read from archive_fixity_run" + where)) {
            s.setLong(1, value);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long job = r.getLong(2);
                    out.add(new Fixity.Run(
                            r.getLong(1),
                            r.wasNull() ? null : job,
                            r.getString(3),
                            instant(r, 4),
                            instant(r, 5),
                            new Fixity.Tally(
                                    r.getInt(6), r.getInt(7), r.getInt(8), r.getInt(9), r.getInt(10), r.getLong(11))));
                }
            }
        }
        return out;
    }

    /** How many blobs the archive holds and how many were never checked, and the oldest check of the others. */
    Fixity.Coverage coverage() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*), count(*) filter (where fixity_checked_at"
                        + " is null), min(fixity_checked_at) from archive_blob");
                ResultSet r = s.executeQuery()) {
            r.next();
            return new Fixity.Coverage(r.getLong(1), r.getLong(2), instant(r, 3));
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
