package org.medsync.archive.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The retention policies (table archive_retention_policy): how many years a hospital keeps its recordings, counted
 * from which anchor, with optional per-procedure overrides and a default (no hospital) for hospitals without one.
 */
public final class RetentionPolicies {
    /** What a retention period is counted from. */
    public enum Anchor {
        /** The patient's last visit at the hospital (see {@link Retention} for exactly what counts as a visit). */
        LAST_VISIT("last-visit"),
        /** The recording's own start. */
        RECORDING("recording");

        private final String code;

        Anchor(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Anchor of(String code) {
            for (Anchor a : values()) {
                if (a.code.equals(code)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("a retention anchor is 'last-visit' or 'recording', not '" + code + "'");
        }
    }

    /**
     * A policy row. {@code hospitalId} null: the default; {@code procedure} null: every procedure.
     *
     * @param years 0..200 whole years
     */
    public record Policy(
            long id,
            String hospitalId,
            String procedure,
            int years,
            Anchor anchor,
            String note,
            String updatedBy,
            Instant updatedAt) {
        /** "hospital north, procedure X" / "the default" for explanations. */
        public String scope() {
            String who = hospitalId == null ? "the default policy" : "the policy of hospital " + hospitalId;
            return procedure == null ? who : who + " for procedure '" + procedure + "'";
        }
    }

    private final DataSource db;

    public RetentionPolicies(DataSource db) {
        this.db = db;
    }

    /**
     * Sets the policy of a scope (replacing the one it had). {@code hospitalId} null: the default.
     *
     * @throws IllegalArgumentException for years outside 0..200 or a blank or too long procedure or note
     */
    public Policy set(String hospitalId, String procedure, int years, Anchor anchor, String note, String by)
            throws SQLException {
        if (years < 0 || years > 200) {
            throw new IllegalArgumentException("retention is 0 to 200 years, not " + years);
        }
        String p = procedure == null || procedure.isBlank() ? null : procedure.strip();
        if (p != null && p.length() > 200) {
            throw new IllegalArgumentException("a procedure name is at most 200 characters");
        }
        String n = note == null || note.isBlank() ? null : note.strip();
        if (n != null && n.length() > 1000) {
            throw new IllegalArgumentException("a policy note is at most 1000 characters");
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("delete from archive_retention_policy where"
                            + " coalesce(hospital_id, '') = coalesce(?, '') and coalesce(lower(procedure), '') ="
                            + " coalesce(lower(?), '')");
                    PreparedStatement ins = c.prepareStatement("insert into archive_retention_policy (hospital_id,"
                            + " procedure, years, anchor, note, updated_by) values (?, ?, ?, ?, ?, ?) returning id")) {
                del.setString(1, hospitalId);
                del.setString(2, p);
                del.executeUpdate();
                ins.setString(1, hospitalId);
                ins.setString(2, p);
                ins.setInt(3, years);
                ins.setString(4, anchor.code());
                ins.setString(5, n);
                ins.setString(6, by);
                long id;
                try (ResultSet r = ins.executeQuery()) {
                    r.next();
                    id = r.getLong(1);
                }
                c.commit();
                return find(id).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Removes a policy; false when there is none. The default (no hospital, no procedure) cannot be removed: every
     * recording must have a retention.
     */
    public boolean remove(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from archive_retention_policy where id = ? and"
                        + " not (hospital_id is null and procedure is null)")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<Policy> find(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_retention_policy where id = ?")) {
            s.setLong(1, id);
            List<Policy> found = read(s);
            return found.stream().findFirst();
        }
    }

    /** Every policy: the default first, then by hospital and procedure. */
    public List<Policy> all() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_retention_policy order by"
                        + " hospital_id nulls first, procedure nulls first")) {
            return read(s);
        }
    }

    /** The policy that governs a recording of this hospital and procedure. */
    public Optional<Policy> governing(String hospitalId, String procedure) throws SQLException {
        return governing(all(), hospitalId, procedure);
    }

    /**
     * The most specific of {@code policies} for a hospital and procedure: the hospital's for that procedure, the
     * hospital's, the default's for that procedure, the default.
     */
    public static Optional<Policy> governing(List<Policy> policies, String hospitalId, String procedure) {
        String proc = procedure == null ? null : procedure.strip().toLowerCase(Locale.ROOT);
        Policy best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Policy p : policies) {
            boolean hospital = p.hospitalId() != null;
            boolean forProcedure = p.procedure() != null;
            if ((hospital && !p.hospitalId().equals(hospitalId))
                    || (forProcedure && !p.procedure().toLowerCase(Locale.ROOT).equals(proc))) {
                continue;
            }
            int rank = (hospital ? 0 : 2) + (forProcedure ? 0 : 1);
            if (rank < bestRank) {
                best = p;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<Policy> read(PreparedStatement s) throws SQLException {
        List<Policy> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Policy(
                        r.getLong("id"),
                        r.getString("hospital_id"),
                        r.getString("procedure"),
                        r.getInt("years"),
                        Anchor.of(r.getString("anchor")),
                        r.getString("note"),
                        r.getString("updated_by"),
                        r.getTimestamp("updated_at").toInstant()));
            }
        }
        return out;
    }
}
