package org.medsync.bench.photo;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.dncnn.DncnnRestorer;
import org.medsync.photo.restore.measure.Stats;
import org.medsync.photo.restore.read.LesionClassifier;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImages;

/**
 * {@code scripts/bench photo-speed [--runs 20 --warmup 3]}: wall-clock time of the shipped DnCNN restoring one 512x512
 * simulated photo, and of the shipped lesion classifier reading it, as the server runs them (ONNX Runtime, 2 intra-op
 * threads): the mean of {@code --runs} calls after {@code --warmup} unmeasured ones. Quick, so it can be run on an
 * idle machine; the load average is printed with it.
 */
public final class PhotoSpeed {
    private PhotoSpeed() {}

    public static List<String> run(List<String> args) throws IOException {
        int runs = 20;
        int warmup = 3;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--runs" -> runs = Integer.parseInt(args.get(i + 1));
                case "--warmup" -> warmup = Integer.parseInt(args.get(i + 1));
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args.get(i) + " (scripts/bench photo-speed --runs 20 --warmup 3)");
            }
        }
        Path dir = Files.createTempDirectory("bench-photo-speed");
        Path slice = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 512, 3L))
                .getFirst();
        GrayImage photo = DisplayCameraSimulator.photograph(
                SourceImages.read(slice, 1), Settings.draw(Regime.IN_RANGE, 0x5EED_0015_CCCC_0000L));
        String loadBefore = PhotoReadBenchmark.load();
        List<String> out = new ArrayList<>();
        try (DncnnRestorer dncnn = new DncnnRestorer();
                LesionClassifier classifier = new LesionClassifier()) {
            out.add(line("DnCNN restore 512x512", time(() -> dncnn.restore(photo), runs, warmup)));
            out.add(line("lesion classifier read 512x512", time(() -> classifier.read(photo), runs, warmup)));
        }
        out.add("load average before " + loadBefore + ", after " + PhotoReadBenchmark.load() + "; "
                + Runtime.getRuntime().availableProcessors() + " cores");
        return out;
    }

    /** Wall-clock and process CPU milliseconds per call: {wall, cpu}. */
    private static Stats[] time(Supplier<?> call, int runs, int warmup) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < warmup; i++) {
            call.get();
        }
        List<Double> ms = new ArrayList<>();
        List<Double> cpuMs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            call.get();
            ms.add((System.nanoTime() - t0) / 1e6);
            cpuMs.add((os.getProcessCpuTime() - c0) / 1e6);
        }
        return new Stats[] {Stats.of(ms), Stats.of(cpuMs)};
    }

    /**
     * On a loaded machine the wall time measures the queue for the cores; the CPU time does not: on idle cores a call
     * takes at most its CPU time, and about half of it when ONNX Runtime's 2 intra-op threads run in parallel.
     */
    private static String line(String what, Stats[] s) {
        return String.format(
                Locale.ROOT,
                "%s: mean %.0f ms, SD %.0f ms over %d runs after warm-up; process CPU %.0f ms per call (idle: at most"
                        + " that, about %.0f ms if both threads run in parallel)",
                what,
                s[0].mean(),
                s[0].sd(),
                s[0].count(),
                s[1].mean(),
                s[1].mean() / 2);
    }
}
