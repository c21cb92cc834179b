package org.medsync.photo.decode;

import java.util.Locale;
import java.util.Objects;

/**
 * Why an uploaded photo was refused. The message names what is wrong with the bytes (a marker, a chunk, a size) and
 * never anything read from metadata, so it may be shown to the sender and logged.
 */
public final class PhotoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal; {@link #code()} is what the HTTP API answers as {@code error}. */
    public enum Reason {
        UNSUPPORTED_FORMAT,
        TOO_LARGE,
        CORRUPT_IMAGE;

        /** Lower-kebab form, e.g. {@code too-large}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public PhotoException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
