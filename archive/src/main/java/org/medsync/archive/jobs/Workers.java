package org.medsync.archive.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job workers of one node: {@code threads} threads, each named {@code host:pid:n} in the queue, each claiming a
 * job, running the handler of its kind and renewing the job's lease on a timer (a third of the lease) while it runs.
 * A worker whose renewal finds the job taken over (its lease had run out) interrupts its handler. {@link #close()}
 * stops claiming, interrupts running handlers and hands their jobs back to the queue without counting the attempt.
 */
public final class Workers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private final Duration poll;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger finished = new AtomicInteger();

    /**
     * @param node this node's name in worker ids (null: {@code host:pid})
     * @param poll how long an idle worker waits before looking for a job again
     */
    public Workers(JobQueue queue, List<JobHandler> handlers, int threads, String node, Duration poll) {
        if (threads < 0) {
            throw new IllegalArgumentException("workers must be 0 or more: " + threads);
        }
        this.queue = queue;
        this.poll = poll;
        for (JobHandler h : handlers) {
            if (this.handlers.put(h.kind(), h) != null) {
                throw new IllegalArgumentException("two handlers for job kind " + h.kind());
            }
        }
        String prefix = node == null ? defaultNode() : node;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("archive-lease-timer").unstarted(r));
        for (int n = 1; n <= threads; n++) {
            String id = prefix + ":" + n;
            ids.add(id);
            this.threads.add(Thread.ofPlatform().name("archive-worker-" + n).unstarted(() -> loop(id)));
        }
    }

    /** {@code host:pid}, the prefix of this node's worker ids. */
    public static String defaultNode() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public Workers start() {
        threads.forEach(Thread::start);
        return this;
    }

    /** The worker ids, as written into archive_job.worker. */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    /** How many jobs these workers finished (done or failed), for tests and the health page. */
    public int finished() {
        return finished.get();
    }

    private void loop(String worker) {
        List<String> kinds = List.copyOf(handlers.keySet());
        while (!stopping.get()) {
            try {
                for (JobHandler.Job gone : queue.expireExhausted(kinds)) {
                    log.warn("Job {} ({}) failed: its workers died on every attempt", gone.id(), gone.kind());
                    gaveUp(
                            gone,
                            "gave up after " + gone.attempt() + " attempts: the worker stopped renewing its lease");
                }
                var job = queue.claim(worker, kinds);
                if (job.isEmpty()) {
                    Thread.sleep(poll.toMillis());
                    continue;
                }
                run(worker, job.get());
            } catch (InterruptedException e) {
                if (stopping.get()) {
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("Worker {}: the job queue is not reachable ({}); trying again", worker, e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void run(String worker, JobHandler.Job job) throws SQLException, InterruptedException {
        JobHandler handler = handlers.get(job.kind());
        Thread self = Thread.currentThread();
        AtomicBoolean lost = new AtomicBoolean();
        // Set once the handler returned: a renewal still running then finds the job done, not taken over, and must
        // not interrupt this thread, which by then runs the next job (short jobs, such as fixity batches, hit it).
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<double[]> latest = new AtomicReference<>();
        AtomicReference<String> stage = new AtomicReference<>("started");
        // A third of the lease keeps it alive through two missed renewals; at most 2 s so the UI sees progress move.
        long period = Math.max(50, Math.min(2000, queue.lease().toMillis() / 3));
        ScheduledFuture<?> renewal = timer.scheduleAtFixedRate(
                () -> {
                    try {
                        double[] p = latest.get();
                        boolean held = p == null
                                ? queue.renew(job.id(), worker)
                                : queue.progress(job.id(), worker, p[0], stage.get());
                        if (!held) {
                            synchronized (ended) {
                                if (!ended.get() && lost.compareAndSet(false, true)) {
                                    log.warn("Worker {} lost job {}: another worker took it over", worker, job.id());
                                    self.interrupt();
                                }
                            }
                        }
                    } catch (SQLException | RuntimeException e) {
                        log.warn("Worker {}: cannot renew the lease of job {}: {}", worker, job.id(), e.getMessage());
                    }
                },
                0,
                period,
                TimeUnit.MILLISECONDS);
        log.info("Worker {} runs job {} ({}), attempt {}", worker, job.id(), job.kind(), job.attempt());
        try {
            handler.run(job, (fraction, what) -> {
                latest.set(new double[] {fraction});
                stage.set(what);
            });
            end(ended);
            renewal.cancel(false);
            queue.done(job.id(), worker);
            log.info("Job {} done", job.id());
        } catch (InterruptedException e) {
            renewal.cancel(false);
            Thread.interrupted();
            if (stopping.get() && !lost.get()) {
                queue.release(job.id(), worker);
                log.info("Worker {} stopping: job {} handed back to the queue", worker, job.id());
                throw e;
            }
            if (!lost.get()) {
                fail(worker, job, e, false);
            }
        } catch (JobHandler.JobFailure e) {
            renewal.cancel(false);
            fail(worker, job, e, true);
        } catch (Exception e) {
            renewal.cancel(false);
            if (lost.get()) {
                return;
            }
            if (stopping.get()) {
                // The handler turned our interrupt into an error of its own: still a clean stop, not a failure.
                queue.release(job.id(), worker);
                return;
            }
            fail(worker, job, e, false);
        } finally {
            end(ended);
            renewal.cancel(false);
            if (lost.get()) {
                Thread.interrupted(); // our renewal's interrupt is for this job only, never the next one's
            }
            finished.incrementAndGet();
        }
    }

    private static void end(AtomicBoolean ended) {
        synchronized (ended) {
            ended.set(true);
        }
    }

    private void fail(String worker, JobHandler.Job job, Exception e, boolean permanent) throws SQLException {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean forGood = queue.failed(job.id(), worker, message, permanent);
        if (forGood) {
            log.warn("Job {} ({}) failed: {}", job.id(), job.kind(), message);
            gaveUp(job, message);
        } else {
            log.warn(
                    "Job {} ({}) attempt {} failed, queued again: {}", job.id(), job.kind(), job.attempt(), message, e);
        }
    }

    private void gaveUp(JobHandler.Job job, String message) {
        JobHandler handler = handlers.get(job.kind());
        try {
            handler.gaveUp(job, message);
        } catch (Exception e) {
            log.warn("Job {}: marking its failure failed too: {}", job.id(), e.getMessage());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming, interrupts running handlers (their jobs go back to the queue) and waits for the threads. */
    @Override
    public void close() {
        stopping.set(true);
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
    }
}
