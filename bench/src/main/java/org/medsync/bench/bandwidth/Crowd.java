package org.medsync.bench.bandwidth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The light participants of one run: one node process (bench/crowd/crowd.mjs, node-datachannel) holding
 * {@code peers} real readout participants. Its stderr goes to {@code log}; its stdout reports joins.
 */
final class Crowd implements AutoCloseable {
    private final Process process;
    private final List<String> events = new ArrayList<>();
    private final int peers;

    private Crowd(Process process, int peers) {
        this.process = process;
        this.peers = peers;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (events) {
                        events.add(line);
                        events.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    static Crowd start(Path root, String http, String readoutId, String token, int peers, String links, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        "node",
                        "bench/crowd/crowd.mjs",
                        "--server",
                        http,
                        "--readout",
                        readoutId,
                        "--token",
                        token,
                        "--peers",
                        String.valueOf(peers),
                        "--links",
                        links)
                .directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new Crowd(pb.start(), peers);
    }

    /** Waits until every crowd peer joined (they then offer on their own); fails if the process dies first. */
    void awaitJoined(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (events.stream().noneMatch(e -> e.contains("\"event\":\"ready\""))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the crowd stopped (exit " + process.exitValue() + ") after "
                            + joined() + " of " + peers + " joins");
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(
                            "the crowd joined " + joined() + " of " + peers + " peers in " + timeout);
                }
                events.wait(Math.min(1000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        }
    }

    private long joined() {
        synchronized (events) {
            return events.stream()
                    .filter(e -> e.contains("\"event\":\"joined\""))
                    .count();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Closes stdin (the crowd leaves: closes its connections and sockets), then waits for it; kills it if it hangs,
     * or at once when interrupted (the interrupt is kept for the caller).
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
