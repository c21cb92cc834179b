package org.medsync.photo.restore.dncnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.classical.ToneMatch;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.Split;

/**
 * Training pairs: each training image photographed {@code draws} times with in-range settings (seeds derived from
 * the run's seed), the photo tone-stretched as the restorer does, and random patches cut from the pool. Held-out
 * images are refused here, so no code path can train on them.
 */
public final class TrainingPairs {
    private final List<GrayImage> inputs = new ArrayList<>();
    private final List<GrayImage> targets = new ArrayList<>();

    public TrainingPairs(List<SourceImage> sources, int draws, long seed) {
        List<SourceImage> training = new ArrayList<>();
        for (SourceImage s : sources) {
            if (s.split() != Split.TRAINING) {
                throw new IllegalArgumentException("held-out image offered for training: " + s.id());
            }
            training.add(s);
        }
        int n = training.size() * draws;
        GrayImage[] in = new GrayImage[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            SourceImage s = training.get(i / draws);
            Settings settings = Settings.draw(Regime.IN_RANGE, seed * 1_000_003L + i);
            in[i] = ToneMatch.stretch(DisplayCameraSimulator.photograph(s.image(), settings));
        });
        for (int i = 0; i < n; i++) {
            inputs.add(in[i]);
            targets.add(training.get(i / draws).image());
        }
    }

    public int size() {
        return inputs.size();
    }

    /**
     * A batch of {@code count} random {@code patch x patch} crops, randomly mirrored: {@code x} photo patches,
     * {@code residual} = photo minus original (what the network learns to predict), both [count, 1, patch, patch].
     */
    public void batch(SplittableRandom random, int count, int patch, float[] x, float[] residual) {
        for (int b = 0; b < count; b++) {
            int k = random.nextInt(inputs.size());
            GrayImage in = inputs.get(k);
            GrayImage target = targets.get(k);
            int w = in.width();
            int ox = random.nextInt(Math.max(1, w - patch + 1));
            int oy = random.nextInt(Math.max(1, in.height() - patch + 1));
            boolean flipX = random.nextBoolean();
            boolean flipY = random.nextBoolean();
            for (int y = 0; y < patch; y++) {
                for (int xx = 0; xx < patch; xx++) {
                    int sx = Math.min(w - 1, ox + (flipX ? patch - 1 - xx : xx));
                    int sy = Math.min(in.height() - 1, oy + (flipY ? patch - 1 - y : y));
                    float p = in.pixels()[sy * w + sx];
                    int o = (b * patch + y) * patch + xx;
                    x[o] = p;
                    residual[o] = p - target.pixels()[sy * w + sx];
                }
            }
        }
    }
}
