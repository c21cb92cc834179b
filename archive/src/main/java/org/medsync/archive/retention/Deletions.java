package org.medsync.archive.retention;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.vault.Vault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's only way to delete a recording. A deletion takes the recording with its anonymized copies (their
 * renditions, flags, grants, links and jobs go with their rows) and every object none of the remaining recordings
 * references (through {@link Vault#delete}); objects another recording shares are kept. It is refused before the
 * retention ends and while any legal hold covers the recording or one of its copies. Every attempt, allowed or
 * refused, is appended to the access log ({@code delete}, {@code delete-refused}).
 *
 * <p>The rows go in one transaction that also writes a deletion record listing the objects to remove, under the
 * advisory lock hold placement takes, so a hold placed meanwhile either precedes the check or follows the deletion.
 * The objects are removed after the commit; a crash, or a store that refuses (an object still under S3 Object Lock),
 * leaves the record pending, and {@link #finishPending()} (the expiry job) completes it.
 */
public final class Deletions {
    private static final Logger log = LoggerFactory.getLogger(Deletions.class);
    private static final int MAX_REASON = 1000;

    /**
     * A deletion done.
     *
     * @param recordings the recording and its copies, deleted
     * @param removed the objects removed from the store
     * @param kept the objects of the recording that others still reference
     * @param complete false when some object could not be removed yet (retried by the expiry job)
     */
    public record Deleted(
            long id, List<String> recordings, List<String> removed, List<String> kept, boolean complete) {}

    private final DataSource db;
    private final Vault vault;
    private final Retention retention;
    private final AccessLog accessLog;
    private final Clock clock;

    public Deletions(DataSource db, Vault vault, Retention retention, AccessLog accessLog, Clock clock) {
        this.db = db;
        this.vault = vault;
        this.retention = retention;
        this.accessLog = accessLog;
        this.clock = clock;
    }

    /**
     * Deletes a recording with its anonymized copies, if its retention has ended and no hold stands.
     *
     * @return empty when there is no such recording
     * @throws DeletionRefused before the retention ends or under a hold (the refusal is logged)
     * @throws IllegalArgumentException without a reason
     */
    public Optional<Deleted> delete(String recordingId, String reason, AccessLog.ActorKind kind, String by)
            throws SQLException, DeletionRefused {
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON) {
            throw new IllegalArgumentException("a deletion needs a reason (1 to " + MAX_REASON + " characters)");
        }
        String why = reason.strip();
        Optional<Retention.Term> term = retention.of(recordingId);
        if (term.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        long id;
        List<String> family;
        Set<String> candidates;
        List<String> gone = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Holds.lock(c);
                family = family(c, recordingId);
                if (family.isEmpty()) {
                    c.rollback();
                    return Optional.empty();
                }
                List<Holds.Hold> holds = Holds.activeOn(c, recordingId);
                Retention.Term t = term.get();
                boolean retained = !t.endedAt(now);
                if (retained || !holds.isEmpty()) {
                    c.rollback();
                    DeletionRefused refused = refusal(t, retained, holds);
                    accessLog.append(by, kind, recordingId, "delete-refused", false, refused.getMessage());
                    throw refused;
                }
                candidates = objectsOf(c, family);
                deleteRows(c, family);
                for (String sha : candidates) {
                    if (referenced(c, sha)) {
                        kept.add(sha);
                        continue;
                    }
                    // Another table (a later issue's) may still name the object: then it stays.
                    Savepoint sp = c.setSavepoint();
                    try (PreparedStatement s = c.prepareStatement("delete from archive_object where sha256 = ?")) {
                        s.setString(1, sha);
                        s.executeUpdate();
                        c.releaseSavepoint(sp);
                        gone.add(sha);
                    } catch (SQLException e) {
                        c.rollback(sp);
                        kept.add(sha);
                    }
                }
                try (PreparedStatement s = c.prepareStatement("insert into archive_deletion (recording_id,"
                        + " recordings, objects, deleted_by, reason, at) values (?, ?, ?, ?, ?, ?) returning id")) {
                    s.setString(1, recordingId);
                    s.setArray(2, c.createArrayOf("text", family.toArray()));
                    s.setArray(3, c.createArrayOf("text", gone.toArray()));
                    s.setString(4, by);
                    s.setString(5, why);
                    s.setTimestamp(6, Timestamp.from(now));
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        String detail = "deletion " + id + ": " + family.size() + " recording(s), " + gone.size()
                + " object(s) removed, " + kept.size() + " shared kept; retention ended "
                + term.get().end() + "; reason: " + why;
        for (String r : family) {
            accessLog.append(by, kind, r, "delete", true, detail);
        }
        boolean complete = removeObjects(id, gone);
        return Optional.of(new Deleted(id, family, gone, kept, complete));
    }

    /** Completes deletions whose objects are not all removed yet; returns how many are still pending. */
    public int finishPending() throws SQLException {
        int pending = 0;
        for (var p : pending()) {
            if (!removeObjects(p.id(), p.objects())) {
                pending++;
            }
        }
        return pending;
    }

    private record Pending(long id, List<String> objects) {}

    private List<Pending> pending() throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select id, objects from archive_deletion where state = 'pending' order by id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Array a = r.getArray(2);
                out.add(new Pending(r.getLong(1), List.of((String[]) a.getArray())));
            }
        }
        return out;
    }

    /** Removes the objects of a deletion from the vault; true (and the record done) when all are gone. */
    private boolean removeObjects(long id, List<String> objects) throws SQLException {
        List<String> failed = new ArrayList<>();
        for (String sha : objects) {
            try {
                // The same bytes may have been stored again since (an identical upload): then they stay.
                if (!referencedAnywhere(sha)) {
                    vault.delete(sha);
                }
            } catch (IOException e) {
                failed.add(sha + ": " + e.getMessage());
            }
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_deletion set state = ?, message = ?,"
                        + " finished_at = case when ? then now() end where id = ?")) {
            s.setString(1, failed.isEmpty() ? "done" : "pending");
            s.setString(2, failed.isEmpty() ? null : String.join("; ", failed));
            s.setBoolean(3, failed.isEmpty());
            s.setLong(4, id);
            s.executeUpdate();
        }
        if (!failed.isEmpty()) {
            log.warn("Deletion {}: {} object(s) not removed yet, retried by the expiry job", id, failed.size());
        }
        return failed.isEmpty();
    }

    private static DeletionRefused refusal(Retention.Term t, boolean retained, List<Holds.Hold> holds) {
        List<String> why = new ArrayList<>();
        if (retained) {
            why.add(
                    t.end() == null
                            ? "it is kept without end (" + t.explanation() + ")"
                            : "its retention runs until " + t.end() + " (" + t.explanation() + ")");
        }
        if (!holds.isEmpty()) {
            why.add("legal hold " + holds.stream().map(Holds.Hold::id).collect(Collectors.joining(", "))
                    + " stands until lifted");
        }
        return new DeletionRefused(
                "the recording may not be deleted: " + String.join("; and ", why), retained, t.end(), holds);
    }

    /** The recording, its original, and the original's anonymized copies: deleted together. Locks their rows. */
    private static List<String> family(Connection c, String recordingId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select id from archive_recording where id = (select"
                + " coalesce(derived_from, id) from archive_recording where id = ?) or derived_from = (select"
                + " coalesce(derived_from, id) from archive_recording where id = ?) order by derived_from nulls"
                + " first, id for update")) {
            s.setString(1, recordingId);
            s.setString(2, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static Set<String> objectsOf(Connection c, List<String> recordings) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("select source_object from archive_recording where id = any (?)"
                + " and source_object is not null union select sha256 from archive_rendition_file where"
                + " recording_id = any (?)")) {
            Array ids = c.createArrayOf("text", recordings.toArray());
            s.setArray(1, ids);
            s.setArray(2, ids);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static void deleteRows(Connection c, List<String> family) throws SQLException {
        Array ids = c.createArrayOf("text", family.toArray());
        // The upload's metadata names the patient: it goes with the recording. Copies before their original (the
        // derived_from reference has no cascade); renditions, files, flags, grants, links and jobs cascade.
        for (String sql : List.of(
                "delete from archive_upload where recording_id = any (?)",
                "delete from archive_recording where id = any (?) and derived_from is not null",
                "delete from archive_recording where id = any (?)")) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setArray(1, ids);
                s.executeUpdate();
            }
        }
    }

    private static boolean referenced(Connection c, String sha) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select exists (select 1 from archive_recording where"
                + " source_object = ?) or exists (select 1 from archive_rendition_file where sha256 = ?)")) {
            s.setString(1, sha);
            s.setString(2, sha);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private boolean referencedAnywhere(String sha) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from archive_object where sha256 = ?")) {
            s.setString(1, sha);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}
