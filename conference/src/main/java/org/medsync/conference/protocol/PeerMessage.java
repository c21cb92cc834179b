package org.medsync.conference.protocol;

/**
 * A message of the "view" data channel (docs/readout-protocol.md, "Peer to peer"): the driver's VIEW or POINTER.
 * The server's relay decodes them only to refuse garbage; it forwards the sender's bytes unchanged.
 */
public sealed interface PeerMessage permits ViewUpdate, PointerUpdate {
    /** The sender's sequence number (VIEW and POINTER count separately). */
    long seq();
}
