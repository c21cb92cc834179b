package org.medsync.bench.photo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.dncnn.DncnnRestorer;
import org.medsync.photo.restore.lesion.LesionScene;
import org.medsync.photo.restore.lesion.LesionWindow;
import org.medsync.photo.restore.measure.Auroc;
import org.medsync.photo.restore.measure.Stats;
import org.medsync.photo.restore.read.ClassifierNet;
import org.medsync.photo.restore.read.LesionClassifier;
import org.medsync.photo.restore.read.TrainClassifier;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.SourceImages;

/**
 * {@code scripts/bench photo-read} (issue 15, item 6): the paper's AI-read experiment on MedSync's lesion task.
 * Every source image gets a {@link LesionScene} (lesion and lesion-free windows, balanced); the scene is photographed
 * by the simulator (in-range settings) and restored by the shipped DnCNN. Repeated cross-validation split by
 * patient/series: per split, whole groups go to the test side until it holds {@code --test-share} of the windows;
 * per run, a classifier is trained on the ORIGINAL images of the training groups only (no lesion of the test
 * scenes, no photo) and scores the same test windows as original, photographed and restored. AUROC per split and
 * run. Writes bench/results/photo-read/ (runs.csv, table.md, summary.txt) and docs/img/photo-read.png.
 *
 * <p>Options: {@code --splits 10 --runs 3 --steps 600 --pairs 4 --test-share 0.25}.
 */
public final class PhotoReadBenchmark {
    static final long SCENE_SEED = 0x5EED_0015_AAAA_0000L;
    static final long PHOTO_SEED = 0x5EED_0015_BBBB_0000L;

    /** The synthetic head is one phantom: its slices form groups of this many adjacent levels. */
    static final int SYNTHETIC_LEVELS_PER_GROUP = 5;

    static final String[] VERSIONS = {"original", "photographed", "restored"};

    /** The paper's mean AUROC (Podilchuk et al., Results): original DICOM, photo, DnCNN output. */
    static final double[] PAPER = {0.864, 0.849, 0.853};

    private PhotoReadBenchmark() {}

