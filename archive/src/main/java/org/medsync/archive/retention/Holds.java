package org.medsync.archive.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;

/**
 * Legal holds (table archive_hold): while one stands, nothing it covers may be deleted, whatever its retention. A
 * hold covers one recording, every recording of a patient at a hospital, or every recording of a case (accession
 * number) at a hospital; an anonymized copy is covered by what covers its original, and an original by what covers
 * any of its copies (deleting it deletes them). Placing and lifting need a reason and are appended to the access log
 * for every recording covered (action {@code hold}, {@code hold-lift}); the log names the hold, not the patient.
 * Who may place and lift holds is the server's decision (roles); this class records who did.
 */
public final class Holds {
    /** The advisory lock that serializes hold placement with deletion: a hold placed mid-deletion is never lost. */
    static final long LOCK = 0x6d65647379_6e63L;

    private static final int MAX_REASON = 1000;

    /** What a hold covers. */
    public enum Scope {
        RECORDING,
        PATIENT,
        CASE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scope of(String code) {
            for (Scope s : values()) {
                if (s.code().equals(code)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("a hold's scope is recording, patient or case, not '" + code + "'");
        }
    }

    /** A hold; {@code liftedAt} null while it stands. {@code hospitalId} null for a recording hold. */
    public record Hold(
            String id,
            Scope scope,
            String hospitalId,
            String target,
            String reason,
            String placedBy,
            Instant placedAt,
            Instant liftedAt,
            String liftedBy,
            String liftReason) {
        public boolean active() {
            return liftedAt == null;
        }
    }

    private final DataSource db;
    private final AccessLog log;
    private final Clock clock;

    public Holds(DataSource db, AccessLog log, Clock clock) {
        this.db = db;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Places a hold.
     *
     * @param hospitalId the hospital of a patient or case hold; ignored (null) for a recording hold
     * @param target the recording id, the patient id, or the accession number
     * @throws IllegalArgumentException without a reason, for an unknown recording or hospital, or a bad target
     */
    public Hold place(Scope scope, String hospitalId, String target, String reason, AccessLog.ActorKind kind, String by)
            throws SQLException {
        String why = reason(reason, "placing");
        if (target == null || target.isBlank() || target.strip().length() > 200) {
            throw new IllegalArgumentException("a hold names its " + scope.code() + " (1 to 200 characters)");
        }
        String t = target.strip();
        String hospital = scope == Scope.RECORDING ? null : hospitalId;
        String id = UUID.randomUUID().toString();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                if (scope == Scope.RECORDING && !exists(c, "archive_recording", t)) {
                    throw new IllegalArgumentException("there is no recording '" + t + "'");
                }
                if (scope != Scope.RECORDING && (hospital == null || !exists(c, "archive_hospital", hospital))) {
                    throw new IllegalArgumentException(
                            "a " + scope.code() + " hold names an existing hospital, not '" + hospital + "'");
                }
                try (PreparedStatement s = c.prepareStatement("insert into archive_hold (id, scope, hospital_id,"
                        + " target, reason, placed_by, placed_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, id);
                    s.setString(2, scope.code());
                    s.setString(3, hospital);
                    s.setString(4, t);
                    s.setString(5, why);
                    s.setString(6, by);
                    s.setTimestamp(7, Timestamp.from(clock.instant()));
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        Hold h = find(id).orElseThrow();
        for (String recording : covered(h)) {
            log.append(by, kind, recording, "hold", true, "hold " + id + " (" + scope.code() + ")");
        }
        return h;
    }

    /**
     * Lifts a standing hold.
     *
     * @throws IllegalArgumentException without a reason
     * @throws IllegalStateException when there is no such hold or it was lifted already
     */
    public Hold lift(String id, String reason, AccessLog.ActorKind kind, String by) throws SQLException {
        String why = reason(reason, "lifting");
        Hold h = find(id).orElseThrow(() -> new IllegalStateException("there is no hold '" + id + "'"));
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_hold set lifted_at = ?, lifted_by = ?,"
                        + " lift_reason = ? where id = ? and lifted_at is null")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, by);
            s.setString(3, why);
            s.setString(4, id);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("hold " + id + " was lifted already");
            }
        }
        for (String recording : covered(h)) {
            log.append(
                    by,
                    kind,
                    recording,
                    "hold-lift",
                    true,
                    "hold " + id + " (" + h.scope().code() + ")");
        }
        return find(id).orElseThrow();
    }

