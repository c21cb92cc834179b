package org.medsync.dicom.worklist;

import java.util.Locale;
import java.util.Objects;

/**
 * A Modality Worklist query that did not give a list. Callers branch on {@link #reason()}; the message is
 * for humans (which AE, what the SCP said) and never carries patient data.
 */
public final class WorklistException extends Exception {

    /** Why the query failed. */
    public enum Reason {
        /** No TCP connection: connection refused, unknown host, no route. */
        UNREACHABLE,
        /** The connection, the association or the responses took longer than the configured timeout. */
        TIMEOUT,
        /** A-ASSOCIATE-RJ (e.g. called AE title not recognized), or the SCP accepted no worklist context. */
        ASSOCIATION_REJECTED,
        /** A-ABORT or the connection closed in the middle of the exchange. */
        ABORTED,
        /** The final C-FIND-RSP carried a failure status (PS3.4 Table K.4-1, e.g. A700, A900, C000). */
        FAILED,
        /** A response identifier we could not read. */
        BAD_RESPONSE;

        /** The reason as it reaches the wire: the constant's name in kebab case. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public WorklistException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public WorklistException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "WorklistException[" + reason + "]: " + getMessage();
    }
}
