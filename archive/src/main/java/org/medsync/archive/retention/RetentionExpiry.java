package org.medsync.archive.retention;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.jobs.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily retention-expiry job (kind {@code retention-expiry}): finishes pending deletions, finds the recordings
 * whose retention ended, deletes those no hold covers when {@link RetentionSettings#deleteExpired()} (else only
 * reports them), extends S3 Object Locks whose retention end moved, and writes a report (tables archive_expiry_run
 * and archive_expiry_item). A recording is appended to the access log as {@code retention-expired} the first time a
 * run finds it expired, not every day after.
 *
 * <p>Safe to run again: a second run of the same job writes a second report of the same state.
 */
public final class RetentionExpiry implements JobHandler {
    public static final String KIND = "retention-expiry";
    static final String ACTOR = "retention-expiry";
    private static final Logger log = LoggerFactory.getLogger(RetentionExpiry.class);

    /** A run's counts. */
    public record Run(
            long id,
            Long jobId,
            Instant startedAt,
            Instant finishedAt,
            boolean deleteExpired,
            int examined,
            int expired,
            int deleted,
            int held,
            int failed,
            int locked) {}

    /** One recording a run found past its retention, and what it did. */
    public record Item(String recordingId, String hospitalId, Instant retentionEnd, String outcome, String detail) {}

    private final DataSource db;
    private final Retention retention;
    private final Holds holds;
    private final Deletions deletions;
    private final ObjectLocks locks;
    private final AccessLog accessLog;
    private final RetentionSettings settings;
    private final Clock clock;

