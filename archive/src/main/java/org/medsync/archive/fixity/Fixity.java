package org.medsync.archive.fixity;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.ReplicatedObjectStore;
import org.medsync.archive.store.ReplicatedObjectStore.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixity of the archive's blobs (docs/archive-evidence.md, "Fixity and copies in two locations"). A blob is named by
 * the SHA-256 of its own bytes, so a copy is verified by re-reading and re-hashing it. Each node runs a scheduler;
 * once per interval one of them (whichever takes the round in the database) queues the blobs checked longest ago as
 * batches (job kind {@code fixity}), and any node's workers run them, so a pass over a petabyte spreads over days
 * and over every node. A bad copy is logged at ERROR, recorded (admin page, health status), appended to the access
 * log, and rewritten from a copy that verifies; with none, the object is marked lost.
 */
public final class Fixity implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fixity.class);
    /** The name of the only location when the archive keeps one copy. */
    public static final String PRIMARY = "primary";

    private final FixityRecords records;
    private final JobQueue jobs;
    private final List<Location> locations;
    private final CopyCheck check;
    private final String node;
    private final Duration interval;
    private final int batchSize;
    private final long maxBytesPerRound;
    private ScheduledExecutorService scheduler;

    /** What a run found: blobs checked, bad copies by kind, copies repaired, copies lost, bytes read. */
    public record Tally(int checked, int damaged, int missing, int repaired, int lost, long bytesRead) {
        /** Counts as a run goes. */
        static final class Builder {
            private int checked;
            private int damaged;
            private int missing;
            private int repaired;
            private int lost;
            private long bytesRead;

            void checked() {
                checked++;
            }

            void damaged() {
                damaged++;
            }

            void missing() {
                missing++;
            }

            void repaired() {
                repaired++;
            }

            void lost() {
                lost++;
            }

            void read(long bytes) {
                bytesRead += bytes;
            }

            Tally build() {
                return new Tally(checked, damaged, missing, repaired, lost, bytesRead);
            }
        }
    }

    /** The last check of one copy of a blob. */
    public record CopyState(String blob, String location, String state, Instant checkedAt, String detail) {}

    /** One run: a batch job on a node, or a pass from the command line ({@code jobId} null). */
    public record Run(long id, Long jobId, String node, Instant startedAt, Instant finishedAt, Tally tally) {}

    /** How far checks have come: blobs held, never checked, and the oldest last check. */
    public record Coverage(long blobs, long neverChecked, Instant oldestCheck) {}

    /** The archive's integrity for the health status: ok when no copy of a blob it names is damaged, missing, lost. */
    public record Status(long damaged, long missing, long lost) {
        public boolean ok() {
            return damaged == 0 && missing == 0 && lost == 0;
        }

        public String state() {
            return ok() ? "ok" : "degraded";
        }
    }

    /**
     * @param store the vault's raw store: a {@link ReplicatedObjectStore} is checked location by location
     * @param staging where a verified copy is staged while bad copies are rewritten from it
     * @param node this node's name in the runs it records
     */
    public Fixity(
            DataSource db,
            ObjectStore store,
            JobQueue jobs,
            AccessLog accessLog,
            Path staging,
            String node,
            Duration interval,
            int batchSize,
            long maxBytesPerRound) {
        this.records = new FixityRecords(db);
        this.jobs = jobs;
        this.locations = locations(store);
        this.check = new CopyCheck(locations, records, accessLog, staging);
        this.node = node;
        this.interval = interval;
        this.batchSize = batchSize;
        this.maxBytesPerRound = maxBytesPerRound;
    }

    /** The locations of a store: each of a replicated store's, or the store itself as {@value #PRIMARY}. */
    public static List<Location> locations(ObjectStore store) {
        return store instanceof ReplicatedObjectStore r ? r.locations() : List.of(new Location(PRIMARY, store));
    }

    public List<Location> locations() {
        return locations;
    }

    /** The handler of job kind {@code fixity}, for this node's workers. */
    public JobHandler handler() {
        return new FixityHandler(this);
    }

    /** A copy a put could not write: missing until the fixity job rewrites it (it is due first: never checked). */
    public void copyFailed(String blob, String location, String reason) {
        try {
            records.record(blob, location, "missing", "not written at ingest: " + reason);
        } catch (SQLException e) {
            log.error(
                    "FIXITY: the missing copy of blob {} at location {} could not be recorded: {}",
                    blob,
                    location,
                    e.getMessage());
        }
    }

    /**
     * Queues this interval's batches if no node did yet, and returns how many it queued (0: another node's round, or
     * nothing to check).
     */
    public int scheduleRound() throws SQLException {
        if (!records.takeRound(node, interval)) {
            return 0;
        }
        int batches = queueBatches();
        log.info("Fixity round on node {}: {} batches of up to {} blobs queued", node, batches, batchSize);
        return batches;
    }

    /**
     * Queues the blobs checked longest ago as batches, up to the round's byte budget (0: all of them), whatever the
     * schedule: a round now (an operator's "check now", tests). Returns the batches queued.
     */
    public int queueBatches() throws SQLException {
        // A batch that never ran frees its blobs after this; twice the interval leaves a backlogged queue time.
        Duration hold = interval.multipliedBy(2).compareTo(Duration.ofHours(1)) < 0
                ? Duration.ofHours(1)
                : interval.multipliedBy(2);
        // A blob checked within half an interval is not due: not by a round that follows a command-line pass, nor
        // again in this round (its first batches run while the rest is being queued).
        Instant checkedBefore = records.now().minus(interval.dividedBy(2));
        long bytes = 0;
        int batches = 0;
        while (maxBytesPerRound == 0 || bytes < maxBytesPerRound) {
            List<FixityRecords.Blob> due = records.reserveDue(batchSize, hold, checkedBefore);
            if (due.isEmpty()) {
                break;
            }
            List<String> names =
                    due.stream().map(FixityRecords.Blob::name).distinct().toList();
            try {
                jobs.enqueue(null, FixityHandler.KIND, FixityHandler.params(names));
            } catch (SQLException | RuntimeException e) {
                records.release(names);
                throw e;
            }
            bytes += due.stream().mapToLong(FixityRecords.Blob::size).sum();
            batches++;
        }
        return batches;
    }

    /**
     * Starts this node's scheduler: it looks every {@code min(interval, 1 min)} whether a round is due (a cheap
     * conditional update) and, when it takes the round, queues it.
     */
    public synchronized void startScheduler() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("archive-fixity-scheduler").factory());
        long tick = Math.max(
                100, Math.min(interval.toMillis(), Duration.ofMinutes(1).toMillis()));
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        scheduleRound();
                    } catch (Exception e) {
                        log.warn("Fixity scheduling failed on node {}: {}", node, e.getMessage());
                    }
                },
                Math.min(tick, 10_000),
                tick,
                TimeUnit.MILLISECONDS);
    }

    /** Runs one batch as a run of this node (the job handler). */
    void runBatch(long jobId, List<String> blobs, JobHandler.Progress progress)
            throws IOException, SQLException, InterruptedException {
        long run = records.startRun(jobId, node);
        Tally.Builder tally = new Tally.Builder();
        try {
            for (int i = 0; i < blobs.size(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("fixity batch interrupted");
                }
                String blob = blobs.get(i);
                var size = records.blobSize(blob);
                if (size.isPresent()) {
                    check.check(new FixityRecords.Blob(blob, size.get()), tally);
                }
                progress.report((i + 1.0) / blobs.size(), "checked " + (i + 1) + " of " + blobs.size() + " blobs");
            }
        } finally {
            records.finishRun(run, tally.build());
        }
        report(tally.build(), "batch " + jobId);
    }

    /**
     * Checks every blob of the archive now, in this thread (the command {@code medsync archive fixity run}), and
     * returns the run; {@code progress} hears of every 1000 blobs.
     */
    public Run runPass(String who, Consumer<String> progress) throws IOException, SQLException {
        long run = records.startRun(null, who);
        Tally.Builder tally = new Tally.Builder();
        try {
            String after = "";
            for (List<FixityRecords.Blob> page; !(page = records.page(after, 1000)).isEmpty(); ) {
                for (FixityRecords.Blob b : page) {
                    check.check(b, tally);
                }
                after = page.getLast().name();
                Tally t = tally.build();
                progress.accept(t.checked() + " blobs checked, " + t.bytesRead() + " bytes read");
            }
        } finally {
            records.finishRun(run, tally.build());
        }
        report(tally.build(), "pass by " + who);
        return records.run(run).orElseThrow();
    }

    private static void report(Tally t, String what) {
        if (t.damaged() + t.missing() > 0) {
            log.error(
                    "FIXITY {}: {} blobs checked, {} copies damaged, {} missing, {} repaired, {} LOST",
                    what,
                    t.checked(),
                    t.damaged(),
                    t.missing(),
                    t.repaired(),
                    t.lost());
        } else {
            log.info(
                    "Fixity {}: {} blobs checked, every copy verifies ({} bytes read)",
                    what,
                    t.checked(),
                    t.bytesRead());
        }
    }

    /** The health status: counts of copies not well, of blobs the archive still names. */
    public Status status() throws SQLException {
        Map<String, Long> c = records.unwellCounts();
        return new Status(c.get("damaged"), c.get("missing"), c.get("lost"));
    }

    /** Copies damaged, missing or lost (and, with {@code withRepaired}, repaired), newest check first. */
    public List<CopyState> unwell(int limit, boolean withRepaired) throws SQLException {
        return records.unwell(limit, withRepaired);
    }

    /** The copies of one blob as last checked, by location. */
    public List<CopyState> copies(String blob) throws SQLException {
        return records.copies(blob);
    }

    /** The latest runs, newest first. */
    public List<Run> runs(int limit) throws SQLException {
        return records.runs(limit);
    }

    /** How far checks have come (a count over every blob: for the admin page, not the health check). */
    public Coverage coverage() throws SQLException {
        return records.coverage();
    }

    /** Each location's name and description (without secrets). */
    public List<String> describeLocations() {
        List<String> out = new ArrayList<>();
        for (Location l : locations) {
            out.add(l.name() + ": " + l.store().describe());
        }
        return out;
    }

    /** Stops this node's scheduler; queued batches stay for any node's workers. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
