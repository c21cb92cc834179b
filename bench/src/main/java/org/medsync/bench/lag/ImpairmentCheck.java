package org.medsync.bench.lag;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Checks that the impairments do what they claim before the benchmark relies on them: a UDP echo in namespace
 * B answers probes from A; the added round trip equals the configured one-way delay (the echo comes back
 * unimpaired) and the share of unanswered probes equals the configured loss.
 */
final class ImpairmentCheck {
    private static final int PORT = 47999;

    record Result(
            int delayMs,
            int lossPercent,
            int probes,
            int lost,
            double rttP50,
            double rttP95,
            double rttMax,
            double addedP50) {}

    private ImpairmentCheck() {}

    static List<Result> run(NetnsPair ns, Path delayer, List<int[]> settings, int probes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process echo = new ProcessBuilder(ns.inB(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        UdpEcho.class.getName(),
                        ns.addrB(),
                        String.valueOf(PORT)))
                .redirectErrorStream(true)
                .start();
        List<Result> out = new ArrayList<>();
        try (DatagramSocket s = new DatagramSocket()) {
            String ready =
                    new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(ready)) {
                throw new IllegalStateException("UDP echo in " + ns.nsB() + " did not start: " + ready);
            }
            s.connect(new InetSocketAddress(ns.addrB(), PORT));
            double base = Double.NaN;
            for (int[] setting : settings) {
                try (Impairment _ = Impairment.apply(ns, delayer, setting[0], setting[1])) {
                    Result r = probe(s, setting[0], setting[1], probes, base);
                    if (setting[0] == 0 && setting[1] == 0) {
                        base = r.rttP50();
                        r = new Result(0, 0, r.probes(), r.lost(), r.rttP50(), r.rttP95(), r.rttMax(), 0);
                    }
                    out.add(r);
                }
            }
        } finally {
            echo.destroy();
            echo.waitFor();
        }
        return out;
    }

    /** Sends a probe every 2 ms and collects the echoes on another thread, so a long delay does not stretch the check. */
    private static Result probe(DatagramSocket s, int delayMs, int loss, int probes, double baseRtt) throws Exception {
        AtomicLongArray sent = new AtomicLongArray(probes);
        double[] rtt = new double[probes];
        Arrays.fill(rtt, Double.NaN);
        s.setSoTimeout(200);
        Thread receiver = Thread.ofPlatform().start(() -> {
            byte[] in = new byte[2048];
            long end = Long.MAX_VALUE;
            while (System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(in, in.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    if (end == Long.MAX_VALUE && sent.get(probes - 1) != 0) {
                        end = sent.get(probes - 1) + (delayMs + 1000) * 1_000_000L; // the last echo's time is up
                    }
                    continue;
                } catch (IOException e) {
                    return;
                }
                long now = System.nanoTime();
                int seq = ByteBuffer.wrap(in).getInt();
                if (seq >= 0 && seq < probes && sent.get(seq) != 0) {
                    rtt[seq] = (now - sent.get(seq)) / 1e6;
                }
            }
        });
        byte[] out = new byte[120]; // about a VIEW message on the data channel
        long start = System.nanoTime();
        for (int seq = 0; seq < probes; seq++) {
            long due = start + seq * 2_000_000L;
            while (System.nanoTime() < due) {
                Thread.sleep(0, 200_000);
            }
            ByteBuffer.wrap(out).putInt(seq);
            sent.set(seq, System.nanoTime());
            s.send(new DatagramPacket(out, out.length));
        }
        receiver.join();
        List<Double> sorted = Arrays.stream(rtt)
                .filter(x -> !Double.isNaN(x))
                .sorted()
                .boxed()
                .toList();
        int lost = probes - sorted.size();
        double p50 = LagStats.percentile(sorted, 50);
        return new Result(
                delayMs,
                loss,
                probes,
                lost,
                p50,
                LagStats.percentile(sorted, 95),
                sorted.isEmpty() ? Double.NaN : sorted.getLast(),
                p50 - baseRtt);
    }

    static String csvHeader() {
        return "delay_ms,loss_percent,probes,lost,measured_loss_percent,rtt_p50_ms,rtt_p95_ms,rtt_max_ms,added_delay_p50_ms";
    }

    static String csv(Result r) {
        return String.format(
                Locale.ROOT,
                "%d,%d,%d,%d,%.1f,%.3f,%.3f,%.3f,%.3f",
                r.delayMs(),
                r.lossPercent(),
                r.probes(),
                r.lost(),
                100.0 * r.lost() / r.probes(),
                r.rttP50(),
                r.rttP95(),
                r.rttMax(),
                r.addedP50());
    }
}
