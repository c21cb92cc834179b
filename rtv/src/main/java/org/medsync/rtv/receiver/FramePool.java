package org.medsync.rtv.receiver;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Frame buffers of one flow, reused: a 1080p50 10-bit flow would otherwise allocate 5.2 MB fifty times a second.
 * Off-heap, so the garbage collector neither zeroes nor moves them. Thread-safe (the receive thread takes, the receive
 * and playout threads give back).
 */
final class FramePool {

    private final int frameBytes;
    private final int keep;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long allocated;

    /** @param keep the most free buffers kept; more given back are left to the garbage collector */
    FramePool(int frameBytes, int keep) {
        this.frameBytes = frameBytes;
        this.keep = keep;
    }

    /** A buffer of {@code bytes} (the pool's frame size), position 0, limit its capacity. */
    synchronized ByteBuffer take(int bytes) {
        if (bytes != frameBytes) {
            throw new IllegalArgumentException("pool of " + frameBytes + "-byte frames asked for " + bytes);
        }
        ByteBuffer b = free.pollFirst();
        if (b == null) {
            allocated++;
            b = ByteBuffer.allocateDirect(frameBytes);
        }
        return b.clear();
    }

    synchronized void recycle(ByteBuffer b) {
        if (b.capacity() == frameBytes && free.size() < keep) {
            free.addFirst(b);
        }
    }

    synchronized long allocated() {
        return allocated;
    }

    synchronized int free() {
        return free.size();
    }
}