    public RetentionExpiry(
            DataSource db,
            Retention retention,
            Holds holds,
            Deletions deletions,
            ObjectLocks locks,
            AccessLog accessLog,
            RetentionSettings settings,
            Clock clock) {
        this.db = db;
        this.retention = retention;
        this.holds = holds;
        this.deletions = deletions;
        this.locks = locks;
        this.accessLog = accessLog;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(Job job, Progress progress) throws Exception {
        runOnce(job.id(), progress);
    }

    /** One run now, outside the queue (a command, a test); returns its report. */
    public Run runOnce(Long jobId, Progress progress) throws SQLException, IOException {
        Instant now = clock.instant();
        long run = startRun(jobId);
        progress.report(0, "finishing pending deletions");
        int pending = deletions.finishPending();
        List<Retention.Term> terms = retention.originals();
        int expired = 0;
        int deleted = 0;
        int held = 0;
        int failed = 0;
        int locked = 0;
        for (int i = 0; i < terms.size(); i++) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IOException("the expiry run was interrupted");
            }
            Retention.Term t = terms.get(i);
            progress.report(0.05 + 0.95 * i / terms.size(), "examining recordings");
            if (!t.endedAt(now)) {
                try {
                    if (locks.extend(t, now)) {
                        locked++;
                    }
                } catch (IOException e) {
                    log.warn(
                            "Retention expiry: extending the object lock of {} failed: {}",
                            t.governedBy(),
                            e.getMessage());
                }
                continue;
            }
            expired++;
            boolean first = !reportedBefore(t.governedBy());
            List<Holds.Hold> standing = holds.activeOn(t.governedBy());
            String outcome;
            String detail;
            if (!standing.isEmpty()) {
                outcome = "held";
                held++;
                detail = "under hold "
                        + String.join(
                                ", ", standing.stream().map(Holds.Hold::id).toList());
            } else if (!settings.deleteExpired()) {
                outcome = "reported";
                detail = "archive.retention.delete-expired is off: kept until an admin deletes it";
            } else {
                try {
                    Optional<Deletions.Deleted> d = deletions.delete(
                            t.governedBy(), "retention ended " + t.end(), AccessLog.ActorKind.SYSTEM, ACTOR);
                    outcome = "deleted";
                    deleted++;
                    detail = d.map(x ->
                                    "deletion " + x.id() + ": " + x.recordings().size() + " recording(s), "
                                            + x.removed().size() + " object(s) removed")
                            .orElse("gone before the run reached it");
                } catch (DeletionRefused e) {
                    // A hold placed between our check and the deletion: the deletion path had the last word.
                    outcome = "held";
                    held++;
                    detail = e.getMessage();
                } catch (SQLException | RuntimeException e) {
                    outcome = "failed";
                    failed++;
                    detail = e.getMessage();
                    log.warn("Retention expiry: deleting {} failed: {}", t.governedBy(), e.getMessage());
                }
            }
            item(run, t, outcome, detail);
            if (first) {
                accessLog.append(
                        ACTOR,
                        AccessLog.ActorKind.SYSTEM,
                        t.governedBy(),
                        "retention-expired",
                        true,
                        "retention ended " + t.end() + "; " + outcome + " (run " + run + ")");
            }
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_expiry_run set finished_at = ?, examined = ?,"
                        + " expired = ?, deleted = ?, held = ?, failed = ?, locked = ? where id = ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setInt(2, terms.size());
            s.setInt(3, expired);
            s.setInt(4, deleted);
            s.setInt(5, held);
            s.setInt(6, failed + pending);
            s.setInt(7, locked);
            s.setLong(8, run);
            s.executeUpdate();
        }
        log.info(
                "Retention expiry run {}: {} recordings, {} expired, {} deleted, {} held, {} failed",
                run,
                terms.size(),
                expired,
                deleted,
                held,
                failed + pending);
        progress.report(1, "done");
        return run(run).orElseThrow();
    }

    /**
     * Queues today's run unless one was queued since today's {@link RetentionSettings#dailyAt()} (or it is not that
     * time yet): every node calls this on a timer, one of them wins, any node's workers run it.
     *
     * @return the job's id when this call queued it
     */
    public static Optional<Long> enqueueDaily(DataSource db, JobQueue jobs, RetentionSettings settings, Instant now)
            throws SQLException {
        Instant due = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .atTime(settings.dailyAt())
                .toInstant(ZoneOffset.UTC);
        if (now.isBefore(due)) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Serializes the nodes' checks: the second finds the first's job.
                try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    s.setLong(1, Holds.LOCK + 1);
                    s.execute();
                }
                try (PreparedStatement s = c.prepareStatement("insert into archive_job (recording_id, kind, params)"
                        + " select null, ?, '{}'::jsonb where not exists (select 1 from archive_job where kind = ? and"
                        + " created_at >= ?) returning id")) {
                    s.setString(1, KIND);
                    s.setString(2, KIND);
                    s.setTimestamp(3, Timestamp.from(due));
                    Optional<Long> id;
                    try (ResultSet r = s.executeQuery()) {
                        id = r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
                    }
                    c.commit();
                    return id;
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The newest runs, newest first. */
    public List<Run> runs(int limit) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_expiry_run order by id desc limit ?")) {
            s.setInt(1, limit);
            return readRuns(s);
        }
    }

    public Optional<Run> run(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_expiry_run where id = ?")) {
            s.setLong(1, id);
            return readRuns(s).stream().findFirst();
        }
    }

    /** The items of a run, by retention end. */
    public List<Item> items(long runId) throws SQLException {
        List<Item> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_expiry_item where run_id = ? order by"
                        + " retention_end, recording_id")) {
            s.setLong(1, runId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Item(
                            r.getString("recording_id"),
                            r.getString("hospital_id"),
                            r.getTimestamp("retention_end").toInstant(),
                            r.getString("outcome"),
                            r.getString("detail")));
                }
            }
        }
        return out;
    }

    private long startRun(Long jobId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_expiry_run (job_id, started_at,"
                        + " delete_expired) values (?, ?, ?) returning id")) {
            s.setObject(1, jobId);
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.setBoolean(3, settings.deleteExpired());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private boolean reportedBefore(String recordingId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select 1 from archive_expiry_item where recording_id = ? limit 1")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private void item(long run, Retention.Term t, String outcome, String detail) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_expiry_item (run_id, recording_id,"
                        + " hospital_id, retention_end, outcome, detail) values (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, run);
            s.setString(2, t.governedBy());
            s.setString(3, t.hospitalId());
            s.setTimestamp(4, Timestamp.from(t.end()));
            s.setString(5, outcome);
            s.setString(6, detail);
            s.executeUpdate();
        }
    }

    private static List<Run> readRuns(PreparedStatement s) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp finished = r.getTimestamp("finished_at");
                long job = r.getLong("job_id");
                Long jobId = r.wasNull() ? null : job;
                out.add(new Run(
                        r.getLong("id"),
                        jobId,
                        r.getTimestamp("started_at").toInstant(),
                        finished == null ? null : finished.toInstant(),
                        r.getBoolean("delete_expired"),
                        r.getInt("examined"),
                        r.getInt("expired"),
                        r.getInt("deleted"),
                        r.getInt("held"),
                        r.getInt("failed"),
                        r.getInt("locked")));
            }
        }
        return out;
    }
}
