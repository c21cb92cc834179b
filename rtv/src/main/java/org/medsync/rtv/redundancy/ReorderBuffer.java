package org.medsync.rtv.redundancy;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Puts the merged packets of a redundant flow back in sequence order for a reassembler that expects it (RFC 4175
 * frames are complete only without a sequence gap). A packet one path lost arrives later by the other path, after
 * its successors: those are held (copied, the receive buffer is reused) until the hole is filled, and released in
 * order. A hole is given up - the packet is lost on both paths - when it has been waited for {@code maxHoldNanos},
 * or when {@code capacity} packets wait behind it. These two bound the skew between the paths the merge tolerates
 * hitlessly. Not thread-safe: the caller serialises, as for {@link SequenceMerger}.
 */
public final class ReorderBuffer {

    private static final long NONE = Long.MIN_VALUE;

    private final ByteBuffer[] slots;
    private final boolean[] used;
    private final long maxHoldNanos;
    private final Consumer<ByteBuffer> sink;
    private long next = NONE;
    private int held;
    private long holeSince;
    private long givenUp;
    private long late;
    private long reordered;

    /**
     * @param capacity packets held at most behind a hole
     * @param maxHoldNanos how long a hole is waited for
     * @param sink takes each datagram in sequence order (position 0, limit its length; valid during the call)
     */
    public ReorderBuffer(int capacity, long maxHoldNanos, Consumer<ByteBuffer> sink) {
        if (capacity < 1 || maxHoldNanos < 0) {
            throw new IllegalArgumentException("capacity >= 1 and a hold time >= 0");
        }
        this.slots = new ByteBuffer[capacity];
        this.used = new boolean[capacity];
        this.maxHoldNanos = maxHoldNanos;
        this.sink = sink;
    }

    /**
     * @param ext the packet's extended sequence number ({@link SequenceMerger#lastExtended()})
     * @param datagram the RTP datagram, position to limit
     */
    public void offer(long ext, ByteBuffer datagram, long nowNanos) {
        if (next == NONE) {
            next = ext;
        }
        if (ext < next) {
            if (next - ext > 4L * slots.length) {
                releaseHeld();
                restart(ext); // a jump no path skew explains: the merge started over (new SSRC, sequence restart)
            } else {
                late++; // its hole was given up already
                return;
            }
        }
        if (ext == next) {
            sink.accept(datagram);
            next++;
            drain(nowNanos);
        } else {
            if (ext - next > 4L * slots.length) {
                releaseHeld();
                restart(ext); // a jump no path skew explains: the merge started over
            } else if (ext - next >= slots.length) {
                skipTo(ext - slots.length + 1, nowNanos);
            }
            if (ext == next) {
                sink.accept(datagram);
                next++;
                drain(nowNanos);
            } else {
                hold(ext, datagram, nowNanos);
            }
        }
        expire(nowNanos);
    }

    /** Releases what waits behind a hole that has been waited for long enough; also called without new packets. */
    public void expire(long nowNanos) {
        while (held > 0 && nowNanos - holeSince >= maxHoldNanos) {
            long e = next;
            while (!used[slot(e)]) {
                e++;
            }
            skipTo(e, nowNanos);
        }
    }

    private void hold(long ext, ByteBuffer datagram, long nowNanos) {
        int i = slot(ext);
        if (used[i]) {
            return; // the merge passes each number on once; nothing to do for a repeat
        }
        ByteBuffer b = slots[i];
        if (b == null || b.capacity() < datagram.remaining()) {
            b = ByteBuffer.allocate(Math.max(2048, datagram.remaining()));
            slots[i] = b;
        }
        b.clear();
        b.put(datagram.duplicate()).flip();
        used[i] = true;
        if (held++ == 0) {
            holeSince = nowNanos;
        }
        reordered++;
    }

    /** Gives up every hole before {@code target}, releasing what was held before it. */
    private void skipTo(long target, long nowNanos) {
        while (next < target) {
            int i = slot(next);
            if (used[i]) {
                release(i);
            } else {
                givenUp++;
            }
            next++;
        }
        drain(nowNanos);
    }

    private void drain(long nowNanos) {
        boolean moved = false;
        while (held > 0 && used[slot(next)]) {
            release(slot(next));
            next++;
            moved = true;
        }
        if (moved && held > 0) {
            holeSince = nowNanos; // a new hole: waited for from now
        }
    }

    private void release(int i) {
        used[i] = false;
        held--;
        sink.accept(slots[i].duplicate());
    }

    /** Everything held, in order, holes skipped without counting them: the stream before a restart. */
    private void releaseHeld() {
        for (long e = next; held > 0 && e < next + slots.length; e++) {
            if (used[slot(e)]) {
                release(slot(e));
            }
        }
    }

    private void restart(long ext) {
        for (int i = 0; i < used.length; i++) {
            used[i] = false;
        }
        held = 0;
        next = ext;
    }

    private int slot(long ext) {
        return (int) Math.floorMod(ext, (long) slots.length);
    }

    /** Sequence numbers given up on: lost on every path (or later than the hold allows). */
    public long givenUp() {
        return givenUp;
    }

    /** Packets that came after their hole was given up, dropped. */
    public long late() {
        return late;
    }

    /** Packets that had to wait for an earlier one (the other path filled a hole). */
    public long reordered() {
        return reordered;
    }
}
