package org.medsync.server.photo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.photo.request.Attachment;

/** The photo table (V180, V181): one row a photo, updated as processing moves on. */
final class PhotoRecords {
    private static final String COLUMNS = """
            id, batch_id, position, sender, attach_kind, attach_ref, note, media_type, orientation, photo_width,
            photo_height, status, problems::text, quad::text, corners_source, study_uid, source_series, source_sop,
            source_sop_class, sc_series_uid, sc_sop_uid, restorer, error_code, error_message, created_at, ai_read::text""";

    private final DataSource db;

    PhotoRecords(DataSource db) {
        this.db = db;
    }

    void insert(PhotoRecord p) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        insert into photo (id, batch_id, position, sender, attach_kind, attach_ref, note, media_type,
                            orientation, photo_width, photo_height, status, study_uid, sc_series_uid)
                        values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")) {
            ps.setString(1, p.id());
            ps.setString(2, p.batchId());
            ps.setInt(3, p.position());
            ps.setString(4, p.sender());
            ps.setString(5, p.attachment().kind().name().toLowerCase(Locale.ROOT));
            ps.setString(6, p.attachment().ref());
            ps.setString(7, p.note());
            ps.setString(8, p.mediaType());
            ps.setInt(9, p.orientation());
            ps.setInt(10, p.photoWidth());
            ps.setInt(11, p.photoHeight());
            ps.setString(12, p.status().wireName());
            ps.setString(13, p.studyUid());
            ps.setString(14, p.scSeriesUid());
            ps.executeUpdate();
        }
    }

    Optional<PhotoRecord> find(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from photo where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** A step's outcome: the status and what the step learnt (null leaves a column as it is). */
    record Step(
            PhotoStatus status,
            String problemsJson,
            String quadJson,
            String cornersSource,
            String studyUid,
            String sourceSeries,
            String sourceSop,
            String sourceSopClass,
            String scSopUid,
            String restorer,
            String errorCode,
            String errorMessage) {
        static Step status(PhotoStatus s) {
            return new Step(s, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    void update(String id, Step s) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        update photo set status = ?, problems = coalesce(?::jsonb, problems),
                            quad = coalesce(?::jsonb, quad), corners_source = coalesce(?, corners_source),
                            study_uid = coalesce(?, study_uid), source_series = coalesce(?, source_series),
                            source_sop = coalesce(?, source_sop), source_sop_class = coalesce(?, source_sop_class),
                            sc_sop_uid = coalesce(?, sc_sop_uid), restorer = coalesce(?, restorer),
                            error_code = ?, error_message = ?, updated_at = now()
                        where id = ?""")) {
            ps.setString(1, s.status().wireName());
            ps.setString(2, s.problemsJson());
            ps.setString(3, s.quadJson());
            ps.setString(4, s.cornersSource());
            ps.setString(5, s.studyUid());
            ps.setString(6, s.sourceSeries());
            ps.setString(7, s.sourceSop());
            ps.setString(8, s.sourceSopClass());
            ps.setString(9, s.scSopUid());
            ps.setString(10, s.restorer());
            ps.setString(11, s.errorCode());
            ps.setString(12, s.errorMessage());
            ps.setString(13, id);
            ps.executeUpdate();
        }
    }

    /** Records the AI read (JSON text) of a photo; it leaves the status as it is. */
    void saveRead(String id, String readJson) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update photo set ai_read = ?::jsonb, updated_at = now() where id = ?")) {
            ps.setString(1, readJson);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Photos a server stopped before finishing: the next start processes them again from their stored original. */
    List<String> unfinished() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select id from photo where status in ('received', 'rectified', 'restored') order by created_at")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The first study of a readout from the local library, if it has one. */
    Optional<String> readoutStudy(String readoutId, String localSource) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select study_instance_uid from readout_study where readout_id = ? and source = ? order by position limit 1")) {
            ps.setString(1, readoutId);
            ps.setString(2, localSource);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    boolean readoutExists(String readoutId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from readout where id = ?")) {
            ps.setString(1, readoutId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static PhotoRecord row(ResultSet rs) throws SQLException {
        String kind = rs.getString(5);
        return new PhotoRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                new Attachment(Attachment.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), rs.getString(6)),
                rs.getString(7),
                rs.getString(8),
                rs.getInt(9),
                rs.getInt(10),
                rs.getInt(11),
                PhotoStatus.parse(rs.getString(12)),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getString(17),
                rs.getString(18),
                rs.getString(19),
                rs.getString(20),
                rs.getString(21),
                rs.getString(22),
                rs.getString(23),
                rs.getString(24),
                rs.getTimestamp(25).toInstant(),
                rs.getString(26));
    }
}
