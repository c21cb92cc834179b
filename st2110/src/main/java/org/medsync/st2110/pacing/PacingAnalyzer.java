package org.medsync.st2110.pacing;

import org.medsync.st2110.timing.FrameClock;

/**
 * Measures a list of packet departure (or arrival) times against the two ST 2110-21 models, the
 * way a compliance analyser (EBU LIST) looks at a capture:
 *
 * <ul>
 *   <li>Network compatibility: a bucket drained one packet per TDRAIN while not empty; CINST is
 *       its fill right after each arrival. Must stay {@code <= CMAX}.</li>
 *   <li>Virtual receiver buffer: packet j of frame N is read at {@code alignment(N) + TROFFSET +
 *       j x TRS}; VRX is the number of packets arrived and not yet read. Must stay
 *       {@code <= VRX_FULL}, and no packet may arrive after its read time (underrun: "late").</li>
 * </ul>
 *
 * Packets are taken in order, {@code packetsPerFrame} per frame, starting at {@code firstFrame}.
 */
public final class PacingAnalyzer {

    /** The measurement and the verdict. */
    public record Report(
            int packets, int cinstMax, int cmax, int vrxMax, int vrxFull, int latePackets, long maxLateNanos) {
        public boolean compliant() {
            return cinstMax <= cmax && vrxMax <= vrxFull && latePackets == 0;
        }
    }

    private PacingAnalyzer() {}

    public static Report measure(PacingModel model, FrameClock clock, long firstFrame, long[] times) {
        int n = model.packetsPerFrame();
        // network compatibility model
        double drain = model.tDrainNanos();
        int bucket = 0;
        double nextDrain = 0;
        int cinstMax = 0;
        for (long t : times) {
            while (bucket > 0 && nextDrain <= t) {
                bucket--;
                nextDrain += drain;
            }
            if (bucket == 0) {
                nextDrain = t + drain;
            }
            bucket++;
            cinstMax = Math.max(cinstMax, bucket);
        }
        // virtual receiver buffer
        PacketScheduler reads = new PacketScheduler(model, clock);
        int vrxMax = 0;
        int late = 0;
        long maxLate = 0;
        int read = 0; // packets whose read time is before the current arrival
        for (int i = 0; i < times.length; i++) {
            long t = times[i];
            while (read < times.length && reads.departureNanos(firstFrame + read / n, read % n) < t) {
                read++;
            }
            long readAt = reads.departureNanos(firstFrame + i / n, i % n);
            if (t > readAt) {
                late++;
                maxLate = Math.max(maxLate, t - readAt);
            }
            vrxMax = Math.max(vrxMax, i + 1 - Math.min(read, i + 1));
        }
        return new Report(times.length, cinstMax, model.cmax(), vrxMax, model.vrxFull(), late, maxLate);
    }
}
