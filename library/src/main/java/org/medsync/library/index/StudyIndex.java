package org.medsync.library.index;

import org.medsync.dicom.DicomInstance;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The patient / study / series / instance index in PostgreSQL. */
public final class StudyIndex {
    private final DataSource dataSource;

    public StudyIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An instance already written to the store, ready to be indexed. */
    public record Entry(DicomInstance instance, Path file, long size, byte[] metadataJson) {}

    /**
     * Indexes a batch in one transaction; instances already present are left as they are.
     *
     * @return the SOP Instance UIDs that were new
     */
    public Set<String> add(List<Entry> entries) throws SQLException {
        Set<String> added = new HashSet<>();
        if (entries.isEmpty()) {
            return added;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement patient = c.prepareStatement("""
                    insert into patient (patient_key, patient_id, patient_name, birth_date, sex) values (?,?,?,?,?)
                    on conflict (patient_key) do update set patient_key = excluded.patient_key returning id""");
                 PreparedStatement study = c.prepareStatement("""
                    insert into study (study_uid, patient, study_date, study_time, description, accession_number,
                      referring_physician, study_id, institution, search_text) values (?,?,?,?,?,?,?,?,?,?)
                    on conflict (study_uid) do nothing""");
                 PreparedStatement series = c.prepareStatement("""
                    insert into series (series_uid, study_uid, modality, series_number, description, body_part)
                    values (?,?,?,?,?,?) on conflict (series_uid) do nothing""");
                 PreparedStatement instance = c.prepareStatement("""
                    insert into instance (sop_uid, series_uid, sop_class_uid, transfer_syntax, instance_number, rows,
                      columns, frames, file_path, file_size, metadata_json) values (?,?,?,?,?,?,?,?,?,?,?)
                    on conflict (sop_uid) do nothing""")) {
                Set<String> studiesSeen = new HashSet<>();
                Set<String> seriesSeen = new HashSet<>();
                for (Entry e : entries) {
                    DicomInstance d = e.instance();
                    if (studiesSeen.add(d.studyInstanceUid())) {
                        patient.setString(1, nz(d.patientId()) + "\\" + nz(d.patientName()));
                        patient.setString(2, d.patientId());
                        patient.setString(3, d.patientName());
                        patient.setString(4, d.patientBirthDate());
                        patient.setString(5, d.patientSex());
                        long patientId;
                        try (ResultSet rs = patient.executeQuery()) {
                            rs.next();
                            patientId = rs.getLong(1);
                        }
                        study.setString(1, d.studyInstanceUid());
                        study.setLong(2, patientId);
                        study.setString(3, d.studyDate());
                        study.setString(4, d.studyTime());
                        study.setString(5, d.studyDescription());
                        study.setString(6, d.accessionNumber());
                        study.setString(7, d.referringPhysicianName());
                        study.setString(8, d.studyId());
                        study.setString(9, d.institutionName());
                        study.setString(10, String.join(" ", nz(d.patientName()), nz(d.patientId()),
                                nz(d.accessionNumber()), nz(d.studyDescription())).toLowerCase(Locale.ROOT));
                        study.executeUpdate();
                    }
                    if (seriesSeen.add(d.seriesInstanceUid())) {
                        series.setString(1, d.seriesInstanceUid());
                        series.setString(2, d.studyInstanceUid());
                        series.setString(3, d.modality());
                        setInt(series, 4, d.seriesNumber());
                        series.setString(5, d.seriesDescription());
                        series.setString(6, d.bodyPartExamined());
                        series.addBatch();
                    }
                }
                series.executeBatch();
                for (Entry e : entries) {
                    DicomInstance d = e.instance();
                    instance.setString(1, d.sopInstanceUid());
                    instance.setString(2, d.seriesInstanceUid());
                    instance.setString(3, d.sopClassUid());
                    instance.setString(4, d.transferSyntaxUid());
                    setInt(instance, 5, d.instanceNumber());
                    instance.setInt(6, d.rows());
                    instance.setInt(7, d.columns());
                    instance.setInt(8, Math.max(1, d.numberOfFrames()));
                    instance.setString(9, e.file().toString());
                    instance.setLong(10, e.size());
                    instance.setString(11, e.metadataJson() == null ? null
                            : new String(e.metadataJson(), java.nio.charset.StandardCharsets.UTF_8));
                    instance.addBatch();
                }
                int[] counts = instance.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        added.add(entries.get(i).instance().sopInstanceUid());
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return added;
    }

    public boolean contains(String sopUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from instance where sop_uid = ?")) {
            ps.setString(1, sopUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Studies matching {@code text} (name, ID, accession, description; null for all), newest first. */
    public List<StudyRow> findStudies(StudyQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                select s.study_uid, p.patient_id, p.patient_name, p.birth_date, p.sex, s.study_date, s.study_time,
                  s.description, s.accession_number, s.referring_physician, s.study_id, s.institution,
                  (select array_agg(distinct se.modality) from series se where se.study_uid = s.study_uid and se.modality is not null),
                  (select count(*) from series se where se.study_uid = s.study_uid),
                  (select count(*) from instance i join series se on se.series_uid = i.series_uid where se.study_uid = s.study_uid)
                from study s join patient p on p.id = s.patient where true""");
        List<Object> args = new ArrayList<>();
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" and s.search_text like ? escape '\\'");
            args.add("%" + likeEscape(q.text().toLowerCase(Locale.ROOT).trim()) + "%");
        }
        if (q.studyUid() != null) {
            sql.append(" and s.study_uid = ?");
            args.add(q.studyUid());
        }
        if (q.patientId() != null) {
            sql.append(" and p.patient_id = ?");
            args.add(q.patientId());
        }
        if (q.patientName() != null) {
            sql.append(" and lower(p.patient_name) like ? escape '\\'");
            args.add(wildcardToLike(q.patientName().toLowerCase(Locale.ROOT)));
        }
        if (q.accessionNumber() != null) {
            sql.append(" and s.accession_number = ?");
            args.add(q.accessionNumber());
        }
        if (q.studyDateFrom() != null) {
            sql.append(" and s.study_date >= ?");
            args.add(q.studyDateFrom());
        }
        if (q.studyDateTo() != null) {
            sql.append(" and s.study_date <= ?");
            args.add(q.studyDateTo());
        }
        if (q.modality() != null) {
            sql.append(" and exists (select 1 from series se where se.study_uid = s.study_uid and se.modality = ?)");
            args.add(q.modality());
        }
        sql.append(" order by s.study_date desc nulls last, s.imported_at desc limit ? offset ?");
        args.add(q.limit());
        args.add(q.offset());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StudyRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array mods = rs.getArray(13);
                    List<String> modalities = mods == null ? List.of() : Arrays.stream((Object[]) mods.getArray()).map(String::valueOf).toList();
                    rows.add(new StudyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), modalities, rs.getInt(14), rs.getInt(15)));
                }
            }
            return rows;
        }
    }

    public List<SeriesRow> findSeries(String studyUid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select se.study_uid, se.series_uid, se.modality, se.series_number, se.description, se.body_part,
                  (select count(*) from instance i where i.series_uid = se.series_uid)
                from series se where se.study_uid = ? order by se.series_number nulls last, se.series_uid""")) {
            ps.setString(1, studyUid);
            List<SeriesRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SeriesRow(rs.getString(1), rs.getString(2), rs.getString(3), (Integer) rs.getObject(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7)));
                }
            }
            return rows;
        }
    }

    public List<InstanceRow> findInstances(String studyUid, String seriesUid) throws SQLException {
        return queryInstances("se.study_uid = ? and i.series_uid = ?", studyUid, seriesUid);
    }

    public Optional<InstanceRow> findInstance(String studyUid, String seriesUid, String sopUid) throws SQLException {
        return queryInstances("se.study_uid = ? and i.series_uid = ? and i.sop_uid = ?", studyUid, seriesUid, sopUid)
                .stream().findFirst();
    }

    private List<InstanceRow> queryInstances(String where, String... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select se.study_uid, i.series_uid, i.sop_uid, i.sop_class_uid, i.transfer_syntax, i.instance_number,
                  i.rows, i.columns, i.frames, i.file_path
                from instance i join series se on se.series_uid = i.series_uid\s""" + "where " + where
                + " order by i.instance_number nulls last, i.sop_uid")) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<InstanceRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new InstanceRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Integer) rs.getObject(6), (Integer) rs.getObject(7),
                            (Integer) rs.getObject(8), rs.getInt(9), Path.of(rs.getString(10))));
                }
            }
            return rows;
        }
    }

    /** Stored WADO-RS metadata of each instance of a series, in index order; null where not stored yet. */
    public List<String> seriesMetadata(String studyUid, String seriesUid) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select i.metadata_json from instance i join series se on se.series_uid = i.series_uid
                where se.study_uid = ? and i.series_uid = ? order by i.instance_number nulls last, i.sop_uid""")) {
            ps.setString(1, studyUid);
            ps.setString(2, seriesUid);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    public void storeMetadata(String sopUid, byte[] metadataJson) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update instance set metadata_json = ? where sop_uid = ?")) {
            ps.setString(1, new String(metadataJson, java.nio.charset.StandardCharsets.UTF_8));
            ps.setString(2, sopUid);
            ps.executeUpdate();
        }
    }

    public long countInstances() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select count(*) from instance");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** DICOM matching: '*' any run, '?' one character (PS3.4 C.2.2.2.4). */
    static String wildcardToLike(String dicomPattern) {
        return likeEscape(dicomPattern).replace("*", "%").replace("?", "_");
    }
}
