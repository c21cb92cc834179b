package org.medsync.rtv.transmitter;

import org.medsync.st2110.pacing.PacingModel;
import org.medsync.st2110.pacing.SenderType;

/**
 * How a transmitter spreads a frame's packets, and how many it hands the socket at once (docs/rtv.md "Latency"). The
 * batch is what one sendmmsg carries back-to-back: it is bounded by the sender type's CMAX so a batch sent at its
 * first packet's departure time keeps the ST 2110-21 burst bound.
 */
public enum SendPacing {
    /** ST 2110-21 narrow linear (TP=2110TPNL): packets evenly over the whole frame period, batches of CMAX (4). */
    NARROW_LINEAR(SenderType.NARROW_LINEAR),
    /** ST 2110-21 wide (TP=2110TPW): the active lines' share of the period, batches of the wide CMAX (16). */
    WIDE(SenderType.WIDE),
    /**
     * Not an ST 2110-21 sender type: the whole frame at its alignment point, as fast as the socket takes it (batches of
     * 64). Latency drops to the frame's transmission time; only for a network (and a receiver buffer) that holds a
     * frame's burst. The SDP says TP=2110TPW, the loosest type, which a burst still exceeds.
     */
    BURST(SenderType.WIDE);

    private final SenderType type;

    SendPacing(SenderType type) {
        this.type = type;
    }

    /** The ST 2110-21 type the SDP names and the pacing self-check measures against. */
    public SenderType senderType() {
        return type;
    }

    /** Datagrams per sendmmsg call. */
    public int batch(PacingModel model) {
        return this == BURST ? 64 : model.cmax();
    }
}