    public Optional<Hold> find(String id) throws SQLException {
        if (id == null || id.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_hold where id = ?")) {
            s.setString(1, id);
            return read(s).stream().findFirst();
        }
    }

    /** Every hold (or only the standing ones), newest first. */
    public List<Hold> list(boolean activeOnly) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_hold"
                        + (activeOnly ? " where lifted_at is null" : "") + " order by placed_at desc, id")) {
            return read(s);
        }
    }

    /** The standing holds that forbid deleting a recording (with its copies). */
    public List<Hold> activeOn(String recordingId) throws SQLException {
        try (Connection c = db.getConnection()) {
            return activeOn(c, recordingId);
        }
    }

    /** As {@link #activeOn(String)}, in a transaction of the caller's (the deletion). */
    static List<Hold> activeOn(Connection c, String recordingId) throws SQLException {
        // The family: the recording, its original, and the original's copies, all deleted or kept together.
        try (PreparedStatement s = c.prepareStatement("with root as (select coalesce(derived_from, id) as id from"
                + " archive_recording where id = ?), family as (select r.id, r.hospital_id, r.patient_id,"
                + " r.accession from archive_recording r, root where r.id = root.id or r.derived_from = root.id),"
                + " original as (select r.* from archive_recording r, root where r.id = root.id)"
                + " select h.* from archive_hold h where h.lifted_at is null and ("
                + " (h.scope = 'recording' and h.target in (select id from family))"
                + " or (h.scope = 'patient' and exists (select 1 from original o where o.hospital_id ="
                + " h.hospital_id and o.patient_id = h.target))"
                + " or (h.scope = 'case' and exists (select 1 from original o where o.hospital_id = h.hospital_id"
                + " and o.accession = h.target))) order by h.placed_at")) {
            s.setString(1, recordingId);
            return read(s);
        }
    }

    /** The recordings a hold covers now (originals and their copies). */
    public List<String> covered(Hold h) throws SQLException {
        String where = switch (h.scope()) {
            case RECORDING -> "id = ?";
            case PATIENT -> "hospital_id = ? and patient_id = ?";
            case CASE -> "hospital_id = ? and accession = ?";
        };
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("with roots as (select coalesce(derived_from, id) as id from"
                        + " archive_recording where " + where + ") select r.id from archive_recording r where r.id in"
                        + " (select id from roots) or r.derived_from in (select id from roots) order by r.id")) {
            if (h.scope() == Scope.RECORDING) {
                s.setString(1, h.target());
            } else {
                s.setString(1, h.hospitalId());
                s.setString(2, h.target());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    static void lock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            s.setLong(1, LOCK);
            s.execute();
        }
    }

    private static String reason(String reason, String what) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException(what + " a legal hold needs a reason");
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON || r.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
            throw new IllegalArgumentException(
                    "a hold's reason is at most " + MAX_REASON + " characters without control characters");
        }
        return r;
    }

    private static boolean exists(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from " + table + " where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<Hold> read(PreparedStatement s) throws SQLException {
        List<Hold> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp lifted = r.getTimestamp("lifted_at");
                out.add(new Hold(
                        r.getString("id"),
                        Scope.of(r.getString("scope")),
                        r.getString("hospital_id"),
                        r.getString("target"),
                        r.getString("reason"),
                        r.getString("placed_by"),
                        r.getTimestamp("placed_at").toInstant(),
                        lifted == null ? null : lifted.toInstant(),
                        r.getString("lifted_by"),
                        r.getString("lift_reason")));
            }
        }
        return out;
    }
}
