package org.medsync.sdp;

import java.util.Objects;

/**
 * The only exception the SDP code throws for bad text: which line (1-based, 0 when the text
 * was not part of a document), what kind of problem, and what was expected there.
 */
public final class SdpException extends RuntimeException {

    /** What kind of problem; tests and callers switch on this, not on the message. */
    public enum Reason {
        EMPTY,
        /** Not of the form {@code <type>=<value>} with a single lower-case letter type. */
        BAD_LINE,
        /** A known line type in the wrong place (RFC 8866 section 5 fixes the order). */
        UNEXPECTED_LINE,
        /** A required line is absent. */
        MISSING_LINE,
        BAD_VERSION,
        BAD_ORIGIN,
        BAD_SESSION_NAME,
        BAD_CONNECTION,
        BAD_BANDWIDTH,
        BAD_TIMING,
        BAD_MEDIA,
        BAD_ATTRIBUTE,
        BAD_RTPMAP,
        BAD_FMTP,
        BAD_TS_REFCLK,
        BAD_MEDIACLK,
        BAD_EXTMAP,
        BAD_SOURCE_FILTER
    }

    private final int line;
    private final Reason reason;
    private final String expected;

    public SdpException(int line, Reason reason, String expected) {
        super((line > 0 ? "line " + line + ": " : "") + reason + ": " + expected);
        this.line = line;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.expected = Objects.requireNonNull(expected, "expected");
    }

    /** 1-based line number, 0 when not known. */
    public int line() {
        return line;
    }

    public Reason reason() {
        return reason;
    }

    /** What was expected at that place, for humans. */
    public String expected() {
        return expected;
    }

    SdpException atLine(int lineNumber) {
        return line == lineNumber ? this : new SdpException(lineNumber, reason, expected);
    }
}
