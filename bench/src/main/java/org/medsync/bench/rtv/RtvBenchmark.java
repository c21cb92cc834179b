package org.medsync.bench.rtv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.SendPacing;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * DICOM-RTV transmitter -> receiver on loopback against GStreamer rtpvrawpay -> rtpvrawdepay, same
 * formats, same run: sustained frame rate, packet loss, CPU ms per frame (send / receive), and for
 * ours the latency from a frame's alignment point to its complete reassembly (p50/p99).
 *
 * <pre>
 *   ./mvnw -q -pl bench -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp bench/target/classes:$(cat /tmp/cp.txt) org.medsync.bench.rtv.RtvBenchmark [seconds] [out dir]
 * </pre>
 *
 * CPU: ours per thread (ThreadMXBean: sender = render + send threads, receiver = the video and
 * metadata receive threads; the playout/compositor is reported apart); GStreamer per process
 * (/proc/PID/stat utime + stime). Loss: ours by RTP sequence numbers; both also by the kernel's
 * per-socket drop counter (/proc/net/udp).
 */
public final class RtvBenchmark {

    record Row(
            String impl,
            String format,
            String io,
            String pacing,
            String load,
            double seconds,
            long framesSent,
            long framesComplete,
            double fps,
            long packetsLost,
            long socketDrops,
            double sendCpuMsPerFrame,
            double recvCpuMsPerFrame,
            double playoutCpuMsPerFrame,
            double latencyP50Ms,
            double latencyP99Ms,
            int rcvbufBytes) {
        String csv() {
            return String.format(
                    Locale.ROOT,
                    "%s,%s,%s,%s,%s,%.1f,%d,%d,%.2f,%d,%d,%.2f,%.2f,%.2f,%.1f,%.1f,%d",
                    impl,
                    format,
                    io,
                    pacing,
                    load,
                    seconds,
                    framesSent,
                    framesComplete,
                    fps,
                    packetsLost,
                    socketDrops,
                    sendCpuMsPerFrame,
                    recvCpuMsPerFrame,
                    playoutCpuMsPerFrame,
                    latencyP50Ms,
                    latencyP99Ms,
                    rcvbufBytes);
        }
    }

    static final String HEADER =
            "impl,format,datagram_io,pacing,load_before,seconds,frames_sent,frames_complete,fps,packets_lost,socket_drops,"
                    + "send_cpu_ms_per_frame,recv_cpu_ms_per_frame,playout_cpu_ms_per_frame,latency_p50_ms,latency_p99_ms,"
                    + "rcvbuf_bytes";

    /** One case of a run: ours with a datagram path and a pacing, or GStreamer. */
    record Case(String impl, String io, SendPacing pacing) {
        static Case parse(String spec) {
            if (spec.equals("gstreamer")) {
                return new Case("gstreamer", "udpsink/udpsrc", null);
            }
            String[] p = spec.split("-", 2);
            if (p.length != 2 || !List.of("native", "java", "auto").contains(p[0])) {
                throw new IllegalArgumentException(
                        "a case is gstreamer or <native|java|auto>-<narrow|wide|burst>, was '" + spec + "'");
            }
            SendPacing pacing = switch (p[1]) {
                case "narrow" -> SendPacing.NARROW_LINEAR;
                case "wide" -> SendPacing.WIDE;
                case "burst" -> SendPacing.BURST;
                default -> throw new IllegalArgumentException("pacing narrow, wide or burst, was '" + p[1] + "'");
            };
            return new Case("medsync-rtv", p[0], pacing);
        }
    }

