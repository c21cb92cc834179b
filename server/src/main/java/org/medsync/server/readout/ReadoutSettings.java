package org.medsync.server.readout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Readout settings (docs/configuration.md, "Readouts"): ICE servers for the browsers' mesh, coturn's shared
 * secret for short-lived TURN credentials, and group limits.
 */
public record ReadoutSettings(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration turnTtl,
                              int maxParticipants, int maxReadouts, Duration maxInvite, double messagesPerSecond) {

    public ReadoutSettings {
        stunUrls = List.copyOf(stunUrls);
        turnUrls = List.copyOf(turnUrls);
        if (!turnUrls.isEmpty() && (turnSecret == null || turnSecret.isBlank())) {
            throw new IllegalArgumentException("readout.turn.urls needs readout.turn.secret (coturn's static-auth-secret)");
        }
        if (maxParticipants < 2 || maxParticipants > 64) {
            throw new IllegalArgumentException("readout.participants must be 2..64");
        }
    }

    public static ReadoutSettings from(Properties p) {
        return new ReadoutSettings(list(p.getProperty("readout.stun", "")), list(p.getProperty("readout.turn.urls", "")),
                p.getProperty("readout.turn.secret", ""), Duration.ofSeconds(integer(p, "readout.turn.ttl", 600)),
                integer(p, "readout.participants", 16), integer(p, "readout.max", 100),
                Duration.ofHours(integer(p, "readout.invite.hours", 24)), integer(p, "readout.rate", 60));
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static int integer(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
        }
    }
}
