package org.medsync.rtv.redundancy;

import java.util.Arrays;

/**
 * SMPTE ST 2022-7 seamless protection: merges the copies of one RTP stream that arrive over two or more paths into
 * one stream by RTP sequence number. The first copy of each packet wins whichever path it came by; later copies are
 * dropped. Sequence numbers are extended past their 16-bit wrap relative to the newest packet seen, and a window of
 * {@value #WINDOW} extended numbers remembers which ones were passed on, so a path that lags the other by up to that
 * many packets still fills the other's gaps (at 1080p50 10-bit, ~177,500 packets/s, that is ~92 ms of skew between
 * the paths; ~170 ms at 720p50). Each path's numbers are extended against its own previous packet, so a path lagging further than half
 * the 16-bit space is too late, never mistaken for one ahead. A copy older than the window is dropped as too late: the other path's copy
 * was passed on long ago, or the packet is lost on both.
 *
 * <p>A new SSRC (the sender restarted) starts over; late packets of the previous SSRC are dropped. A run of
 * {@value #RESYNC_AFTER} packets all too old (a sender that restarted its sequence lower under the same SSRC) also
 * starts over from the next packet. Not thread-safe: the caller serialises {@link #accept}.
 */
public final class SequenceMerger {

    /** Packets remembered behind the newest: the skew tolerated between paths, in packets. */
    public static final int WINDOW = 1 << 14;

    static final int RESYNC_AFTER = 256;
    private static final long CONTINUITY_NANOS = 200_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    private final long[] seen = new long[WINDOW / 64];
    private final Path[] paths;
    private long top = NONE;
    private long ssrc = -1;
    private long previousSsrc = -1;
    private int tooOldRun;
    private long duplicates;
    private long tooLate;
    private long resyncs;
    private long lastExtended;

    public SequenceMerger(int pathCount) {
        if (pathCount < 1) {
            throw new IllegalArgumentException("at least one path");
        }
        paths = new Path[pathCount];
        for (int i = 0; i < pathCount; i++) {
            paths[i] = new Path();
        }
    }

    /**
     * @param path which path the copy came by (0 = primary)
     * @param ssrcOfPacket its RTP SSRC
     * @param sequence its 16-bit RTP sequence number
     * @param nowNanos {@link System#nanoTime()} at arrival, for the path's last-seen time
     * @return true when this is the first copy (pass it on), false for a duplicate or a copy too late
     */
    public boolean accept(int path, long ssrcOfPacket, int sequence, long nowNanos) {
        Path p = paths[path];
        p.packets++;
        p.lastSeenNanos = nowNanos;
        if (ssrcOfPacket != ssrc) {
            if (ssrcOfPacket == previousSsrc) {
                tooLate++;
                return false;
            }
            previousSsrc = ssrc;
            ssrc = ssrcOfPacket;
            restart();
        }
        int seq = sequence & 0xFFFF;
        if (top == NONE) {
            top = (1L << 32) + seq; // room below for reordered packets, never negative
            p.lastExt = top;
            p.lastExtNanos = nowNanos;
            mark(top);
            p.count(top);
            p.firstCopies++;
            lastExtended = top;
            return true;
        }
        // extended against the path's own previous packet while it flows: a path lagging the other by more than
        // half the sequence space must not look ahead of it; a path coming back extends against the newest packet
        long ref = p.lastExt != NONE && nowNanos - p.lastExtNanos < CONTINUITY_NANOS ? p.lastExt : top;
        long ext = ref + (short) (seq - (int) (ref & 0xFFFF));
        p.lastExt = ext;
        p.lastExtNanos = nowNanos;
        p.count(ext);
        if (ext > top) {
            long clearFrom = Math.max(top + 1, ext - WINDOW + 1);
            if (ext - top >= WINDOW) {
                Arrays.fill(seen, 0);
            } else {
                for (long e = clearFrom; e <= ext; e++) {
                    unmark(e);
                }
            }
            top = ext;
            mark(ext);
            tooOldRun = 0;
            p.firstCopies++;
            lastExtended = ext;
            return true;
        }
        if (top - ext >= WINDOW) {
            tooLate++;
            if (++tooOldRun >= RESYNC_AFTER) {
                restart();
            }
            return false;
        }
        tooOldRun = 0;
        if (marked(ext)) {
            duplicates++;
            return false;
        }
        mark(ext);
        p.firstCopies++;
        lastExtended = ext;
        return true;
    }

    /** The extended sequence number of the packet {@link #accept} last passed on (for {@link ReorderBuffer}). */
    public long lastExtended() {
        return lastExtended;
    }

    private void restart() {
        if (top != NONE) {
            resyncs++;
        }
        top = NONE;
        tooOldRun = 0;
        Arrays.fill(seen, 0);
        for (Path p : paths) {
            p.rebase();
        }
    }

    private void mark(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private void unmark(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] &= ~(1L << (i & 63));
    }

    private boolean marked(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        return (seen[i >>> 6] & 1L << (i & 63)) != 0;
    }

    /** Copies dropped because another path's copy had already been passed on. */
    public long duplicates() {
        return duplicates;
    }

    /** Copies older than the window (or of the previous SSRC): their packet was passed on or is lost. */
    public long tooLate() {
        return tooLate;
    }

    /** Times the merge started over: a new SSRC or a sequence restart. */
    public long resyncs() {
        return resyncs;
    }

    /** The counters of one path, as of now. */
    public PathCounters path(int path) {
        Path p = paths[path];
        return new PathCounters(p.packets, p.firstCopies, p.lost(), p.lastSeenNanos);
    }

    public int pathCount() {
        return paths.length;
    }

    /**
     * One path's counters.
     *
     * @param packets copies that arrived by this path
     * @param firstCopies of those, the ones passed on (the other path's copy had not arrived yet)
     * @param lost packets this path did not deliver: the span of sequence numbers it covered minus what it
     *     delivered (RFC 3550 A.3), so reordering on the path does not count
     * @param lastSeenNanos {@link System#nanoTime()} of its last packet, {@link Long#MIN_VALUE} before one
     */
    public record PathCounters(long packets, long firstCopies, long lost, long lastSeenNanos) {}

    private static final class Path {
        long packets;
        long firstCopies;
        long lastSeenNanos = Long.MIN_VALUE;
        long lastExt = NONE;
        long lastExtNanos;
        private long base = NONE;
        private long highest;
        private long received;
        private long lostBefore;

        void count(long ext) {
            if (base == NONE) {
                base = ext;
                highest = ext;
            }
            if (ext < base) {
                base = ext; // reordered ahead of the first one seen
            }
            highest = Math.max(highest, ext);
            received++;
        }

        long lost() {
            long spanLost = base == NONE ? 0 : highest - base + 1 - received;
            return lostBefore + Math.max(0, spanLost);
        }

        void rebase() {
            lostBefore = lost();
            base = NONE;
            lastExt = NONE;
            received = 0;
        }
    }
}
