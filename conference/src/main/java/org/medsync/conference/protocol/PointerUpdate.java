package org.medsync.conference.protocol;

/**
 * POINTER {@code [2, seq, visible, x, y]}: the driver's telepointer in image widths / heights
 * (docs/readout-protocol.md, "Peer to peer"). Latest wins by {@code seq}.
 */
public record PointerUpdate(long seq, boolean visible, double x, double y) implements PeerMessage {}
