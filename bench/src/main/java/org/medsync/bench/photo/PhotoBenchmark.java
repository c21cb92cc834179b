package org.medsync.bench.photo;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.classical.NonLocalMeans;
import org.medsync.photo.restore.classical.ToneMatch;
import org.medsync.photo.restore.dncnn.DncnnRestorer;
import org.medsync.photo.restore.measure.Quality;
import org.medsync.photo.restore.measure.Stats;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.SourceImages;
import org.medsync.photo.restore.source.Split;

/**
 * {@code scripts/bench photo} (issue 15): the paper's Table 1 on MedSync's restorer. Every held-out image (never
 * trained on, SourceImages) is photographed {@code --draws} times with in-range settings and as often with
 * out-of-range settings (seeds disjoint from training's); PSNR and SSIM against the displayed image for the
 * rectified photo, the classical baselines and the shipped DnCNN. Writes bench/results/photo/ (per-photo CSV,
 * table.md, summary.txt) and docs/img/photo-restore.png.
 *
 * <p>Options: {@code --draws 4}.
 */
public final class PhotoBenchmark {
    /** Seeds of held-out settings start here; training's are seed * 1_000_003 + i for a few hundred i. */
    static final long HELD_OUT_SEED_BASE = 0x5EED_0015_0000_0000L;

    private PhotoBenchmark() {}

