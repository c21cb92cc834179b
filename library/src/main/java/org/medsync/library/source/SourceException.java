package org.medsync.library.source;

/** A source could not answer; {@code kind} says whose fault it was. */
public final class SourceException extends Exception {
    public enum Kind {
        NOT_FOUND,
        BAD_REQUEST,
        UNAVAILABLE,
        UNREADABLE
    }

    private final Kind kind;

    public SourceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SourceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
