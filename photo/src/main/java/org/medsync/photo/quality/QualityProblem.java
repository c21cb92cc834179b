package org.medsync.photo.quality;

import java.util.Objects;

/**
 * One reason to retake a photo: what was measured, the limit it failed, and the advice shown to the sender.
 *
 * @param code {@code blur}, {@code glare}, {@code oblique}, {@code too-small} or {@code low-confidence}
 */
public record QualityProblem(String code, double measured, double limit, String message) {
    public QualityProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
