package org.medsync.rtp;

import java.util.Objects;

/** The only exception our RTP code throws for bad input bytes; carries a {@link RtpDecodeResult.Reason}. */
public final class RtpFormatException extends RuntimeException {

    private final RtpDecodeResult.Reason reason;

    public RtpFormatException(RtpDecodeResult.Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RtpDecodeResult.Reason reason() {
        return reason;
    }
}
