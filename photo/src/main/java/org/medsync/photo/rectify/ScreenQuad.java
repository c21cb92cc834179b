package org.medsync.photo.rectify;

import java.util.Objects;

/**
 * Where {@link ScreenFinder} thinks the image is: its corners and a confidence in [0, 1] (the share of the four
 * sides backed by a measured edge, lowered by how far the edge points stray from straight lines). Confidence 0
 * with the photo's own corners when no quadrilateral was found.
 */
public record ScreenQuad(Corners corners, double confidence) {
    public ScreenQuad {
        Objects.requireNonNull(corners, "corners");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
    }
}
