package org.medsync.archive.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.archive.retention.RetentionPolicies.Anchor;
import org.medsync.archive.retention.RetentionPolicies.Policy;

/**
 * When a recording's retention ends, and why (docs/archive-evidence.md, "Retention and legal hold").
 *
 * <p>The <b>last visit</b> of a patient at a hospital is the latest calendar date (UTC) among: the start of every
 * recording of that hospital whose patient id is the patient's, and every visit told to the archive for that
 * hospital and patient ({@link #recordVisit}; a consultation or follow-up without a recording). A recording
 * without a patient id has no other visits the archive could know: its own start is its last visit. Visits at other
 * hospitals do not count: each hospital keeps its own records under its own policy.
 *
 * <p>A period of N years from an anchor date D covers D + N years inclusive (the day with D's number, or the
 * month's last day when it has none: 29 February + 1 year is 28 February, as Polish civil law counts terms in
 * years, art. 112 k.c.); the retention ends at 00:00 UTC of the following day. An anonymized copy is governed by its
 * original: it ends when the original's retention ends.
 */
public final class Retention {
    /**
     * A recording's retention.
     *
     * @param recordingId the recording asked about
     * @param governedBy the recording whose term applies (the original of an anonymized copy, else itself)
     * @param policy the governing policy, or null when there is none at all (then the recording is kept)
     * @param anchorDate the date the period is counted from
     * @param end when the retention ends (deletion is allowed from then), null: kept without end
     * @param explanation for people: which policy, which anchor, which dates
     */
    public record Term(
            String recordingId,
            String hospitalId,
            String governedBy,
            Policy policy,
            LocalDate anchorDate,
            Instant end,
            String explanation) {
        public boolean endedAt(Instant now) {
            return end != null && !now.isBefore(end);
        }
    }

    /** The anchors of one original recording, as the database knows them. */
    private record Anchors(
            String id,
            String hospitalId,
            String procedure,
            boolean identified,
            LocalDate start,
            LocalDate lastRecording,
            LocalDate lastToldVisit) {}

    private static final String ANCHORS = "select r.id, r.hospital_id, r.procedure, r.patient_id is not null as"
            + " identified, (r.started_at at time zone 'UTC')::date as own, (select max((o.started_at at time zone"
            + " 'UTC')::date) from archive_recording o where o.hospital_id = r.hospital_id and o.patient_id ="
            + " r.patient_id and o.derived_from is null) as last_recording, (select max(v.visited_on) from"
            + " archive_patient_visit v where v.hospital_id = r.hospital_id and v.patient_id = r.patient_id) as"
            + " last_visit from archive_recording r";

    private final DataSource db;
    private final RetentionPolicies policies;

    public Retention(DataSource db) {
        this.db = db;
        this.policies = new RetentionPolicies(db);
    }

    public RetentionPolicies policies() {
        return policies;
    }

