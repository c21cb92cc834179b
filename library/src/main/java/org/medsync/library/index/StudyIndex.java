package org.medsync.library.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.dicom.DicomInstance;
import org.medsync.library.store.InstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The patient / study / series / instance index in PostgreSQL. */
public final class StudyIndex {
    private static final Logger log = LoggerFactory.getLogger(StudyIndex.class);
    private final DataSource dataSource;

    public StudyIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An instance to index: its header, where its file goes in the store, the file's size and SHA-256, and its
     * WADO-RS metadata.
     */
    public record Entry(DicomInstance instance, Path file, long size, byte[] sha256, byte[] metadataJson) {}

    /** What indexing did with one entry; everything but {@link #IMPORTED} left the index as it was. */
    public enum Outcome {
        IMPORTED("imported"),
        /** The same SOP Instance UID with the same bytes is already stored. */
        DUPLICATE("duplicate"),
        /** The study or series UID is stored under a different patient (ID, name or birth date differ). */
        PATIENT_MISMATCH("patient-mismatch"),
        /** The series UID is stored in another study of the same patient. */
        SERIES_CONFLICT("series-conflict"),
        /** The SOP Instance UID is stored with different bytes. */
        INSTANCE_CONFLICT("instance-conflict");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** The stable code of docs/api.md. */
        public String code() {
            return code;
        }

        static Outcome of(String code) {
            for (Outcome o : values()) {
                if (o.code.equals(code)) {
                    return o;
                }
            }
            throw new IllegalStateException("unknown indexing outcome " + code);
        }
    }

    /** Runs after the rows of a batch are written and before they commit: puts their files in place, durably. */
    @FunctionalInterface
    public interface BeforeCommit {
        void imported(List<Entry> entries) throws IOException;
    }

    /** How often a batch is retried when PostgreSQL picked it as the victim of a deadlock with another import. */
    private static final int DEADLOCK_RETRIES = 3;

