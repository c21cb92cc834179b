package org.medsync.conference.protocol;

import java.util.Objects;

/** A message that does not follow docs/readout-protocol.md. Tests check {@link #reason()}, not the text. */
public final class DecodeException extends Exception {
    /** Why a message was refused. */
    public enum Reason {
        /** Empty input, or it ends inside a value. */
        TRUNCATED,
        /** Not MessagePack (e.g. the never-used byte 0xC1) or a number out of its range. */
        NOT_MSGPACK,
        /** The top level is not an array starting with an unsigned type code. */
        NOT_AN_ARRAY,
        /** A type code this direction does not know. */
        UNKNOWN_TYPE,
        /** The array has the wrong number of fields for its type. */
        BAD_FIELD_COUNT,
        /** A field has the wrong MessagePack type. */
        BAD_FIELD_TYPE,
        /** A field is out of its documented range (negative id, unknown enum value, bad mask). */
        BAD_VALUE,
        /** The message, a string or a list exceeds a limit of {@link Limits}. */
        TOO_LARGE,
        /** Bytes follow the message. */
        TRAILING_BYTES
    }

    private final Reason reason;

    public DecodeException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
