package org.medsync.archive.jobs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The durable job queue (table archive_job) shared by every worker on every node. A worker claims a job with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, so two claimers never take the same row and never wait for each other,
 * and holds it by a lease it renews while it works. A job whose lease ran out (its worker was killed, its node lost)
 * is claimable again, as a new attempt; after {@code max_attempts} attempts it fails for good.
 *
 * <p>Every write by a worker names the worker: one that lost its lease (another worker took the job over) finds no
 * row to update and learns it must stop.
 */
public final class JobQueue {
    private static final String COLUMNS = "id, recording_id, kind, params::text as params, state, attempts,"
            + " max_attempts, progress, stage, message, worker, lease_until, created_at, started_at, finished_at";

    private final DataSource dataSource;
    private final Duration lease;

    public JobQueue(DataSource dataSource, Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a job lease must be positive: " + lease);
        }
        this.dataSource = dataSource;
        this.lease = lease;
    }

    public Duration lease() {
        return lease;
    }

    /** A job as the queue holds it, for the UI and operators. */
    public record Info(
            long id,
            String recordingId,
            String kind,
            String params,
            String state,
            int attempts,
            int maxAttempts,
            double progress,
            String stage,
            String message,
            String worker,
            Instant leaseUntil,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {}

    /**
     * Queues a job unless the recording has one of this kind that is queued, running or done: for events that may
     * arrive twice (an upload finished again after a crash). A failed one does not count, so a retry is possible.
     */
    public void enqueueOnce(String recordingId, String kind, String params) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_job (recording_id, kind, params)"
                        + " select ?, ?, ?::jsonb where not exists (select 1 from archive_job where recording_id = ?"
                        + " and kind = ? and state <> 'failed')")) {
            s.setString(1, recordingId);
            s.setString(2, kind);
            s.setString(3, params);
            s.setString(4, recordingId);
            s.setString(5, kind);
            s.executeUpdate();
        }
    }

    /** Adds a job; {@code params} is JSON ("{}" for none). Returns its id. */
    public long enqueue(String recordingId, String kind, String params) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "insert into archive_job (recording_id, kind, params) values (?, ?, ?::jsonb) returning id")) {
            s.setString(1, recordingId);
            s.setString(2, kind);
            s.setString(3, params == null || params.isBlank() ? "{}" : params);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Claims the oldest claimable job of one of {@code kinds} for {@code worker}: a queued job, or a running one whose
     * lease ran out and that has attempts left. The claim counts an attempt and starts a lease.
     */
    public Optional<JobHandler.Job> claim(String worker, Collection<String> kinds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("with next as (select id from archive_job"
                    + " where kind = any (?) and (state = 'queued' or (state = 'running' and lease_until < now()))"
                    + " and attempts < max_attempts order by created_at, id limit 1 for update skip locked)"
                    + " update archive_job j set state = 'running', attempts = j.attempts + 1, worker = ?,"
                    + " lease_until = now() + make_interval(secs => ?), started_at = coalesce(j.started_at, now()),"
                    + " progress = 0, stage = 'started', message = null from next where j.id = next.id"
                    + " returning j.id, j.recording_id, j.kind, j.params::text, j.attempts")) {
                Array array = c.createArrayOf("text", kinds.toArray());
                s.setArray(1, array);
                s.setString(2, worker);
                s.setDouble(3, seconds(lease));
                Optional<JobHandler.Job> job;
                try (ResultSet r = s.executeQuery()) {
                    job = r.next()
                            ? Optional.of(new JobHandler.Job(
                                    r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5)))
                            : Optional.empty();
                }
                c.commit();
                return job;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Fails, for good, the running jobs of {@code kinds} whose lease ran out on their last attempt (their worker
     * died every time), and returns them so their handlers can mark the recording.
     */
    public List<JobHandler.Job> expireExhausted(Collection<String> kinds) throws SQLException {
        List<JobHandler.Job> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_job set state = 'failed', finished_at ="
                        + " now(), lease_until = null, message = 'gave up after ' || attempts || ' attempts: the"
                        + " worker ' || coalesce(worker, '?') || ' stopped renewing its lease'"
                        + " where id in (select id from archive_job where kind = any (?) and state = 'running'"
                        + " and lease_until < now() and attempts >= max_attempts for update skip locked)"
                        + " returning id, recording_id, kind, params::text, attempts")) {
            s.setArray(1, c.createArrayOf("text", kinds.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new JobHandler.Job(
                            r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5)));
                }
            }
        }
        return out;
    }

    /** Extends the lease of a job this worker runs; false when the worker no longer holds it. */
    public boolean renew(long id, String worker) throws SQLException {
        return update(
                "update archive_job set lease_until = now() + make_interval(secs => ?) where id = ? and worker = ?"
                        + " and state = 'running'",
                seconds(lease),
                id,
                worker);
    }

    /** Records progress (0..1) and stage, renewing the lease; false when the worker no longer holds the job. */
    public boolean progress(long id, String worker, double fraction, String stage) throws SQLException {
        return update(
                "update archive_job set progress = ?, stage = ?, lease_until = now() + make_interval(secs => ?)"
                        + " where id = ? and worker = ? and state = 'running'",
                Math.max(0, Math.min(1, fraction)),
                stage,
                seconds(lease),
                id,
                worker);
    }

    /** Marks a job done; false when the worker no longer held it (its result stands anyway: handlers are idempotent). */
    public boolean done(long id, String worker) throws SQLException {
        return update(
                "update archive_job set state = 'done', progress = 1, stage = 'done', message = null, finished_at ="
                        + " now(), lease_until = null where id = ? and worker = ? and state = 'running'",
                id,
                worker);
    }

    /**
     * Records a failed attempt. {@code permanent} (a {@link JobHandler.JobFailure}) or no attempts left: the job
     * fails for good and this returns true; otherwise it is queued again for any worker and this returns false.
     */
    public boolean failed(long id, String worker, String message, boolean permanent) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_job set state = case when ? or attempts"
                        + " >= max_attempts then 'failed' else 'queued' end, message = ?, lease_until = null,"
                        + " finished_at = case when ? or attempts >= max_attempts then now() end"
                        + " where id = ? and worker = ? and state = 'running' returning state")) {
            s.setBoolean(1, permanent);
            s.setString(2, message);
            s.setBoolean(3, permanent);
            s.setLong(4, id);
            s.setString(5, worker);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getString(1).equals("failed");
            }
        }
    }

    /**
     * Gives a job back without counting the attempt (a worker stopping cleanly): queued again at once for any
     * worker.
     */
    public void release(long id, String worker) throws SQLException {
        update(
                "update archive_job set state = 'queued', attempts = greatest(attempts - 1, 0), lease_until = null,"
                        + " stage = 'released by ' || worker where id = ? and worker = ? and state = 'running'",
                id,
                worker);
    }

    public Optional<Info> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from archive_job where id = ?")) {
            s.setLong(1, id);
            List<Info> all = read(s);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
        }
    }

    /** The jobs of a recording, oldest first. */
    public List<Info> ofRecording(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select " + COLUMNS + " from archive_job where recording_id = ? order by created_at, id")) {
            s.setString(1, recordingId);
            return read(s);
        }
    }

    /**
     * The jobs of a recording and the jobs of {@code kind} whose parameter {@code param} names it (a job queued on
     * another recording that makes this one), oldest first.
     */
    public List<Info> ofRecordingOrNamedBy(String recordingId, String kind, String param) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select " + COLUMNS + " from archive_job where recording_id = ?"
                                + " or (kind = ? and params ->> ? = ?) order by created_at, id")) {
            s.setString(1, recordingId);
            s.setString(2, kind);
            s.setString(3, param);
            s.setString(4, recordingId);
            return read(s);
        }
    }

    /** The newest jobs of every recording, newest first (the admin's job list). */
    public List<Info> recent(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select " + COLUMNS + " from archive_job order by created_at desc, id desc limit ?")) {
            s.setInt(1, limit);
            return read(s);
        }
    }

    /** How many jobs are in each state (queued: the queue's depth), for operations. */
    public Map<String, Long> counts() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String state : List.of("queued", "running", "done", "failed")) {
            out.put(state, 0L);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select state, count(*) from archive_job group by state");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    private boolean update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            return s.executeUpdate() == 1;
        }
    }

    private static List<Info> read(PreparedStatement s) throws SQLException {
        List<Info> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Info(
                        r.getLong("id"),
                        r.getString("recording_id"),
                        r.getString("kind"),
                        r.getString("params"),
                        r.getString("state"),
                        r.getInt("attempts"),
                        r.getInt("max_attempts"),
                        r.getDouble("progress"),
                        r.getString("stage"),
                        r.getString("message"),
                        r.getString("worker"),
                        instant(r, "lease_until"),
                        instant(r, "created_at"),
                        instant(r, "started_at"),
                        instant(r, "finished_at")));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
