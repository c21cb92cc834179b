package org.medsync.st2110.pacing;

/** ST 2110-21 sender types, with their SDP {@code TP=} values. */
public enum SenderType {
    /** Narrow gapped: packets only during the active lines, tight bursts. */
    NARROW("2110TPN"),
    /** Narrow linear: packets evenly over the whole frame period, tight bursts. */
    NARROW_LINEAR("2110TPNL"),
    /** Wide: software senders with looser bursts and buffer. */
    WIDE("2110TPW");

    private final String sdpValue;

    SenderType(String sdpValue) {
        this.sdpValue = sdpValue;
    }

    public String sdpValue() {
        return sdpValue;
    }
}
