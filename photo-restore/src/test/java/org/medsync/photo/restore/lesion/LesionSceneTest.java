package org.medsync.photo.restore.lesion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.measure.Auroc;
import org.medsync.photo.restore.source.SourceImages;

/** Scenes are balanced, seeded, lesions lie inside the body and change only their own windows. */
class LesionSceneTest {
    @Test
    void balancedSeededAndLesionsOnlyInsideTheirWindows(@TempDir Path dir) throws IOException {
        GrayImage head = SourceImages.read(
                SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 256, 3L))
                        .getFirst(),
                1);
        LesionScene scene = LesionScene.of(head, 4, 42);
        int n = scene.cases().size();
        // A 256 px head has room for few windows 72 px apart; never more than asked, always balanced.
        assertTrue(n >= 2 && n <= 8 && n % 2 == 0, n + " cases");
        assertEquals(
                n / 2, scene.cases().stream().filter(LesionScene.Case::lesion).count());
        assertArrayEquals(
                scene.image().pixels(), LesionScene.of(head, 4, 42).image().pixels());
        int s = LesionWindow.SIZE;
        for (LesionScene.Case c : scene.cases()) {
            int changed = 0;
            for (int y = c.y(); y < c.y() + s; y++) {
                for (int x = c.x(); x < c.x() + s; x++) {
                    int i = y * head.width() + x;
                    changed += scene.image().pixels()[i] != head.pixels()[i] ? 1 : 0;
                    if (scene.image().pixels()[i] != head.pixels()[i]) {
                        assertTrue(head.pixels()[i] > Body.THRESHOLD || c.lesion(), "lesion outside the body");
                    }
                }
            }
            assertTrue(c.lesion() ? changed > 20 : changed == 0, c + " changed " + changed + " pixels");
        }
    }

    @Test
    void aurocIsTheMannWhitneyStatistic() {
        assertEquals(1.0, Auroc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}));
        assertEquals(0.0, Auroc.of(new double[] {0.9, 0.1}, new boolean[] {false, true}));
        assertEquals(0.5, Auroc.of(new double[] {0.5, 0.5}, new boolean[] {false, true}));
        assertEquals(0.75, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}));
    }
}
