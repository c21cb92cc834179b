package org.medsync.rtv.receiver;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A single-producer single-consumer ring of datagram slots carved from one direct buffer: the socket
 * thread claims a slot, receives into it and publishes it; the assembly thread takes, uses and releases
 * it. Neither ever blocks on the other: a full ring makes the producer drop (seen as RTP loss), an empty
 * one parks the consumer until the producer's next publish. No allocation per packet.
 */
final class PacketRing {

    private final ByteBuffer[] slots;
    private final ByteBuffer overflow;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next slot the producer fills
    private final AtomicLong tail = new AtomicLong(); // next slot the consumer takes
    private volatile Thread consumer;

    /** @param count a power of two */
    PacketRing(int count, int slotBytes) {
        if (Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two, was " + count);
        }
        ByteBuffer all = ByteBuffer.allocateDirect(count * slotBytes);
        slots = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            slots[i] = all.slice(i * slotBytes, slotBytes);
        }
        overflow = ByteBuffer.allocateDirect(slotBytes);
        mask = count - 1;
    }

    /** Producer: the next free slot, or null when the consumer is a whole ring behind. */
    ByteBuffer claim() {
        long h = head.get();
        return h - tail.get() >= slots.length ? null : slots[(int) (h & mask)];
    }

    /** Producer: a scratch buffer to receive and discard into when the ring is full. */
    ByteBuffer overflowBuffer() {
        return overflow;
    }

    /** Producer: the claimed slot is filled. */
    void publish() {
        head.set(head.get() + 1); // a full fence: the consumer check below must not move before it
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    /** Consumer: the oldest filled slot (position = its length), or null after a wake-up with nothing to take. */
    ByteBuffer take() {
        long t = tail.get();
        if (head.get() == t) {
            consumer = Thread.currentThread();
            if (head.get() == t) {
                LockSupport.parkNanos(10_000_000L);
            }
            consumer = null;
            if (head.get() == t) {
                return null;
            }
        }
        return slots[(int) (t & mask)];
    }

    /** Consumer: done with the slot {@link #take()} gave. */
    void release() {
        tail.lazySet(tail.get() + 1);
    }

    /** Lets a parked consumer see a shutdown. */
    void wake() {
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }
}
