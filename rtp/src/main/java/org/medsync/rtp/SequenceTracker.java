package org.medsync.rtp;

/**
 * Extends 16-bit RTP sequence numbers across wrap-around and counts loss, after RFC 3550
 * appendix A.1 (validity and cycle counting) and A.3 (expected and lost), without the probation
 * period: the first packet starts the count.
 *
 * <p>Not thread-safe: one tracker per SSRC, fed by one receive thread.
 */
public final class SequenceTracker {

    /** RFC 3550 A.1: a forward jump larger than this is a restart, not loss. */
    public static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a backward step up to this is a late (reordered or duplicate) packet. */
    public static final int MAX_MISORDER = 100;

    private static final int MOD = 1 << 16;

    /** What a sequence number meant to the tracker. */
    public enum Outcome {
        /** The first packet, or the packet after a confirmed restart. */
        FIRST,
        /** The next one in order. */
        IN_ORDER,
        /** Ahead of the next expected one: {@code gap} packets are missing (maybe only late). */
        GAP,
        /** At or behind the highest seen: reordered or duplicated. */
        LATE,
        /** A jump too large to be loss; dropped unless the next packet confirms it (then FIRST). */
        JUMP
    }

    /** Counters as RFC 3550 A.3 defines them; {@code lost} is negative when duplicates exceed loss. */
    public record Stats(long received, long expected, long lost, long late, long jumps) {}

    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private int badSeq = MOD + 1;
    private long received;
    private long late;
    private long jumps;
    private long lastExtended = -1;
    private int lastGap;
    private long expectedBefore;

    /** A tracker that has seen no packet yet: the first {@link #update} starts the count. */
    public SequenceTracker() {}

    /** Records a packet's sequence number and says what it meant. */
    public Outcome update(int seq) {
        seq &= 0xFFFF;
        lastGap = 0;
        if (!started) {
            restart(seq);
            return Outcome.FIRST;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (udelta == 0) {
            received++;
            late++;
            lastExtended = cycles + seq;
            return Outcome.LATE;
        }
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += MOD;
            }
            maxSeq = seq;
            received++;
            lastExtended = cycles + seq;
            lastGap = udelta - 1;
            return udelta == 1 ? Outcome.IN_ORDER : Outcome.GAP;
        }
        if (udelta <= MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                jumps++;
                restart(seq);
                return Outcome.FIRST;
            }
            badSeq = (seq + 1) & 0xFFFF;
            lastExtended = -1;
            return Outcome.JUMP;
        }
        // late: from this cycle, or from the previous one when we wrapped since
        received++;
        late++;
        lastExtended = (seq > maxSeq ? cycles - MOD : cycles) + seq;
        return Outcome.LATE;
    }

    private void restart(int seq) {
        long keepReceived = started ? received : 0;
        long offset = started ? expected() : 0;
        started = true;
        baseSeq = seq;
        maxSeq = seq;
        badSeq = MOD + 1;
        // keep the totals continuous across a restart: the new base counts after the old range
        cycles = 0;
        expectedBefore = offset;
        received = keepReceived + 1;
        lastExtended = seq;
    }

    /** Extended sequence number of the last packet passed to {@link #update}, or -1 if it was a dropped jump. */
    public long lastExtended() {
        return lastExtended;
    }

    /** Packets missing between the previous highest and the last one (0 unless the outcome was GAP). */
    public int lastGap() {
        return lastGap;
    }

    /** The highest extended sequence number seen (cycles * 65536 + highest). */
    public long extendedMax() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? expectedBefore + cycles + maxSeq - baseSeq + 1 : 0;
    }

    public Stats stats() {
        long exp = expected();
        return new Stats(received, exp, exp - received, late, jumps);
    }
}
