package org.medsync.server.photo;

import java.util.Locale;

/**
 * Where a photo's processing stands (docs/photo-intake.md "HTTP API"): received, then rectified, needs-corners (the
 * screen was not found surely enough: the page asks for the four corners) or retake (the quality gate refused it),
 * then restored (when a restorer is installed), then stored (the Secondary Capture is in the library). Failed: the
 * server could not finish; the original is kept and the reason is recorded.
 */
public enum PhotoStatus {
    RECEIVED,
    RECTIFIED,
    NEEDS_CORNERS,
    RETAKE,
    RESTORED,
    STORED,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static PhotoStatus parse(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether the page may still post corners: the screen was not found surely, or the quality gate refused it. */
    boolean acceptsCorners() {
        return this == NEEDS_CORNERS || this == RETAKE || this == FAILED;
    }
}
