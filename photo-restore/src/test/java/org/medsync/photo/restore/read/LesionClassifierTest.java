package org.medsync.photo.restore.read;

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
import org.medsync.photo.image.Classifier;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Read;
import org.medsync.photo.restore.lesion.Body;
import org.medsync.photo.restore.lesion.Lesion;
import org.medsync.photo.restore.lesion.LesionWindow;
import org.medsync.photo.restore.source.SourceImages;

/** The shipped classifier, found as the server finds it, scores a clear lesion high and the same tissue low. */
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

    @Test
    void aClearLesionScoresAboveOneHalf_theSameTissueWithoutItBelow(@TempDir Path dir) throws IOException {
        // A synthetic head at a seed and size the training never saw.
        Path slice = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 200, 11L))
                .getFirst();
        GrayImage head = SourceImages.read(slice, 1);
        int[] c = Body.centres(head, 8).get(Body.centres(head, 8).size() / 2);
        int s = LesionWindow.SIZE;
        float[] window = new float[s * s];
        for (int r = 0; r < s; r++) {
            System.arraycopy(head.pixels(), (c[1] - s / 2 + r) * head.width() + c[0] - s / 2, window, r * s, s);
        }
        GrayImage negative = new GrayImage(s, s, window.clone());
        new Lesion(s / 2.0, s / 2.0, 6, 5, 0.3, Lesion.MAX_CONTRAST, 1).paint(window, s, s);
        GrayImage positive = new GrayImage(s, s, window);

        Read yes = classifier.read(positive);
        Read no = classifier.read(negative);
        assertTrue(yes.score() > 0.5, "lesion scored " + yes.score());
        assertTrue(no.score() < 0.5, "no lesion scored " + no.score());
        assertEquals(new Read(yes.score(), 0, 0, s), yes);
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
