package org.medsync.sdp;

import java.util.Objects;

/**
 * The only exception the SDP code throws for bad text: which line (1-based, 0 when the text
 * was not part of a document), what kind of problem, and what was expected there.
 */
public final class SdpException extends RuntimeException {

    /** What kind of problem; tests and callers switch on this, not on the message. */
    public enum Reason {
        /** No text, or only blank lines. */
        EMPTY,
        /** Not of the form {@code <type>=<value>} with a single lower-case letter type. */
        BAD_LINE,
        /** A known line type in the wrong place (RFC 8866 section 5 fixes the order). */
        UNEXPECTED_LINE,
        /** A required line is absent. */
        MISSING_LINE,
        /** {@code v=} is not 0. */
        BAD_VERSION,
        /** {@code o=} does not have its six fields (RFC 8866 5.2). */
        BAD_ORIGIN,
        /** {@code s=} is empty (RFC 8866 asks for a single space when there is no name). */
        BAD_SESSION_NAME,
        /** {@code c=} is not {@code IN IP4|IP6 <address>[/ttl[/count]]} (RFC 8866 5.7). */
        BAD_CONNECTION,
        /** {@code b=} is not {@code <type>:<kbit/s>}. */
        BAD_BANDWIDTH,
        /** {@code t=} is not two decimal times. */
        BAD_TIMING,
        /** {@code m=} is not {@code <media> <port>[/<count>] <proto> <fmt> ...}. */
        BAD_MEDIA,
        /** An {@code a=} line that is malformed as an attribute. */
        BAD_ATTRIBUTE,
        /** {@code a=rtpmap} is not {@code <pt> <encoding>/<clock>[/<params>]}. */
        BAD_RTPMAP,
        /** {@code a=fmtp} is not {@code <pt> <parameters>}, or a parameter ST 2110 requires is wrong. */
        BAD_FMTP,
        /** {@code a=ts-refclk} is not a reference clock of RFC 7273 / ST 2110-10. */
        BAD_TS_REFCLK,
        /** {@code a=mediaclk} is not a media clock of RFC 7273 ({@code direct=<offset>}). */
        BAD_MEDIACLK,
        /** {@code a=extmap} is not {@code <id>[/<direction>] <uri>} (RFC 8285). */
        BAD_EXTMAP,
        /** {@code a=source-filter} is not RFC 4570's {@code incl|excl IN IP4|IP6 <dest> <src>...}. */
        BAD_SOURCE_FILTER,
        /**
         * {@code a=group} is not RFC 5888's {@code <semantics> <mid>...}, is not at session level, names a
         * section that does not exist, or groups for duplication (RFC 7104) sections that differ.
         */
        BAD_GROUP,
        /** {@code a=mid} is not a token, is at session level, appears twice in a section or in two sections. */
        BAD_MID
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
