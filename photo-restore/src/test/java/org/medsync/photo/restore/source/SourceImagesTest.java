package org.medsync.photo.restore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Held out means held out: by patient/series for real images, by a gap of levels for the one phantom. */
class SourceImagesTest {
    @Test
    void noPatientOrSeriesIsOnBothSides() {
        Map<String, Set<Split>> splits = new HashMap<>();
        Set<Path> files = new HashSet<>();
        for (SourceImages.Entry e : SourceImages.registryEntries(Path.of("."))) {
            splits.computeIfAbsent(e.group(), g -> new HashSet<>()).add(e.split());
            if (e.split() == Split.HELD_OUT) {
                assertTrue(files.add(e.file()), "held-out file listed twice: " + e.file());
            }
        }
        splits.forEach((group, s) -> assertEquals(1, s.size(), group + " is on both sides"));
        assertTrue(splits.values().stream().anyMatch(s -> s.contains(Split.HELD_OUT)));
        assertFalse(splits.containsKey("synthetic-ct-head"), "the phantom is split by level, not listed here");
    }

    @Test
    void noHeldOutSyntheticSliceNeighboursATrainingSlice() {
        int heldOut = 0;
        for (int k = 0; k < SourceImages.SYNTHETIC_SLICES; k++) {
            if (SourceImages.syntheticSplit(k) == Split.HELD_OUT) {
                heldOut++;
                for (int d = -3; d <= 3; d++) {
                    int n = k + d;
                    if (n >= 0 && n < SourceImages.SYNTHETIC_SLICES) {
                        assertFalse(SourceImages.syntheticSplit(n) == Split.TRAINING, "slice " + k + " near " + n);
                    }
                }
            }
        }
        assertEquals(8, heldOut);
    }
}
