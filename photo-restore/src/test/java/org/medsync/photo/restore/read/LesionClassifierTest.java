package org.medsync.photo.restore.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.image.Classifier;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Read;
import org.medsync.photo.restore.lesion.Body;
import org.medsync.photo.restore.lesion.Lesion;
import org.medsync.photo.restore.lesion.LesionWindow;
import org.medsync.photo.restore.source.SourceImages;

/**
 * The shipped classifier loads as the server finds it, reads whole images in windows, and scores a clear synthetic
 * lesion above the same tissue without it (the first shipped model, 300 steps at load 30-38, did not: 0.600 vs 0.601;
 * the retrained one must; docs/photo-intake.md "AI read").
 */
class LesionClassifierTest {
    private static LesionClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = new LesionClassifier();
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void serviceLoaderFindsTheShippedClassifier() {
        List<Classifier> found = ServiceLoader.load(Classifier.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertTrue(found.stream().anyMatch(c -> c instanceof LesionClassifier), "found " + found);
        assertTrue(found.getFirst().finding().contains("lesion"));
        assertEquals("decision support - not a diagnosis", Classifier.LABEL);
    }

    /**
     * Several slices of the synthetic head (never the classifier's only training source: it also saw the registry
     * images) and several places in each: the same 48x48 window with and without a clear lesion (semi-axes 5-6 px,
     * contrast 0.25 of the display range, either sign, sharp edge) must score higher with it, every time, and by more
     * than 0.5 on average (measured 2026-12-07: 0.87). A classifier that ignores lesions scores both alike and fails.
     */
    @Test
    void aClearLesionScoresAboveTheSameTissueWithoutIt(@TempDir Path dir) throws IOException {
        List<Path> slices = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(40, 256, 7L));
        int s = LesionWindow.SIZE;
        List<String> report = new ArrayList<>();
        double margin = 0;
        int pairs = 0;
        int wrong = 0;
        for (int slice : new int[] {12, 22, 30}) {
            GrayImage clean = SourceImages.read(slices.get(slice), 1);
            List<int[]> centres = Body.centres(clean, 24);
            assertTrue(centres.size() >= 4, "slice " + slice + " has " + centres.size() + " body centres");
            SplittableRandom random = new SplittableRandom(1500 + slice);
            for (int k = 0; k < 4; k++) {
                int[] c = centres.get(random.nextInt(centres.size()));
                double rx = 5 + random.nextDouble();
                Lesion lesion = new Lesion(
                        c[0], c[1], rx, rx * 0.85, random.nextDouble() * Math.PI, (k % 2 == 0 ? 0.25 : -0.25), 0.6);
                float[] withLesion = clean.pixels().clone();
                lesion.paint(withLesion, clean.width(), clean.height());
                float[] windows = new float[2 * s * s];
                LesionWindow.cut(clean, c[0] - s / 2, c[1] - s / 2, windows, 0);
                LesionWindow.cut(
                        new GrayImage(clean.width(), clean.height(), withLesion),
                        c[0] - s / 2,
                        c[1] - s / 2,
                        windows,
                        s * s);
                float[] scores = classifier.score(windows, 2);
                report.add(String.format(
                        Locale.ROOT,
                        "slice %d at %d,%d contrast %+.2f: %.3f -> %.3f",
                        slice,
                        c[0],
                        c[1],
                        lesion.contrast(),
                        scores[0],
                        scores[1]));
                margin += scores[1] - scores[0];
                pairs++;
                wrong += scores[1] > scores[0] ? 0 : 1;
            }
        }
        report.forEach(System.out::println);
        assertEquals(0, wrong, "pairs where the lesion did not raise the score: " + report);
        assertTrue(margin / pairs > 0.5, "mean score gain " + margin / pairs + ": " + report);
    }

    @Test
    void aWholeImageIsReadInWindows_andTooSmallAnImageIsRefused(@TempDir Path dir) throws IOException {
        Path slice = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 128, 5L))
                .getFirst();
        Read r = classifier.read(SourceImages.read(slice, 1));
        assertTrue(r.x() + r.size() <= 128 && r.y() + r.size() <= 128, "region " + r);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> classifier.read(new GrayImage(40, 40, new float[1600])));
        assertTrue(e.getMessage().contains("40x40"), e.getMessage());
    }
}
