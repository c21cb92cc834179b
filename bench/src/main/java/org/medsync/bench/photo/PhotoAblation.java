package org.medsync.bench.photo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.classical.ToneMatch;
import org.medsync.photo.restore.measure.Quality;
import org.medsync.photo.restore.measure.Stats;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Parameter;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.SourceImages;
import org.medsync.photo.restore.source.Split;

/**
 * {@code scripts/bench photo-ablation [--draws 2 --regime in-range]}: which of the simulator's degradations cost
 * how much, so that the restorer's ceiling is known before anyone trains longer. Each held-out image is
 * photographed with every degradation group alone (the others neutral) and with every group but one, the group's
 * values taken from the same drawn settings as the full photo. Per case: PSNR and SSIM of the rectified photo, of
 * its tone stretch (the restorer's front end) and of an oracle global tone map (for each photo value the mean of
 * the original values under it, fitted WITH the original: no global tone correction can do better, so what is
 * left after it is not a tone problem but lost or misplaced information). {@code --only TEXT} runs the cases whose
 * name contains TEXT. Writes
 * bench/results/photo-ablation/table.md.
 */
public final class PhotoAblation {
    /** The simulator's parameters grouped by the physical effect they make. */
    static final Map<String, Set<Parameter>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put(
                "tone (gamma, black, exposure, S-curve)",
                EnumSet.of(
                        Parameter.DISPLAY_GAMMA, Parameter.BLACK_LEVEL, Parameter.EXPOSURE, Parameter.TONE_CONTRAST));
        GROUPS.put("moire", EnumSet.of(Parameter.MOIRE_PERIOD, Parameter.MOIRE_ANGLE, Parameter.MOIRE_AMPLITUDE));
        GROUPS.put(
                "glare",
                EnumSet.of(Parameter.GLARE_STRENGTH, Parameter.GLARE_X, Parameter.GLARE_Y, Parameter.GLARE_RADIUS));
        GROUPS.put("perspective + resampling", EnumSet.of(Parameter.PERSPECTIVE, Parameter.CAMERA_SCALE));
        GROUPS.put("corner error (misregistration)", EnumSet.of(Parameter.CORNER_ERROR));
        GROUPS.put("defocus", EnumSet.of(Parameter.DEFOCUS_SIGMA));
        GROUPS.put("motion", EnumSet.of(Parameter.MOTION_LENGTH, Parameter.MOTION_ANGLE));
        GROUPS.put("noise (shot, read)", EnumSet.of(Parameter.SHOT_NOISE, Parameter.READ_NOISE));
        GROUPS.put("JPEG", EnumSet.of(Parameter.JPEG_QUALITY));
    }

    private PhotoAblation() {}

    public static List<String> run(Path root, Path results, List<String> args) throws IOException {
        int draws = 2;
        Regime regime = Regime.IN_RANGE;
        String only = "";
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--draws" -> draws = Integer.parseInt(args.get(i + 1));
                case "--only" -> only = args.get(i + 1);
                case "--regime" ->
                    regime = Regime.valueOf(
                            args.get(i + 1).toUpperCase(Locale.ROOT).replace('-', '_'));
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args.get(i)
                                    + " (scripts/bench photo-ablation --draws 2 --regime in-range|out-of-range|harsh --only TEXT)");
            }
        }
        Path scratch = Files.createTempDirectory("bench-photo-ablation");
        List<SourceImage> heldOut = new ArrayList<>();
        for (SourceImage s : SourceImages.load(root, scratch)) {
            if (s.split() != Split.TRAINING) {
                heldOut.add(s);
            }
        }
        Map<String, Set<Parameter>> cases = new LinkedHashMap<>();
        cases.put("none (8 bits, JPEG 100)", EnumSet.noneOf(Parameter.class));
        GROUPS.forEach((name, params) -> cases.put(name + " alone", params));
        cases.put("all", EnumSet.allOf(Parameter.class));
        GROUPS.forEach((name, params) -> {
            EnumSet<Parameter> rest = EnumSet.allOf(Parameter.class);
            rest.removeAll(params);
            cases.put("all but " + name, rest);
        });
        String loadBefore = PhotoReadBenchmark.load();
        List<String> table = new ArrayList<>(List.of(
                "| case | photo PSNR | photo SSIM | stretch PSNR | stretch SSIM | linear stretch PSNR | linear stretch SSIM"
                        + " | oracle tone PSNR | oracle tone SSIM |",
                "|---|---|---|---|---|---|---|---|---|"));
        int n = heldOut.size() * draws;
        Regime drawn = regime;
        int perImage = draws;
        for (Map.Entry<String, Set<Parameter>> c : cases.entrySet()) {
            if (!c.getKey().contains(only)) {
                continue;
            }
            double[][] m = new double[n][8];
            IntStream.range(0, n).parallel().forEach(k -> {
                GrayImage original = heldOut.get(k / perImage).image();
                long seed = PhotoBenchmark.HELD_OUT_SEED_BASE + 0xAB1A_0000L + k;
                Settings full = Settings.draw(drawn, seed);
                Settings s = Settings.neutral(full.seed());
                for (Parameter p : c.getValue()) {
                    s = s.with(p, full.get(p));
                }
                GrayImage photo = DisplayCameraSimulator.photograph(original, s);
                GrayImage stretched = ToneMatch.stretch(photo);
                GrayImage linear = ToneMatch.linearStretch(photo);
                GrayImage oracle = oracleTone(photo, original);
                m[k] = new double[] {
                    Quality.psnr(original, photo), Quality.ssim(original, photo),
                    Quality.psnr(original, stretched), Quality.ssim(original, stretched),
                    Quality.psnr(original, linear), Quality.ssim(original, linear),
                    Quality.psnr(original, oracle), Quality.ssim(original, oracle)
                };
            });
            StringBuilder row = new StringBuilder("| " + c.getKey() + " |");
            for (int j = 0; j < 8; j++) {
                List<Double> col = new ArrayList<>();
                for (double[] r : m) {
                    col.add(r[j]);
                }
                row.append(String.format(
                        Locale.ROOT,
                        j % 2 == 0 ? " %.2f |" : " %.3f |",
                        Stats.of(col).mean()));
            }
            table.add(row.toString());
            System.out.println(row);
        }
        table.add("");
        table.add(String.format(
                Locale.ROOT,
                "%d held-out images x %d draws (%s); load average before %s, after %s",
                heldOut.size(),
                draws,
                regime,
                loadBefore,
                PhotoReadBenchmark.load()));
        Path out = Files.createDirectories(results.resolve("photo-ablation"));
        Files.write(out.resolve("table.md"), table);
        return table;
    }

    /**
     * The best global tone map with hindsight: each of 256 photo levels mapped to the mean original value of the
     * pixels at that level (the least-squares optimum among all functions of the photo value alone).
     */
    static GrayImage oracleTone(GrayImage photo, GrayImage original) {
        double[] sum = new double[256];
        int[] count = new int[256];
        float[] p = photo.pixels();
        float[] o = original.pixels();
        for (int i = 0; i < p.length; i++) {
            int b = Math.clamp(Math.round(p[i] * 255), 0, 255);
            sum[b] += o[i];
            count[b]++;
        }
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            int b = Math.clamp(Math.round(p[i] * 255), 0, 255);
            out[i] = (float) (sum[b] / count[b]);
        }
        return new GrayImage(photo.width(), photo.height(), out);
    }
}
