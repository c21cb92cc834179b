package org.medsync.relay;

/**
 * Counters of one relay since it started, for operators, the benchmark and tests.
 *
 * @param received       VIEW/POINTER messages accepted from drivers
 * @param stale          accepted messages older than what the relay already held (dropped)
 * @param notDriver      messages from participants not holding the floor (dropped)
 * @param malformed      messages that failed the strict decoder (dropped and logged)
 * @param oversized      messages over the size limit (dropped and logged)
 * @param batches        batches built (one per readout per tick with news)
 * @param sends          data-channel sends (one per receiver per batch)
 * @param sendFailures   sends webrtc-java refused
 */
public record RelayStats(
        long received,
        long stale,
        long notDriver,
        long malformed,
        long oversized,
        long batches,
        long sends,
        long sendFailures) {}