    /**
     * Indexes a batch in one transaction. Each entry is checked against what is committed, by the database
     * (function medsync_index_instance, V120), so concurrent imports cannot merge two patients; an entry that
     * conflicts changes nothing and the others go on. {@code beforeCommit} gets the entries that are new; the
     * rows commit only if it returns.
     *
     * @return the outcome of every entry, in the order given
     */
    public List<Outcome> add(List<Entry> entries, BeforeCommit beforeCommit) throws SQLException, IOException {
        if (entries.isEmpty()) {
            return List.of();
        }
        // One lock order for every batch (study, series, instance), so concurrent imports rarely deadlock.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> entries.get(i).instance().studyInstanceUid())
                .thenComparing(i -> entries.get(i).instance().seriesInstanceUid())
                .thenComparing(i -> entries.get(i).instance().sopInstanceUid()));
        for (int attempt = 1; ; attempt++) {
            try {
                return addOnce(entries, order, beforeCommit);
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == DEADLOCK_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private List<Outcome> addOnce(List<Entry> entries, List<Integer> order, BeforeCommit beforeCommit)
            throws SQLException, IOException {
        Outcome[] outcomes = new Outcome[entries.size()];
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement index =
                    c.prepareStatement("select medsync_index_instance(" + "?,".repeat(29) + "?)")) {
                List<Entry> imported = new ArrayList<>();
                for (int i : order) {
                    Entry e = entries.get(i);
                    Outcome o = indexOne(c, index, e);
                    outcomes[i] = o;
                    if (o == Outcome.IMPORTED) {
                        imported.add(e);
                    }
                }
                beforeCommit.imported(imported);
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return List.of(outcomes);
    }

    private Outcome indexOne(Connection c, PreparedStatement index, Entry e) throws SQLException {
        DicomInstance d = e.instance();
        int n = 1;
        index.setString(n++, patientKey(d));
        index.setString(n++, d.patientId());
        index.setString(n++, d.patientName());
        index.setString(n++, d.patientBirthDate());
        index.setString(n++, d.patientSex());
        index.setString(n++, d.studyInstanceUid());
        index.setString(n++, d.studyDate());
        index.setString(n++, d.studyTime());
        index.setString(n++, d.studyDescription());
        index.setString(n++, d.accessionNumber());
        index.setString(n++, d.referringPhysicianName());
        index.setString(n++, d.studyId());
        index.setString(n++, d.institutionName());
        index.setString(
                n++,
                String.join(
                                " ",
                                nz(d.patientName()),
                                nz(d.patientId()),
                                nz(d.accessionNumber()),
                                nz(d.studyDescription()))
                        .toLowerCase(Locale.ROOT));
        index.setString(n++, d.seriesInstanceUid());
        index.setString(n++, d.modality());
        setInt(index, n++, d.seriesNumber());
        index.setString(n++, d.seriesDescription());
        index.setString(n++, d.bodyPartExamined());
        index.setString(n++, d.sopInstanceUid());
        index.setString(n++, d.sopClassUid());
        index.setString(n++, d.transferSyntaxUid());
        setInt(index, n++, d.instanceNumber());
        index.setInt(n++, d.rows());
        index.setInt(n++, d.columns());
        index.setInt(n++, Math.max(1, d.numberOfFrames()));
        index.setString(n++, e.file().toString());
        index.setLong(n++, e.size());
        index.setString(n++, e.metadataJson() == null ? null : new String(e.metadataJson(), StandardCharsets.UTF_8));
        index.setBytes(n, e.sha256());
        Outcome o = run(index);
        if (o == null) {
            // Stored before hashes were kept: hash the stored file once, keep it, and decide again. A stored
            // file that cannot be read matches nothing: the new file is refused, the row stays for an admin.
            o = hashStoredFile(c, d.sopInstanceUid()) ? run(index) : Outcome.INSTANCE_CONFLICT;
        }
        return o;
    }

    /** The function's answer, or null for 'unhashed'. */
    private static Outcome run(PreparedStatement index) throws SQLException {
        try (ResultSet rs = index.executeQuery()) {
            rs.next();
            String code = rs.getString(1);
            return code.equals("unhashed") ? null : Outcome.of(code);
        }
    }

    private static boolean hashStoredFile(Connection c, String sopUid) throws SQLException {
        String path;
        try (PreparedStatement ps = c.prepareStatement("select file_path from instance where sop_uid = ?")) {
            ps.setString(1, sopUid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                path = rs.getString(1);
            }
        }
        byte[] sha256;
        try {
            sha256 = InstanceStore.sha256Of(Path.of(path));
        } catch (IOException unreadable) {
            log.error("Stored file of an indexed instance cannot be read: {}", unreadable.getMessage());
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update instance set content_sha256 = ? where sop_uid = ? and content_sha256 is null")) {
            ps.setBytes(1, sha256);
            ps.setString(2, sopUid);
            ps.executeUpdate();
        }
        return true;
    }

    /** Who a patient is: the same ID, name and birth date (V120). */
    private static String patientKey(DicomInstance d) {
        return nz(d.patientId()) + "\\" + nz(d.patientName()) + "\\" + nz(d.patientBirthDate());
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StudyRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array mods = rs.getArray(13);
                    List<String> modalities = mods == null
                            ? List.of()
                            : Arrays.stream((Object[]) mods.getArray())
                                    .map(String::valueOf)
                                    .toList();
                    rows.add(new StudyRow(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getString(12),
                            modalities,
                            rs.getInt(14),
                            rs.getInt(15)));
                }
            }
            return rows;
        }
    }

    public List<SeriesRow> findSeries(String studyUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select se.study_uid, se.series_uid, se.modality, se.series_number, se.description, se.body_part,
                  (select count(*) from instance i where i.series_uid = se.series_uid)
                from series se where se.study_uid = ? order by se.series_number nulls last, se.series_uid""")) {
            ps.setString(1, studyUid);
            List<SeriesRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SeriesRow(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            (Integer) rs.getObject(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getInt(7)));
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
                .stream()
                .findFirst();
    }

    private List<InstanceRow> queryInstances(String where, String... args) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        """
                select se.study_uid, i.series_uid, i.sop_uid, i.sop_class_uid, i.transfer_syntax, i.instance_number,
                  i.rows, i.columns, i.frames, i.file_path
                from instance i join series se on se.series_uid = i.series_uid\s""" + "where " + where + " order by i.instance_number nulls last, i.sop_uid")) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<InstanceRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new InstanceRow(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            (Integer) rs.getObject(6),
                            (Integer) rs.getObject(7),
                            (Integer) rs.getObject(8),
                            rs.getInt(9),
                            Path.of(rs.getString(10))));
                }
            }
            return rows;
        }
    }

    /** Stored WADO-RS metadata of each instance of a series, in index order; null where not stored yet. */
    public List<String> seriesMetadata(String studyUid, String seriesUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
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
            ps.setString(1, new String(metadataJson, StandardCharsets.UTF_8));
            ps.setString(2, sopUid);
            ps.executeUpdate();
        }
    }

    public long countInstances() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from instance");
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
