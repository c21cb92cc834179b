package org.medsync.photo.image;

/**
 * An AI read of a restored photo: a score that supports a reader's decision, never a diagnosis. The server finds
 * implementations with {@link java.util.ServiceLoader}, as it finds a {@link Restorer}, so a hospital can install
 * its own model as a module; without one the photo pipeline runs and reports no read.
 *
 * <p>An implementation must be safe to call from several threads and must not keep the image.
 */
public interface Classifier {
    /** The words every read carries, on the page and in the API: the score supports a decision, it is none. */
    String LABEL = "decision support - not a diagnosis";

    /** What produced the read (model, task, version), shown with the score. */
    String description();

    /** What the score estimates, e.g. "probability of a focal lesion", shown with the score. */
    String finding();

    /** Reads the image (values 0..1 as displayed). Throws IllegalArgumentException for an image it cannot read. */
    Read read(GrayImage image);
}