    /** The end of a period of {@code years} counted from {@code anchor}: 00:00 UTC after its last day. */
    public static Instant end(LocalDate anchor, int years) {
        return anchor.plusYears(years).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The retention end of a new recording as known at its ingest: its policy counted from its start (a patient's
     * last visit is at least that day; later visits only extend it). Null when no policy applies.
     */
    public Instant endAtIngest(String hospitalId, String procedure, Instant startedAt) throws SQLException {
        return policies.governing(hospitalId, procedure)
                .map(p -> end(LocalDate.ofInstant(startedAt, ZoneOffset.UTC), p.years()))
                .orElse(null);
    }

    /** The retention of a recording, or empty when there is no such recording. */
    public Optional<Term> of(String recordingId) throws SQLException {
        String governing;
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select coalesce(derived_from, id) from archive_recording where id = ?")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                governing = r.getString(1);
            }
        }
        List<Anchors> found;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(ANCHORS + " where r.id = ?")) {
            s.setString(1, governing);
            found = read(s);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Term t = term(found.getFirst(), policies.all());
        return Optional.of(new Term(
                recordingId,
                t.hospitalId(),
                t.governedBy(),
                t.policy(),
                t.anchorDate(),
                t.end(),
                recordingId.equals(governing)
                        ? t.explanation()
                        : "an anonymized copy is kept as long as its original: " + t.explanation()));
    }

    /** The terms of every original recording (copies follow theirs), for the expiry job and lock updates. */
    public List<Term> originals() throws SQLException {
        List<Policy> all = policies.all();
        List<Term> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(ANCHORS + " where r.derived_from is null order by r.id")) {
            for (Anchors a : read(s)) {
                out.add(term(a, all));
            }
        }
        return out;
    }

    /** The original recordings of a patient at a hospital (their retention moves with a new visit). */
    public List<String> recordingsOfPatient(String hospitalId, String patientId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id from archive_recording where hospital_id = ?"
                        + " and patient_id = ? and derived_from is null order by started_at")) {
            s.setString(1, hospitalId);
            s.setString(2, patientId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Records a visit of a patient at a hospital (idempotent for the same date) and returns the original recordings
     * of that patient there, whose retention it may extend.
     *
     * @throws IllegalArgumentException for a blank or too long patient id, an unknown hospital, a date before 1900
     *     or more than a day in the future
     */
    public List<String> recordVisit(String hospitalId, String patientId, LocalDate date, String by, Instant now)
            throws SQLException {
        if (patientId == null || patientId.isBlank() || patientId.strip().length() > 200) {
            throw new IllegalArgumentException("a visit names the patient's id (1 to 200 characters)");
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (date.isBefore(LocalDate.of(1900, 1, 1)) || date.isAfter(today.plusDays(1))) {
            throw new IllegalArgumentException("a visit date is between 1900-01-01 and today, not " + date);
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_patient_visit (hospital_id,"
                        + " patient_id, visited_on, recorded_by) select id, ?, ?, ? from archive_hospital where id = ?"
                        + " on conflict do nothing")) {
            s.setString(1, patientId.strip());
            s.setObject(2, date);
            s.setString(3, by);
            s.setString(4, hospitalId);
            if (s.executeUpdate() == 0 && !hospitalExists(c, hospitalId)) {
                throw new IllegalArgumentException("there is no hospital '" + hospitalId + "'");
            }
        }
        return recordingsOfPatient(hospitalId, patientId.strip());
    }

    private static boolean hospitalExists(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from archive_hospital where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static Term term(Anchors a, List<Policy> policies) {
        Optional<Policy> governing = RetentionPolicies.governing(policies, a.hospitalId(), a.procedure());
        if (governing.isEmpty()) {
            return new Term(a.id(), a.hospitalId(), a.id(), null, a.start(), null, "no retention policy applies: kept");
        }
        Policy p = governing.get();
        LocalDate anchor = a.start();
        String why;
        if (p.anchor() == Anchor.RECORDING) {
            why = p.years() + " years after the recording (" + a.start() + ")";
        } else {
            LocalDate last = latest(a.start(), a.lastRecording(), a.lastToldVisit());
            anchor = last;
            String source;
            if (!a.identified()) {
                source = "the recording names no patient: its own date counts as the last visit";
            } else if (last.equals(a.lastToldVisit()) && !last.equals(a.lastRecording())) {
                source = "a visit recorded for the patient";
            } else if (last.equals(a.start())) {
                source = "this recording";
            } else {
                source = "a later recording of the patient";
            }
            why = p.years() + " years after the patient's last visit (" + last + ", " + source + ")";
        }
        Instant end = end(anchor, p.years());
        return new Term(
                a.id(), a.hospitalId(), a.id(), p, anchor, end, why + " under " + p.scope() + ": kept until " + end);
    }

    private static LocalDate latest(LocalDate... dates) {
        LocalDate out = null;
        for (LocalDate d : dates) {
            if (d != null && (out == null || d.isAfter(out))) {
                out = d;
            }
        }
        return out;
    }

    private static List<Anchors> read(PreparedStatement s) throws SQLException {
        List<Anchors> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Anchors(
                        r.getString("id"),
                        r.getString("hospital_id"),
                        r.getString("procedure"),
                        r.getBoolean("identified"),
                        date(r, "own"),
                        date(r, "last_recording"),
                        date(r, "last_visit")));
            }
        }
        return out;
    }

    private static LocalDate date(ResultSet r, String column) throws SQLException {
        // As a LocalDate: a java.sql.Date would pass through the JVM's time zone.
        return r.getObject(column, LocalDate.class);
    }
}
