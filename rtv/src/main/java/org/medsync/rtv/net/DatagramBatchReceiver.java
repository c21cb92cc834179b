package org.medsync.rtv.net;

import java.io.IOException;

/** Receives datagrams from one bound UDP socket, as many as are waiting at a time. */
public interface DatagramBatchReceiver {

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for the first datagram, then takes every one already queued, up to the batch's
     * capacity, into the batch (cleared first). A datagram longer than a slot is cut to the slot; {@link #truncated}
     * counts those.
     *
     * @return how many datagrams the batch holds now (0: none came in time)
     */
    int receive(PacketBatch batch, int timeoutMillis) throws IOException;

    /** Datagrams cut to a slot's size so far. */
    long truncated();

    /** "recvmmsg" or "receive": what this receiver does per batch (status and benchmarks). */
    String method();
}
