package org.medsync.bench.lag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Added one-way delay and random loss on UDP from A to B (driver to follower), the path of WebRTC data
 * channels and video. This kernel has no netem, so: loss is an nftables rule on B's ingress
 * ({@code numgen random mod 100 < N drop}; dropping on A's egress instead would hand the sender an EPERM
 * that real loss never gives), delay is an iptables NFQUEUE rule on A's egress served by bench/native's
 * nfq-delay, which holds every packet {@code delayMs} and releases them in order. TCP (page loads, the
 * signaling WebSocket) and the B-to-A direction are left alone. Closing removes all of it.
 */
final class Impairment implements AutoCloseable {
    private static final int QUEUE = 7;
    private static final String TABLE = "medsync_lag";

    private final NetnsPair ns;
    private final List<String> queueRule;
    private Process delayer;
    private Path delayerLog;
    private boolean lossRule;
    private boolean delayRule;
    private String delayerReport = "";

    private Impairment(NetnsPair ns) {
        this.ns = ns;
        this.queueRule = List.of("-o", ns.devA(), "-p", "udp", "-j", "NFQUEUE", "--queue-num", String.valueOf(QUEUE));
    }

    static Impairment apply(NetnsPair ns, Path delayerBinary, int delayMs, int lossPercent)
            throws IOException, InterruptedException {
        Impairment i = new Impairment(ns);
        try {
            if (lossPercent > 0) {
                NetnsPair.run(ns.inB(
                        "nft",
                        "add table inet " + TABLE + " { chain in { type filter hook prerouting priority -150;"
                                + " meta l4proto udp numgen random mod 100 < " + lossPercent + " drop; }; }"));
                i.lossRule = true;
            }
            if (delayMs > 0) {
                i.delayerLog = Files.createTempFile("medsync-nfq-delay-", ".log");
                i.delayer = new ProcessBuilder(delayerBinary.toString(), String.valueOf(QUEUE), String.valueOf(delayMs))
                        .redirectErrorStream(true)
                        .redirectOutput(i.delayerLog.toFile())
                        .start();
                Thread.sleep(300); // bound to the queue before packets go there (otherwise the kernel drops them)
                if (!i.delayer.isAlive()) {
                    throw new IOException("nfq-delay exited with " + i.delayer.exitValue());
                }
                NetnsPair.run(cat(List.of("iptables-legacy", "-A", "OUTPUT"), i.queueRule));
                i.delayRule = true;
            }
            return i;
        } catch (IOException | InterruptedException | RuntimeException e) {
            i.close();
            throw e;
        }
    }

    /** What nfq-delay said when it stopped (packets, drops, how late it released them); empty before close or without delay. */
    String delayerReport() {
        return delayerReport;
    }

    /**
     * Removes the rules and stops nfq-delay. An interrupt does not cut this short (a rule left behind would impair
     * the next run): each step still runs, and the interrupt is kept for the caller.
     */
    @Override
    public void close() throws IOException {
        boolean interrupted = false;
        IOException failure = null;
        if (delayRule) {
            try {
                NetnsPair.run(cat(List.of("iptables-legacy", "-D", "OUTPUT"), queueRule));
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                interrupted = true;
            }
            delayRule = false;
        }
        if (delayer != null) {
            delayer.destroy(); // SIGTERM: it releases what it still holds, then reports its counts
            try {
                if (!delayer.waitFor(5, TimeUnit.SECONDS)) {
                    delayer.destroyForcibly();
                }
            } catch (InterruptedException e) {
                delayer.destroyForcibly();
                interrupted = true;
            }
            delayerReport = Files.readString(delayerLog).strip();
            Files.delete(delayerLog);
            delayer = null;
        }
        if (lossRule) {
            try {
                NetnsPair.run(ns.inB("nft", "delete", "table", "inet", TABLE));
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            } catch (InterruptedException e) {
                interrupted = true;
            }
            lossRule = false;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static List<String> cat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
