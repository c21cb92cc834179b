package org.medsync.server.readout;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.medsync.library.secrets.Secrets;
import org.medsync.relay.RelaySettings;
import org.medsync.server.network.PortRange;
import org.medsync.server.readout.audio.AudioSfuSettings;
import org.medsync.server.settings.PropertyValues;

/**
 * Readout settings (docs/configuration.md, "Readouts"): ICE servers for the browsers' mesh, coturn's shared
 * secret for short-lived TURN credentials, group limits, and the size above which view data goes through the
 * server's relay instead of the mesh (and how long a shrunken group waits before returning to it), and the audio SFU (Janus) that carries audio there.
 * Of a readout's seats, {@code guestSeats} may be taken by guests (by default all but two, kept for accounts).
 */
public record ReadoutSettings(
        List<String> stunUrls,
        List<String> turnUrls,
        String turnSecret,
        Duration turnTtl,
        int maxParticipants,
        int maxReadouts,
        Duration maxInvite,
        double messagesPerSecond,
        int meshMax,
        Duration meshReturnDelay,
        RelaySettings relay,
        AudioSfuSettings audioSfu,
        int guestSeats) {

    public ReadoutSettings {
        stunUrls = List.copyOf(stunUrls);
        turnUrls = List.copyOf(turnUrls);
        if (!turnUrls.isEmpty() && (turnSecret == null || turnSecret.isBlank())) {
            throw new IllegalArgumentException(
                    "readout.turn.urls needs readout.turn.secret (coturn's static-auth-secret)");
        }
        if (maxParticipants < 2 || maxParticipants > 128) {
            throw new IllegalArgumentException("readout.participants must be 2..128");
        }
        if (guestSeats < 0 || guestSeats > maxParticipants) {
            throw new IllegalArgumentException("readout.guest-seats must be 0..readout.participants");
        }
        if (meshMax < 1) {
            throw new IllegalArgumentException("readout.mesh.max must be at least 1");
        }
        if (meshReturnDelay.isNegative()) {
            throw new IllegalArgumentException("readout.mesh.return-seconds cannot be negative");
        }
    }

    public static ReadoutSettings from(Properties p) {
        int participants = PropertyValues.integer(p, "readout.participants", 16);
        return new ReadoutSettings(
                PropertyValues.list(p.getProperty("readout.stun", "")),
                PropertyValues.list(p.getProperty("readout.turn.urls", "")),
                p.getProperty("readout.turn.secret", ""),
                Duration.ofSeconds(PropertyValues.integer(p, "readout.turn.ttl", 600)),
                participants,
                PropertyValues.integer(p, "readout.max", 100),
                Duration.ofHours(PropertyValues.integer(p, "readout.invite.hours", 24)),
                PropertyValues.integer(p, "readout.rate", 60),
                PropertyValues.integer(p, "readout.mesh.max", 4),
                Duration.ofSeconds(PropertyValues.integer(p, "readout.mesh.return-seconds", 10)),
                relay(p),
                AudioSfuSettings.from(p),
                PropertyValues.integer(p, "readout.guest-seats", Math.max(1, participants - 2)));
    }

    private static RelaySettings relay(Properties p) {
        PortRange ports =
                PortRange.parse("readout.relay.ports", p.getProperty("readout.relay.ports", ""), "50000-50100");
        try {
            return new RelaySettings(
                    Duration.ofMillis(PropertyValues.integer(p, "readout.relay.tick-ms", 10)),
                    RelaySettings.DEFAULT.maxMessageBytes(),
                    ports.min(),
                    ports.max(),
                    Boolean.parseBoolean(p.getProperty("readout.relay.loopback-only", "false")
                            .trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("readout.relay: " + e.getMessage(), e);
        }
    }

    /** Without coturn's secret (see {@link Secrets}). */
    @Override
    public String toString() {
        return Secrets.recordString(this, "turnSecret");
    }
}
