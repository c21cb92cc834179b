package org.medsync.photo.image;

/**
 * The result of a {@link Classifier}: {@code score} in [0, 1] (higher: the finding more likely) and the region that
 * gave it ({@code x, y, size} in image pixels; the whole image when the model reads it at once). Carries no patient
 * data: only numbers about pixels.
 */
public record Read(double score, int x, int y, int size) {
    public Read {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("a read's score lies in [0, 1], got " + score);
        }
        if (x < 0 || y < 0 || size <= 0) {
            throw new IllegalArgumentException(
                    "a read's region needs x, y >= 0 and size > 0, got " + x + "," + y + " size " + size);
        }
    }
}
