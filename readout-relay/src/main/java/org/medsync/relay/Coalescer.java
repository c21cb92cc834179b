package org.medsync.relay;

import java.util.ArrayList;
import java.util.List;
import org.medsync.conference.protocol.PeerMessage;
import org.medsync.conference.protocol.PointerUpdate;
import org.medsync.conference.protocol.ViewUpdate;

/**
 * Latest wins, per tick, for one driver (docs/readout-protocol.md, "Relay"): of what arrived since the last tick
 * it keeps the newest full VIEW, the newest delta VIEW newer than that full state, and the newest POINTER.
 * A delta always travels with (or after) the full state it builds on, because a delta is dropped only when a
 * newer full state replaces it. The latest of each is also kept to bring a receiver whose channel just opened
 * up to date. Stale messages (sequence not above the latest) are dropped, as receivers would. Thread-safe.
 */
final class Coalescer {
    private byte[] full, delta, pointer;
    private long fullSeq = -1, deltaSeq = -1, pointerSeq = -1;
    private boolean newFull, newDelta, newPointer;

    /** Takes one validated message and its original bytes; false when it is stale. */
    synchronized boolean offer(PeerMessage m, byte[] bytes) {
        switch (m) {
            case ViewUpdate v
            when v.isFull() -> {
                if (v.seq() <= fullSeq || v.seq() <= deltaSeq) {
                    return false;
                }
                full = bytes;
                fullSeq = v.seq();
                newFull = true;
                delta = null;
                newDelta = false;
            }
            case ViewUpdate v -> {
                if (v.seq() <= fullSeq || v.seq() <= deltaSeq) {
                    return false;
                }
                delta = bytes;
                deltaSeq = v.seq();
                newDelta = true;
            }
            case PointerUpdate p -> {
                if (p.seq() <= pointerSeq) {
                    return false;
                }
                pointer = bytes;
                pointerSeq = p.seq();
                newPointer = true;
            }
        }
        return true;
    }

    /** What arrived since the last call, coalesced: full VIEW, delta VIEW, POINTER, each at most once. */
    synchronized List<byte[]> takeTick() {
        List<byte[]> out = new ArrayList<>(3);
        if (newFull) {
            out.add(full);
        }
        if (newDelta) {
            out.add(delta);
        }
        if (newPointer) {
            out.add(pointer);
        }
        newFull = newDelta = newPointer = false;
        return out;
    }

    /** Everything a receiver that just connected needs: the latest full state, the delta on it, the pointer. */
    synchronized List<byte[]> catchUp() {
        List<byte[]> out = new ArrayList<>(3);
        if (full != null) {
            out.add(full);
            if (delta != null) {
                out.add(delta);
            }
        }
        if (pointer != null) {
            out.add(pointer);
        }
        return out;
    }

    /** A new driver: its sequence numbers start afresh. */
    synchronized void reset() {
        full = delta = pointer = null;
        fullSeq = deltaSeq = pointerSeq = -1;
        newFull = newDelta = newPointer = false;
    }
}
