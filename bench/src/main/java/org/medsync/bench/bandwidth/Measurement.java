package org.medsync.bench.bandwidth;

import java.util.Locale;

/**
 * One run: {@code participants} in a readout on {@code topology} ("mesh" or "relay"), the driver scrolling at
 * {@code scrollHz} and sending {@code viewsPerSecond} VIEWs; traffic of the driver and of one follower in bytes/s;
 * {@code load} the host's 1-minute load average at the window's end (the numbers move with it).
 */
record Measurement(
        int participants,
        String topology,
        double scrollHz,
        double viewsPerSecond,
        int driverConnections,
        Traffic.Rates driverOut,
        Traffic.Rates driverIn,
        Traffic.Rates followerOut,
        Traffic.Rates followerIn,
        double load) {

    String brief() {
        return String.format(
                Locale.ROOT,
                "%s %d: driver out %.1f kbps (audio %.1f, data payload %.2f), in %.1f kbps;"
                        + " follower out %.1f kbps, in %.1f kbps (data payload %.2f); %.1f VIEWs/s; load %.1f",
                topology,
                participants,
                kbps(driverOut.wire()),
                kbps(driverOut.audioWire()),
                kbps(driverOut.data()),
                kbps(driverIn.wire()),
                kbps(followerOut.wire()),
                kbps(followerIn.wire()),
                kbps(followerIn.data()),
                viewsPerSecond,
                load);
    }

    static double kbps(double bytesPerSecond) {
        return bytesPerSecond * 8 / 1000;
    }
}