    public static List<String> run(Path root, Path results, List<String> args) throws IOException {
        int splits = 10;
        int runs = 3;
        int steps = TrainClassifier.Options.DEFAULT.steps();
        int pairs = 4;
        double testShare = 0.25;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            String v = args.get(i + 1);
            switch (args.get(i)) {
                case "--splits" -> splits = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--pairs" -> pairs = Integer.parseInt(v);
                case "--test-share" -> testShare = Double.parseDouble(v);
                default ->
                    throw new IllegalArgumentException("unknown option " + args.get(i)
                            + " (scripts/bench photo-read --splits 10 --runs 3 --steps 600 --pairs 4"
                            + " --test-share 0.25)");
            }
        }
        if (args.size() % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        Instant start = Instant.now();
        String loadBefore = load();
        Path out = Files.createDirectories(results.resolve("photo-read"));
        List<SourceImage> sources = SourceImages.load(root, Files.createTempDirectory("bench-photo-read"));
        int s = LesionWindow.SIZE;
        int window = s * s;

        // The scenes, their photos and restorations are made once and shared by every split and run.
        List<String> groups = new ArrayList<>();
        List<GrayImage> originals = new ArrayList<>();
        List<float[][]> windows = new ArrayList<>();
        List<boolean[]> labels = new ArrayList<>();
        GrayImage[] example = null;
        try (DncnnRestorer dncnn = new DncnnRestorer()) {
            for (int i = 0; i < sources.size(); i++) {
                SourceImage src = sources.get(i);
                LesionScene scene = LesionScene.of(src.image(), pairs, SCENE_SEED + i);
                if (scene.cases().isEmpty()) {
                    continue;
                }
                GrayImage photo = DisplayCameraSimulator.photograph(
                        scene.image(), Settings.draw(Regime.IN_RANGE, PHOTO_SEED + i));
                GrayImage restored = dncnn.restore(photo);
                GrayImage[] versions = {scene.image(), photo, restored};
                int n = scene.cases().size();
                float[][] w = new float[3][n * window];
                boolean[] l = new boolean[n];
                for (int c = 0; c < n; c++) {
                    LesionScene.Case k = scene.cases().get(c);
                    for (int v = 0; v < 3; v++) {
                        LesionWindow.cut(versions[v], k.x(), k.y(), w[v], c * window);
                    }
                    l[c] = k.lesion();
                }
                if (example == null && src.id().startsWith("synthetic")) {
                    example = versions;
                }
                groups.add(group(src));
                originals.add(src.image());
                windows.add(w);
                labels.add(l);
            }
        }
        int totalCases = labels.stream().mapToInt(l -> l.length).sum();
        List<String> distinct = List.copyOf(new LinkedHashSet<>(groups));
        double prepareSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;

        List<String> rows = new ArrayList<>(List.of(
                "split,run,test_groups,train_images,test_windows,auroc_original,auroc_photographed,auroc_restored"));
        Map<String, List<Double>> auroc = new LinkedHashMap<>();
        for (String v : VERSIONS) {
            auroc.put(v, new ArrayList<>());
        }
        for (int split = 0; split < splits; split++) {
            List<String> shuffled = new ArrayList<>(distinct);
            SplittableRandom r = new SplittableRandom(1500 + split);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                String t = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, t);
            }
            List<String> test = new ArrayList<>();
            int testCases = 0;
            for (String g : shuffled) {
                if (testCases >= testShare * totalCases) {
                    break;
                }
                test.add(g);
                for (int i = 0; i < groups.size(); i++) {
                    testCases += groups.get(i).equals(g) ? labels.get(i).length : 0;
                }
            }
            List<GrayImage> train = new ArrayList<>();
            List<Integer> testScenes = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                if (test.contains(groups.get(i))) {
                    testScenes.add(i);
                } else {
                    train.add(originals.get(i));
                }
            }
            for (int run = 0; run < runs; run++) {
                long seed = 15_000L + 100L * split + run;
                ClassifierNet.Weights weights =
                        TrainClassifier.train(train, new TrainClassifier.Options(steps, 32, 3e-3f), seed, line -> {});
                double[] a = new double[3];
                try (LesionClassifier classifier = new LesionClassifier(ClassifierNet.onnx(weights))) {
                    for (int v = 0; v < 3; v++) {
                        double[] scores = new double[testCases];
                        boolean[] truth = new boolean[testCases];
                        int at = 0;
                        for (int i : testScenes) {
                            int n = labels.get(i).length;
                            float[] sc = classifier.score(windows.get(i)[v], n);
                            for (int c = 0; c < n; c++) {
                                scores[at] = sc[c];
                                truth[at++] = labels.get(i)[c];
                            }
                        }
                        a[v] = Auroc.of(scores, truth);
                        auroc.get(VERSIONS[v]).add(a[v]);
                    }
                }
                String line = String.format(
                        Locale.ROOT,
                        "%d,%d,%s,%d,%d,%.4f,%.4f,%.4f",
                        split,
                        run,
                        String.join(" ", test),
                        train.size(),
                        testCases,
                        a[0],
                        a[1],
                        a[2]);
                rows.add(line);
                System.out.println("photo-read " + line + " (load " + load() + ")");
            }
        }
        Files.write(out.resolve("runs.csv"), rows);
        List<String> table = new ArrayList<>();
        table.add("| Images | Paper AUROC (10 splits x 3 runs) | MedSync AUROC mean | SD | min | max | runs |");
        table.add("|---|---|---|---|---|---|---|");
        Map<String, Stats> stats = new LinkedHashMap<>();
        for (int v = 0; v < 3; v++) {
            List<Double> x = auroc.get(VERSIONS[v]);
            Stats st = Stats.of(x);
            stats.put(VERSIONS[v], st);
            table.add(String.format(
                    Locale.ROOT,
                    "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d |",
                    VERSIONS[v],
                    PAPER[v],
                    st.mean(),
                    st.sd(),
                    x.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    x.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    st.count()));
        }
        double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
        List<String> summary = List.of(
                String.format(
                        Locale.ROOT,
                        "%d splits x %d runs, %d training steps each; %d scenes (%d windows, half with a lesion) in %d"
                                + " groups; scenes, photos and restorations made in %.0f s; %.1f min in all",
                        splits,
                        runs,
                        steps,
                        labels.size(),
                        totalCases,
                        distinct.size(),
                        prepareSeconds,
                        minutes),
                "groups: " + distinct,
                "load average before " + loadBefore + ", after " + load());
        Files.write(out.resolve("table.md"), table);
        Files.write(out.resolve("summary.txt"), summary);
        PhotoReadFigure.write(root.resolve("docs/img/photo-read.png"), example, auroc, PAPER);
        List<String> printed = new ArrayList<>(table);
        printed.addAll(summary);
        return printed;
    }

    /** The unit held out together: the source's patient/series, the synthetic phantom by blocks of levels. */
    static String group(SourceImage s) {
        if (s.id().startsWith("synthetic-ct-")) {
            int level = Integer.parseInt(s.id().substring("synthetic-ct-".length())) - 1;
            return s.group() + "/levels-" + (level / SYNTHETIC_LEVELS_PER_GROUP);
        }
        return s.group();
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
