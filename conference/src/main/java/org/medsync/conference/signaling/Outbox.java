package org.medsync.conference.signaling;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded send queue drained by one virtual thread per participant: broadcasting never blocks on a slow
 * receiver. When the queue is full the receiver is too slow to stay in sync: it is closed (1013, try again)
 * and reconnects to a fresh state, instead of the others waiting for it. The hub keeps one per participant; a
 * node that bridges a participant to another node keeps one in front of its socket.
 */
public final class Outbox {
    private static final byte[] STOP = new byte[0];
    private final BlockingQueue<byte[]> queue;
    private final Link link;
    private final Runnable onOverflow;
    private volatile boolean closed;

    public Outbox(Link link, int capacity, String name, Runnable onOverflow) {
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.link = link;
        this.onOverflow = onOverflow;
        Thread.ofVirtual().name(name).start(this::drain);
    }

    /** Queues a message; false (and the link closed) when the queue is full. */
    public boolean offer(byte[] message) {
        if (closed) {
            return false;
        }
        if (queue.remainingCapacity() <= 1 || !queue.offer(message)) {
            closed = true;
            queue.offer(STOP);
            link.close(1013, "too slow: send queue full");
            onOverflow.run();
            return false;
        }
        return true;
    }

    /** Stops after what is queued has been sent. */
    public void close() {
        closed = true;
        queue.offer(STOP);
    }

    private void drain() {
        try {
            while (true) {
                byte[] m = queue.take();
                if (m == STOP) {
                    return;
                }
                link.send(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            closed = true;
            link.close(1011, "send failed");
        }
    }
}
