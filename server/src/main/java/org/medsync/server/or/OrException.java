package org.medsync.server.or;

import java.util.Locale;
import java.util.Objects;

/** A refused or failed request about a live OR; {@link Reason#status()} is its HTTP status. */
public final class OrException extends Exception {
    /** Why. */
    public enum Reason {
        /** No OR of that id is configured. */
        UNKNOWN_OR,
        /** The OR has no flow of that name. */
        UNKNOWN_FLOW,
        /** The caller's role and name are not on the OR's allow-list (or.{id}.roles, or.{id}.users). */
        FORBIDDEN,
        /** No open viewing of the caller has that id (never made, someone else's, or ended). */
        UNKNOWN_VIEWING,
        /** What the browser sent is not what the route takes (the message says what is wrong). */
        BAD_REQUEST,
        /** The flow cannot be shown now: its SDP cannot be read, the encoder or Janus cannot start, Janus refused. */
        UNAVAILABLE;

        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public int status() {
            return switch (this) {
                case UNKNOWN_OR, UNKNOWN_FLOW, UNKNOWN_VIEWING -> 404;
                case FORBIDDEN -> 403;
                case BAD_REQUEST -> 400;
                case UNAVAILABLE -> 503;
            };
        }
    }

    private final Reason reason;

    public OrException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public OrException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
