package org.medsync.photo.restore.dncnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Restorer;
import org.medsync.photo.restore.classical.ToneMatch;
import org.medsync.photo.restore.measure.Quality;
import org.medsync.photo.restore.simulate.DisplayCameraSimulator;
import org.medsync.photo.restore.simulate.Regime;
import org.medsync.photo.restore.simulate.Settings;
import org.medsync.photo.restore.source.SourceImages;

/** The shipped weights, found as the server finds them, restore a simulated photo. */
class DncnnRestorerTest {
    /**
     * PSNR gain the shipped weights must give on the photo below: measured 12.27 -> 21.28 dB (+9.0 dB) with the
     * weights of 2026-12-07 (tone stretch alone: 17.78 dB); 3 dB of margin for other CPUs' rounding.
     */
    static final double MIN_GAIN_DB = 6;

    private static DncnnRestorer restorer;

    @BeforeAll
    static void load() {
        restorer = new DncnnRestorer();
    }

    @AfterAll
    static void close() {
        restorer.close();
    }

    @Test
    void serviceLoaderFindsTheShippedRestorer() {
        List<Restorer> found = ServiceLoader.load(Restorer.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertTrue(found.stream().anyMatch(r -> r instanceof DncnnRestorer), "found " + found);
        assertTrue(found.getFirst().description().contains("DnCNN"));
    }

    @Test
    void restoresASimulatedPhotoBetterThanTheInput(@TempDir Path dir) throws IOException {
        // A synthetic head slice at a level the training set does not contain (it held out levels above 24/40).
        Path slice = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 160, 7L))
                .getFirst();
        GrayImage original = SourceImages.read(slice, 1);
        GrayImage photo = DisplayCameraSimulator.photograph(original, Settings.draw(Regime.IN_RANGE, 20261206L));
        GrayImage restored = restorer.restore(photo);
        double before = Quality.psnr(original, photo);
        double after = Quality.psnr(original, restored);
        assertTrue(after > before + MIN_GAIN_DB, "PSNR " + before + " -> " + after + " dB");
        assertTrue(after > Quality.psnr(original, ToneMatch.stretch(photo)), "the network adds to the tone stretch");
    }

    @Test
    void refusesSizesOutsideItsLimitsClearly() {
        IllegalArgumentException small = assertThrows(
                IllegalArgumentException.class, () -> restorer.restore(new GrayImage(8, 40, new float[8 * 40])));
        assertEquals("DnCNN restores images with sides 16..12000 px, got 8x40", small.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> restorer.restore(new GrayImage(12001, 16, new float[12001 * 16])));
    }

    @Test
    void tilesGiveTheSameResultAsOnePass() {
        int w = DncnnRestorer.TILE + 90;
        int h = 40;
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.5 + 0.4 * Math.sin(i * 0.37) * Math.cos(i / (double) w * 0.9));
        }
        GrayImage photo = new GrayImage(w, h, p);
        float[] whole = restorer.run(ToneMatch.stretch(photo).pixels(), w, h);
        for (int i = 0; i < whole.length; i++) {
            whole[i] = Math.clamp(whole[i], 0f, 1f);
        }
        assertArrayEquals(whole, restorer.restore(photo).pixels(), 1e-5f);
    }
}