    public static List<String> run(Path root, Path results, List<String> args) throws IOException {
        int draws = 4;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            if (args.get(i).equals("--draws")) {
                draws = Integer.parseInt(args.get(i + 1));
            } else {
                throw new IllegalArgumentException(
                        "unknown option " + args.get(i) + " (scripts/bench photo --draws N)");
            }
        }
        Path out = Files.createDirectories(results.resolve("photo"));
        Path scratch = Files.createTempDirectory("bench-photo");
        List<SourceImage> all = SourceImages.load(root, scratch);
        long[] pooled = new long[ToneMatch.BINS];
        List<SourceImage> heldOut = new ArrayList<>();
        for (SourceImage s : all) {
            if (s.split() == Split.TRAINING) {
                long[] h = ToneMatch.histogram(s.image());
                for (int i = 0; i < h.length; i++) {
                    pooled[i] += h[i];
                }
            } else {
                heldOut.add(s);
            }
        }
        Map<String, UnaryOperator<GrayImage>> methods = new LinkedHashMap<>();
        methods.put("rectified photo", p -> p);
        methods.put("tone stretch", ToneMatch::stretch);
        methods.put("histogram matched", p -> ToneMatch.matchHistogram(p, pooled));
        methods.put(
                "stretch + non-local means", p -> NonLocalMeans.denoise(ToneMatch.stretch(p), NonLocalMeans.DEFAULT_H));
        List<String> rows = new ArrayList<>(List.of("regime,image,group,draw,method,psnr_db,ssim"));
        Map<String, List<Double>> psnr = new LinkedHashMap<>();
        Map<String, List<Double>> ssim = new LinkedHashMap<>();
        List<Double> inferenceMs512 = new ArrayList<>();
        List<Double> inferenceCpuMs512 = new ArrayList<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        GrayImage[] example = new GrayImage[4];
        String loadBefore = load();
        try (DncnnRestorer dncnn = new DncnnRestorer()) {
            methods.put("DnCNN (shipped)", dncnn::restore);
            int index = 0;
            for (Regime regime : Regime.values()) {
                for (SourceImage s : heldOut) {
                    for (int d = 0; d < draws; d++) {
                        Settings settings = Settings.draw(regime, HELD_OUT_SEED_BASE + index++);
                        GrayImage photo = DisplayCameraSimulator.photograph(s.image(), settings);
                        for (Map.Entry<String, UnaryOperator<GrayImage>> m : methods.entrySet()) {
                            long t0 = System.nanoTime();
                            GrayImage restored = m.getValue().apply(photo);
                            double ms = (System.nanoTime() - t0) / 1e6;
                            if (m.getKey().startsWith("DnCNN")
                                    && s.image().width() == 512
                                    && s.image().height() == 512) {
                                inferenceMs512.add(ms);
                            }
                            double p = Quality.psnr(s.image(), restored);
                            double q = Quality.ssim(s.image(), restored);
                            String key = regime + "|" + m.getKey();
                            psnr.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                            ssim.computeIfAbsent(key, k -> new ArrayList<>()).add(q);
                            rows.add(String.format(
                                    Locale.ROOT,
                                    "%s,%s,%s,%d,%s,%.3f,%.4f",
                                    regime,
                                    s.id(),
                                    s.group(),
                                    d,
                                    m.getKey(),
                                    p,
                                    q));
                        }
                        if (regime == Regime.IN_RANGE && d == 0 && s.id().equals("693_J2KI.dcm")) {
                            example = new GrayImage[] {
                                s.image(),
                                photo,
                                methods.get("stretch + non-local means").apply(photo),
                                dncnn.restore(photo)
                            };
                        }
                    }
                }
            }
        }
        Files.write(out.resolve("photos.csv"), rows);
        List<String> table = new ArrayList<>();
        table.add("| Set | Photos | Method | PSNR mean (dB) | PSNR SD | SSIM mean | SSIM SD |");
        table.add("|---|---|---|---|---|---|---|");
        List<String> summary = new ArrayList<>();
        Map<String, Stats[]> stats = new LinkedHashMap<>();
        for (String key : psnr.keySet()) {
            Stats p = Stats.of(psnr.get(key));
            Stats q = Stats.of(ssim.get(key));
            stats.put(key, new Stats[] {p, q});
            String[] k = key.split("\\|");
            String set = switch (k[0]) {
                case "IN_RANGE" -> "held-out, in range";
                case "HARSH" -> "held-out, harsh (pre-calibration noise and glare)";
                default -> "held-out, out of range";
            };
            table.add(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %.2f | %.2f | %.3f | %.3f |",
                    set,
                    p.count(),
                    k[1],
                    p.mean(),
                    p.sd(),
                    q.mean(),
                    q.sd()));
        }
        for (Regime r : Regime.values()) {
            Stats[] base = stats.get(r + "|rectified photo");
            Stats[] net = stats.get(r + "|DnCNN (shipped)");
            Stats[] classical = stats.get(r + "|stretch + non-local means");
            summary.add(String.format(
                    Locale.ROOT,
                    "%s: DnCNN %+.2f dB over the rectified photo (%.2f -> %.2f dB), %+.2f dB over stretch + NLM;"
                            + " SSIM %.3f -> %.3f",
                    r,
                    net[0].mean() - base[0].mean(),
                    base[0].mean(),
                    net[0].mean(),
                    net[0].mean() - classical[0].mean(),
                    base[1].mean(),
                    net[1].mean()));
        }
        Stats inference = inferenceMs512.isEmpty() ? null : Stats.of(inferenceMs512);
        summary.add(
                inference == null
                        ? "no 512x512 held-out image: inference time not measured"
                        : String.format(
                                Locale.ROOT,
                                "DnCNN inference 512x512 (tone stretch + ONNX Runtime, 2 threads): mean %.0f"
                                        + " ms, SD %.0f ms over %d runs",
                                inference.mean(),
                                inference.sd(),
                                inference.count()));
        summary.add("held-out images: " + heldOut.stream().map(SourceImage::id).toList() + "; " + draws
                + " draws each per set; load average before " + loadBefore + ", after " + load());
        Files.write(out.resolve("table.md"), table);
        Files.write(out.resolve("summary.txt"), summary);
        PhotoFigure.write(root.resolve("docs/img/photo-restore.png"), example, stats);
        List<String> printed = new ArrayList<>(table);
        printed.addAll(summary);
        return printed;
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
