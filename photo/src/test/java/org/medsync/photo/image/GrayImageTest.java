package org.medsync.photo.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GrayImageTest {
    @Test
    void refusesWrongPixelCountAndEmptySides() {
        assertEquals(
                "2x2 needs 4 pixels, got 3",
                assertThrows(IllegalArgumentException.class, () -> new GrayImage(2, 2, new float[3]))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(0, 2, new float[0]));
    }

    @Test
    void readsRowMajor() {
        assertEquals(0.5f, new GrayImage(2, 2, new float[] {0, 0, 0.5f, 0}).at(0, 1));
    }
}
