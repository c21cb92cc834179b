package org.medsync.relay;

import java.time.Duration;

/**
 * How the relay runs (docs/configuration.md, "Readouts").
 *
 * @param tick             how long messages gather before one batch goes to every receiver (10 ms: one JNI send
 *                         per receiver per tick; webrtc-java tops out near 7k sends a second)
 * @param maxMessageBytes  largest VIEW or POINTER accepted from a driver (browsers ignore larger ones too)
 * @param minPort          lowest UDP port for ICE (0 with maxPort 0: any)
 * @param maxPort          highest UDP port for ICE
 * @param loopbackOnly     for hosts whose only interface is loopback: libwebrtc ignores loopback adapters, so
 *                         adapter enumeration is turned off and the default route (which must exist, e.g. on lo)
 *                         gives the address
 */
public record RelaySettings(Duration tick, int maxMessageBytes, int minPort, int maxPort, boolean loopbackOnly) {
    public static final RelaySettings DEFAULT = new RelaySettings(Duration.ofMillis(10), 4096, 0, 0, false);

    public RelaySettings {
        if (tick.toMillis() < 1 || tick.toMillis() > 1000) {
            throw new IllegalArgumentException("relay tick must be 1..1000 ms");
        }
        if (maxMessageBytes < 64 || maxMessageBytes > 65_536) {
            throw new IllegalArgumentException("relay message limit must be 64..65536 bytes");
        }
        if (minPort < 0 || maxPort > 65_535 || minPort > maxPort) {
            throw new IllegalArgumentException("relay ports must be a range within 0..65535");
        }
    }
}
