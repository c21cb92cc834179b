package org.medsync.archive.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The recordings of the index (table archive_recording). */
public final class Recordings {
    static final String COLUMNS = "id, hospital_id, operating_room, device_id, operator, owner, procedure, accession,"
            + " study_uid, patient_id, patient_name, started_at, duration_seconds, title, source_object, source_name,"
            + " status, status_message, derived_from, anonymized, created_at";

    private final DataSource dataSource;

    public Recordings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Adds a recording whose source object is stored (status uploaded). The object row is written in the same
     * transaction if it is not there yet.
     */
    public Recording create(Recording.Declared declared, String sourceSha256, long sourceSize, String mediaType)
            throws SQLException {
        return create(UUID.randomUUID().toString(), declared, sourceSha256, sourceSize, mediaType);
    }

    /**
     * Like {@link #create(Recording.Declared, String, long, String)} with an id chosen beforehand: an upload names its
     * recording when it starts, so finishing it again after a crash finds the recording instead of adding another.
     */
    public Recording create(
            String id, Recording.Declared declared, String sourceSha256, long sourceSize, String mediaType)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Objects.record(c, sourceSha256, sourceSize, mediaType);
                try (PreparedStatement s = c.prepareStatement("insert into archive_recording (id, hospital_id,"
                        + " operating_room, device_id, operator, owner, procedure, accession, study_uid, patient_id,"
                        + " patient_name, started_at, title, source_object, source_name, status)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'uploaded')")) {
                    s.setString(1, id);
                    s.setString(2, declared.hospitalId());
                    s.setString(3, declared.operatingRoom());
                    s.setString(4, declared.deviceId());
                    s.setString(5, declared.operator());
                    s.setString(6, declared.owner());
                    s.setString(7, declared.procedure());
                    s.setString(8, declared.accession());
                    s.setString(9, declared.studyUid());
                    s.setString(10, declared.patientId());
                    s.setString(11, declared.patientName());
                    s.setTimestamp(12, Timestamp.from(declared.startedAt()));
                    s.setString(13, declared.title());
                    s.setString(14, sourceSha256);
                    s.setString(15, declared.sourceName());
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return find(id).orElseThrow();
    }

    /**
     * Adds the anonymized copy of a recording: same hospital, room, owner and times, no patient or procedure
     * identifiers, marked as derived. Its renditions are made by the anonymize job.
     */
    public Recording createAnonymizedCopy(Recording original, String title) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_recording (id, hospital_id,"
                        + " operating_room, owner, started_at, duration_seconds, title, source_object, status,"
                        + " derived_from, anonymized) values (?, ?, ?, ?, ?, ?, ?, null, 'processing', ?, true)")) {
            s.setString(1, id);
            s.setString(2, original.hospitalId());
            s.setString(3, original.operatingRoom());
            s.setString(4, original.owner());
            s.setTimestamp(5, Timestamp.from(original.startedAt()));
            if (original.durationSeconds() == null) {
                s.setNull(6, Types.DOUBLE);
            } else {
                s.setDouble(6, original.durationSeconds());
            }
            s.setString(7, title);
            s.setString(8, original.id());
            s.executeUpdate();
        }
        return find(id).orElseThrow();
    }

    public Optional<Recording> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select " + COLUMNS + " from archive_recording where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** The anonymized copies made from a recording, newest first. */
    public List<Recording> anonymizedCopiesOf(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS
                        + " from archive_recording where derived_from = ? and anonymized order by created_at desc")) {
            s.setString(1, id);
            return readAll(s);
        }
    }

    /** Sets the status (and its message, null to clear it). */
    public void setStatus(String id, Recording.Status status, String message) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update archive_recording set status = ?, status_message = ? where id = ?")) {
            s.setString(1, status.code());
            s.setString(2, message);
            s.setString(3, id);
            s.executeUpdate();
        }
    }

    /**
     * Makes the recording's master its source in place of the mezzanine it was made from, and forgets the mezzanine
     * object unless something else still names it (another recording uploaded the same bytes, a rendition, a later
     * issue's table: its foreign key refuses the delete). One transaction; a second run finds the master in place and
     * changes nothing.
     *
     * @return true when the mezzanine's index row is gone and its bytes may be removed from the store
     */
    public boolean replaceMezzanine(String id, String mezzanine, String master, String masterName) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int changed;
                try (PreparedStatement s = c.prepareStatement("update archive_recording set source_object = ?,"
                        + " source_name = ? where id = ? and source_object = ?")) {
                    s.setString(1, master);
                    s.setString(2, masterName);
                    s.setString(3, id);
                    s.setString(4, mezzanine);
                    changed = s.executeUpdate();
                }
                boolean forgotten = false;
                if (changed == 1) {
                    Savepoint sp = c.setSavepoint();
                    try (PreparedStatement s = c.prepareStatement("delete from archive_object where sha256 = ?")) {
                        s.setString(1, mezzanine);
                        forgotten = s.executeUpdate() == 1;
                        c.releaseSavepoint(sp);
                    } catch (SQLException e) {
                        c.rollback(sp); // still named elsewhere: the bytes stay
                    }
                }
                c.commit();
                return forgotten;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records the duration once a probe of the source knows it. */
    public void setDuration(String id, double seconds) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("update archive_recording set duration_seconds = ? where id = ?")) {
            s.setDouble(1, seconds);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    /** Every recording of a study (by Study Instance UID), oldest first; for the worklist and the viewer. */
    public List<Recording> ofStudy(String studyUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select " + COLUMNS + " from archive_recording where study_uid = ? order by started_at")) {
            s.setString(1, studyUid);
            return readAll(s);
        }
    }

    static List<Recording> readAll(PreparedStatement s) throws SQLException {
        List<Recording> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(read(r));
            }
        }
        return out;
    }

    /**
     * The columns {@link #fromRow} reads, for the filtered queries of other packages (access builds its viewer's
     * filter into SQL, so it selects recordings itself).
     */
    public static String columns() {
        return COLUMNS;
    }

    /** A recording from a row that has the {@link #columns()}. */
    public static Recording fromRow(ResultSet r) throws SQLException {
        return read(r);
    }

    static Recording read(ResultSet r) throws SQLException {
        double duration = r.getDouble("duration_seconds");
        Double durationSeconds = r.wasNull() ? null : duration;
        return new Recording(
                r.getString("id"),
                r.getString("hospital_id"),
                r.getString("operating_room"),
                r.getString("device_id"),
                r.getString("operator"),
                r.getString("owner"),
                r.getString("procedure"),
                r.getString("accession"),
                r.getString("study_uid"),
                r.getString("patient_id"),
                r.getString("patient_name"),
                instant(r, "started_at"),
                durationSeconds,
                r.getString("title"),
                r.getString("source_object"),
                r.getString("source_name"),
                Recording.Status.of(r.getString("status")),
                r.getString("status_message"),
                r.getString("derived_from"),
                r.getBoolean("anonymized"),
                instant(r, "created_at"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
