package org.medsync.rtv.net;

import java.io.IOException;

/** Sends datagrams on one connected UDP socket, a batch at a time. */
public interface DatagramBatchSender {

    /**
     * Sends slots {@code 0..count()-1} of the batch in order (each slot from 0 to its position). A datagram the network
     * refused (ICMP port unreachable from an earlier one: nobody listening) is counted, not thrown.
     *
     * @return how many datagrams were refused that way
     */
    int send(PacketBatch batch) throws IOException;

    /** "sendmmsg" or "write": what this sender does per batch (status and benchmarks). */
    String method();
}