    /** The old entry point: {@code [seconds] [out dir]}, 720p and 1080p, ours (narrow, native) and GStreamer. */
    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>();
        if (args.length > 0) {
            a.addAll(List.of("--seconds", args[0]));
        }
        a.addAll(List.of("--formats", "720,1080", "--cases", "auto-narrow,gstreamer"));
        run(Path.of(args.length > 1 ? args[1] : "bench/results/rtv"), a).forEach(System.out::println);
    }

    /**
     * {@code scripts/bench rtv [--seconds 60] [--formats 1080] [--cases native-narrow,native-burst,java-narrow,gstreamer]}
     * (issue 16 items 2 and 3): each case in turn on loopback, the same format, GStreamer in the same run; every row
     * with the load average before it, as the host is shared.
     */
    public static List<String> run(Path out, List<String> args) throws Exception {
        int seconds = 60;
        List<String> formats = List.of("1080");
        List<String> cases = List.of("native-narrow", "native-wide", "native-burst", "java-narrow", "gstreamer");
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--seconds" -> seconds = Integer.parseInt(args.get(i + 1));
                case "--formats" -> formats = List.of(args.get(i + 1).split(","));
                case "--cases" -> cases = List.of(args.get(i + 1).split(","));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i));
            }
        }
        Files.createDirectories(out);
        String loadBefore = loadAverage();
        List<Row> rows = new ArrayList<>();
        for (String fs : formats) {
            VideoFormat f = switch (fs) {
                case "720" -> VideoFormat.hd720p50x10();
                case "1080" -> VideoFormat.hd1080p50x10();
                default -> throw new IllegalArgumentException("format 720 or 1080, was '" + fs + "'");
            };
            for (String c : cases) {
                Case k = Case.parse(c);
                rows.add(k.impl().equals("gstreamer") ? gstreamer(f, seconds) : ours(f, seconds, k));
            }
        }
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> csv.append(r.csv()).append('\n'));
        Files.writeString(out.resolve("rtv.csv"), csv);
        RtvPlot.cpuAndFps(out.resolve("rtv.png"), rows);
        StringBuilder summary = new StringBuilder();
        summary.append("DICOM-RTV loopback benchmark, ")
                .append(seconds)
                .append(" s per case, ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average before ")
                .append(loadBefore)
                .append(", after ")
                .append(loadAverage())
                .append('\n');
        for (String fs : formats) {
            String name = rows.stream()
                    .filter(r -> r.format().startsWith(fs + "p"))
                    .findFirst()
                    .map(Row::format)
                    .orElse(fs);
            Row gst = rows.stream()
                    .filter(r -> r.impl().equals("gstreamer") && r.format().equals(name))
                    .findFirst()
                    .orElse(null);
            for (Row r : rows) {
                if (!r.format().equals(name)) {
                    continue;
                }
                summary.append(String.format(
                        Locale.ROOT,
                        "%-11s %-22s %-14s %-13s load %-5s %6.2f fps  %4d/%4d frames  lost %s  drops %d  "
                                + "CPU send %.1f + receive %.1f ms/frame%s%s%n",
                        r.impl(),
                        r.format(),
                        r.io(),
                        r.pacing(),
                        r.load(),
                        r.fps(),
                        r.framesComplete(),
                        r.framesSent(),
                        r.packetsLost() < 0 ? "n/a" : Long.toString(r.packetsLost()),
                        r.socketDrops(),
                        r.sendCpuMsPerFrame(),
                        r.recvCpuMsPerFrame(),
                        gst == null || r == gst
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        " (%.2fx GStreamer's)",
                                        (r.sendCpuMsPerFrame() + r.recvCpuMsPerFrame())
                                                / (gst.sendCpuMsPerFrame() + gst.recvCpuMsPerFrame())),
                        r.latencyP50Ms() < 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "  alignment->complete p50 %.1f ms p99 %.1f ms",
                                        r.latencyP50Ms(),
                                        r.latencyP99Ms())));
            }
        }
        Files.writeString(out.resolve("summary.txt"), summary);
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        rows.forEach(r -> lines.add(r.csv()));
        lines.addAll(List.of(summary.toString().split("\n")));
        lines.add("wrote " + out.resolve("rtv.csv") + ", rtv.png and summary.txt");
        return lines;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String name(VideoFormat f) {
        return f.height() + "p" + (int) f.rate().fps() + " 4:2:2 " + f.depth() + "-bit";
    }

    static Row ours(VideoFormat f, int seconds, Case k) throws Exception {
        String load = loadAverage();
        // read when the sockets open (rtv's DatagramIo.MODE_PROPERTY)
        System.setProperty("medsync.rtv.datagram-io", k.io());
        SystemMediaClock clock = new SystemMediaClock();
        int vport = freeUdpPort();
        int mport = freeUdpPort();
        TransmitterConfig cfg = new TransmitterConfig(
                f,
                new TransmitterConfig.Endpoint("127.0.0.1", vport),
                new TransmitterConfig.Endpoint("127.0.0.1", mport),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY);
        try (Transmitter tx =
                        new Transmitter("bench-tx", g -> new TestPatternSource("BENCH", g), clock, "127.0.0.1", "lo");
                Receiver rx = new Receiver("bench-rx", clock, "lo")) {
            tx.configure(cfg);
            tx.pacing(k.pacing());
            // no frame listener: frames handed out leave the receiver's pool, and the pool is part of what is measured
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(tx.sdp())), ReceiverConfig.SIDE_BY_SIDE, 7, List.of(), 100));
            tx.start();
            Thread.sleep(1500); // warm up: JIT, first static part
            Map<String, Long> cpu0 = threadCpu();
            long sent0 = tx.status().framesSent();
            Receiver.FlowStatus st0 = rx.status().flows().getFirst();
            long drops0 = socketDrops(vport);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double dt = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> cpu1 = threadCpu();
            long sent = tx.status().framesSent() - sent0;
            Receiver.FlowStatus st = rx.status().flows().getFirst();
            long got = st.framesComplete() - st0.framesComplete();
            double send = cpuMs(cpu0, cpu1, "bench-tx-");
            double recv = cpuMs(cpu0, cpu1, "bench-rx-0-");
            double playout = cpuMs(cpu0, cpu1, "bench-rx-playout");
            String io = tx.datagramIo().orElse("?") + "/" + rx.datagramIo().getFirst();
            return new Row(
                    "medsync-rtv",
                    name(f),
                    io,
                    k.pacing().name().toLowerCase(Locale.ROOT),
                    load,
                    dt,
                    sent,
                    got,
                    got / dt,
                    st.packetsLost() - st0.packetsLost(),
                    socketDrops(vport) - drops0,
                    send / Math.max(1, sent),
                    recv / Math.max(1, got),
                    playout / (dt * f.rate().fps()),
                    st.latencyP50Ms(),
                    st.latencyP99Ms(),
                    st.receiveBufferBytes());
        } finally {
            System.clearProperty("medsync.rtv.datagram-io");
        }
    }

    static Row gstreamer(VideoFormat f, int seconds) throws Exception {
        String load = loadAverage();
        int port = freeUdpPort();
        int frames = (int) (seconds * f.rate().fps());
        String caps = "application/x-rtp,media=(string)video,clock-rate=(int)90000,encoding-name=(string)RAW,"
                + "sampling=(string)YCbCr-4:2:2,depth=(string)10,width=(string)" + f.width() + ",height=(string)"
                + f.height() + ",colorimetry=(string)BT709,payload=(int)96";
        Process rx = new ProcessBuilder(
                        "gst-launch-1.0",
                        "-v",
                        "udpsrc",
                        "address=127.0.0.1",
                        "port=" + port,
                        "buffer-size=33554432",
                        "caps=" + caps,
                        "!",
                        "rtpvrawdepay",
                        "!",
                        "fakesink",
                        "silent=false",
                        "sync=false")
                .redirectErrorStream(true)
                .start();
        AtomicLong buffers = new AtomicLong();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(rx.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.contains("last-message = chain")) {
                        buffers.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
        try {
            waitBound(port);
            long drops0 = socketDrops(port);
            Process tx = new ProcessBuilder(
                            "gst-launch-1.0",
                            "-q",
                            "videotestsrc",
                            "is-live=true",
                            "num-buffers=" + frames,
                            "pattern=smpte",
                            "!",
                            "video/x-raw,format=UYVP,width=" + f.width() + ",height=" + f.height() + ",framerate="
                                    + f.rate().numerator() + "/" + f.rate().denominator(),
                            "!",
                            "rtpvrawpay",
                            "!",
                            "udpsink",
                            "host=127.0.0.1",
                            "port=" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long t0 = System.nanoTime();
            long txTicks = 0;
            long rxTicks0 = procTicks(rx.pid());
            long rxTicks = rxTicks0;
            long drops = 0;
            while (tx.isAlive()) {
                txTicks = Math.max(txTicks, procTicks(tx.pid()));
                rxTicks = Math.max(rxTicks, procTicks(rx.pid()));
                drops = Math.max(drops, socketDrops(port) - drops0);
                Thread.sleep(100);
                if (System.nanoTime() - t0 > (seconds + 30) * 1_000_000_000L) {
                    tx.destroyForcibly();
                }
            }
            double dt = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500);
            rxTicks = Math.max(rxTicks, procTicks(rx.pid()));
            drops = Math.max(drops, socketDrops(port) - drops0);
            long got = buffers.get();
            double tick = 1000.0 / 100; // USER_HZ
            return new Row(
                    "gstreamer",
                    name(f),
                    "udpsink/udpsrc",
                    "rtpvrawpay",
                    load,
                    dt,
                    frames,
                    got,
                    got / dt,
                    -1,
                    drops,
                    txTicks * tick / frames,
                    (rxTicks - rxTicks0) * tick / Math.max(1, got),
                    0,
                    -1,
                    -1,
                    33554432);
        } finally {
            rx.destroy();
            rx.waitFor();
            reader.join(1000);
        }
    }

    static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long c = mx.getThreadCpuTime(t.threadId());
            if (c > 0) {
                m.merge(t.getName(), c, Long::sum);
            }
        }
        return m;
    }

    static double cpuMs(Map<String, Long> a, Map<String, Long> b, String prefix) {
        long sum = 0;
        for (Map.Entry<String, Long> e : b.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue() - a.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum / 1e6;
    }

    /** utime + stime of a process, in clock ticks. */
    static long procTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The kernel's drop counter of the UDP socket bound to this local port (last column of /proc/net/udp), -1 if unknown. */
    static long socketDrops(int port) {
        String needle = String.format(Locale.ROOT, ":%04X", port);
        try {
            long sum = 0;
            List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f[1].endsWith(needle)) {
                    sum += Long.parseLong(f[f.length - 1]);
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void waitBound(int port) throws InterruptedException {
        for (int i = 0; i < 250 && !bound(port); i++) {
            Thread.sleep(20);
        }
    }

    static boolean bound(int port) {
        String needle = String.format(Locale.ROOT, ":%04X", port);
        try {
            return Files.readAllLines(Path.of("/proc/net/udp")).stream()
                    .skip(1)
                    .anyMatch(l -> l.trim().split("\\s+")[1].endsWith(needle));
        } catch (IOException e) {
            return false;
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }
}
