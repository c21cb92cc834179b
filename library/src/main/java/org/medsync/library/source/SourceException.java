package org.medsync.library.source;

import java.util.Locale;
import java.util.Objects;

/** A source could not answer; {@link #reason()} says whose fault it was, the message says what happened. */
public final class SourceException extends Exception {
    /** Whose fault it was; the HTTP API answers {@link #code()} as its error code. */
    public enum Reason {
        /** The source has no such study, series, instance or frame. */
        NOT_FOUND,
        /** The request itself is wrong (a malformed UID, date or number). */
        BAD_REQUEST,
        /** The source cannot answer now (the PACS or the index is down or slow): try again later. */
        UNAVAILABLE,
        /** The source answered, but with data we cannot read (a malformed answer or stored file). */
        UNREADABLE;

        /** The reason as it reaches the wire: the constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public SourceException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
