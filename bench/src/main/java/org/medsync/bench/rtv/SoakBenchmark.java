package org.medsync.bench.rtv;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.medsync.bench.plot.Plot;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * Issue 16 item 8, "days without a drop": two transmitters (video + DICOM metadata each; audio flows do not exist
 * yet) into one receiver composing both side by side, for a chosen duration, on loopback multicast. Every sample
 * records the receiver's loss and concealed frames, the heap used right after a full GC, the JVM's thread count and
 * the process's RSS. Target: 0 loss and flat memory on an otherwise idle host. With {@code --redundant} each
 * transmitter sends on two paths (SMPTE ST 2022-7) and the receiver merges them.
 *
 * <p>{@code scripts/bench soak [--minutes 60] [--fps 50] [--height 720] [--sample-seconds 10] [--redundant]};
 * writes bench/results/soak/soak.csv, soak-loss.png, soak-memory.png, soak-threads.png and summary.txt.
 */
public final class SoakBenchmark {

    private SoakBenchmark() {}

    public static List<String> run(Path results, List<String> args) throws Exception {
        double minutes = 60;
        int fps = 50;
        int height = 720;
        int sampleSeconds = 10;
        boolean redundant = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--minutes" -> minutes = Double.parseDouble(args.get(++i));
                case "--fps" -> fps = Integer.parseInt(args.get(++i));
                case "--height" -> height = Integer.parseInt(args.get(++i));
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args.get(++i));
                case "--redundant" -> redundant = true;
                default ->
                    throw new IllegalArgumentException("scripts/bench soak [--minutes 60] [--fps 50] [--height 720]"
                            + " [--sample-seconds 10] [--redundant], not " + args.get(i));
            }
        }
        if (height != 720 && height != 1080) {
            throw new IllegalArgumentException("--height 720 or 1080");
        }
        VideoFormat f = new VideoFormat(
                10, height == 720 ? 1280 : 1920, height, new FrameRate(fps, 1), VideoFormat.Colorimetry.BT709);
        Path out = Files.createDirectories(results.resolve("soak"));
        MediaClock clock = new SystemMediaClock();
        String loadBefore = RtvBenchmark.loadAverage();
        List<Sample> samples = new ArrayList<>();
        Instant start = Instant.now();
        try (Transmitter endo = new Transmitter(
                        "Endoscope", v -> new TestPatternSource("ENDOSCOPE", v), clock, "127.0.0.1", "lo");
                Transmitter room = new Transmitter(
                        "Room camera", v -> new TestPatternSource("ROOM CAMERA", v), clock, "127.0.0.1", "lo");
                Receiver rx = new Receiver("OR display", clock, "lo")) {
            endo.configure(config(f, 1, redundant));
            room.configure(config(f, 2, redundant));
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(endo.sdp()), FlowDescription.parse(room.sdp())),
                    ReceiverConfig.SIDE_BY_SIDE,
                    7,
                    List.of(0x00100010),
                    80));
            endo.start();
            room.start();
            long end = System.nanoTime() + (long) (minutes * 60e9);
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(sampleSeconds * 1000L, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                samples.add(sample(Duration.between(start, Instant.now()), rx));
            }
            endo.stop();
            room.stop();
        }
        String loadAfter = RtvBenchmark.loadAverage();
        return write(out, f, minutes, redundant, samples, loadBefore, loadAfter);
    }

    private static TransmitterConfig config(VideoFormat f, int n, boolean redundant) {
        // one group per flow and path: the receiver's sockets bind the port, so ports differ too
        int base = 20_000 + 10 * n + (int) (ProcessHandle.current().pid() % 1000) * 40;
        return new TransmitterConfig(
                f,
                new TransmitterConfig.Endpoint("239.255.16." + n, base),
                new TransmitterConfig.Endpoint("239.255.17." + n, base + 2),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY,
                redundant
                        ? Optional.of(new TransmitterConfig.Redundancy(
                                new TransmitterConfig.Endpoint("239.255.18." + n, base + 4),
                                new TransmitterConfig.Endpoint("239.255.19." + n, base + 6),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))
                        : Optional.empty());
    }

    record Sample(
            double seconds,
            long framesComplete,
            long packetsLost,
            long framesConcealed,
            long framesIncomplete,
            double heapMbAfterGc,
            int threads,
            double rssMb) {}

    private static Sample sample(Duration t, Receiver rx) throws IOException {
        List<Receiver.FlowStatus> flows = rx.status().flows();
        System.gc(); // heap used after a full collection: what stays, not what waits for the collector
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sample(
                t.toMillis() / 1000.0,
                flows.stream().mapToLong(Receiver.FlowStatus::framesComplete).sum(),
                flows.stream().mapToLong(Receiver.FlowStatus::packetsLost).sum(),
                flows.stream().mapToLong(Receiver.FlowStatus::framesConcealed).sum(),
                flows.stream().mapToLong(Receiver.FlowStatus::framesIncomplete).sum(),
                heap / 1e6,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                rssMb());
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static List<String> write(
            Path out,
            VideoFormat f,
            double minutes,
            boolean redundant,
            List<Sample> samples,
            String loadBefore,
            String loadAfter)
            throws IOException {
        List<String> csv = new ArrayList<>();
        csv.add("seconds,framesComplete,packetsLost,framesConcealed,framesIncomplete,heapMbAfterGc,threads,rssMb");
        for (Sample s : samples) {
            csv.add(String.format(
                    Locale.ROOT,
                    "%.1f,%d,%d,%d,%d,%.1f,%d,%.1f",
                    s.seconds(),
                    s.framesComplete(),
                    s.packetsLost(),
                    s.framesConcealed(),
                    s.framesIncomplete(),
                    s.heapMbAfterGc(),
                    s.threads(),
                    s.rssMb()));
        }
        Files.write(out.resolve("soak.csv"), csv);
        Plot.dots(
                out.resolve("soak-loss.png"),
                "Soak: packets lost, frames concealed (cumulative, per sample)",
                List.of("packets lost", "frames concealed"),
                List.of(
                        samples.stream().map(s -> (double) s.packetsLost()).toList(),
                        samples.stream().map(s -> (double) s.framesConcealed()).toList()),
                0);
        Plot.dots(
                out.resolve("soak-memory.png"),
                "Soak: heap used after GC and RSS (MB, per sample)",
                List.of("heap after GC", "RSS"),
                List.of(
                        samples.stream().map(Sample::heapMbAfterGc).toList(),
                        samples.stream().map(Sample::rssMb).toList()));
        Plot.dots(
                out.resolve("soak-threads.png"),
                "Soak: JVM threads (per sample)",
                List.of("threads"),
                List.of(samples.stream().map(s -> (double) s.threads()).toList()));
        List<String> summary = new ArrayList<>();
        summary.add(String.format(
                Locale.ROOT,
                "soak: 2 transmitters (video + metadata) -> 1 receiver, %dx%d %s fps 10-bit, %s, %.1f min, %d samples,"
                        + " %d cores, load average %s -> %s",
                f.width(),
                f.height(),
                f.rate(),
                redundant ? "two paths each (ST 2022-7)" : "one path each",
                minutes,
                samples.size(),
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAfter));
        if (!samples.isEmpty()) {
            Sample first = samples.getFirst();
            Sample last = samples.getLast();
            double heapMin =
                    samples.stream().mapToDouble(Sample::heapMbAfterGc).min().orElse(0);
            double heapMax =
                    samples.stream().mapToDouble(Sample::heapMbAfterGc).max().orElse(0);
            summary.add(String.format(
                    Locale.ROOT,
                    "frames complete %d, packets lost %d, frames concealed %d, frames incomplete %d",
                    last.framesComplete(),
                    last.packetsLost(),
                    last.framesConcealed(),
                    last.framesIncomplete()));
            summary.add(String.format(
                    Locale.ROOT,
                    "heap after GC %.1f -> %.1f MB (min %.1f, max %.1f), RSS %.1f -> %.1f MB, threads %d -> %d",
                    first.heapMbAfterGc(),
                    last.heapMbAfterGc(),
                    heapMin,
                    heapMax,
                    first.rssMb(),
                    last.rssMb(),
                    first.threads(),
                    last.threads()));
            summary.add("target: 0 lost, 0 concealed, flat heap and threads on an otherwise idle host: "
                    + (last.packetsLost() == 0 && last.framesConcealed() == 0 ? "no loss" : "LOSS"));
        }
        Files.write(out.resolve("summary.txt"), summary);
        return summary;
    }
}
