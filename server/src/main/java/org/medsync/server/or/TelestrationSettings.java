package org.medsync.server.or;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.medsync.server.auth.Role;
import org.medsync.server.settings.PropertyValues;

/**
 * Who may draw on an OR's video from outside, who may clear the drawings, and how long a stroke stays on the OR's
 * screen (docs/or-gateway.md "Expert to OR"). Students and observers never draw or clear, whatever the
 * configuration says: a class watching a surgery must not be able to put marks on the surgeon's screen.
 *
 * @param drawRoles  {@code or.telestration.roles}, default attending
 * @param clearRoles {@code or.telestration.clear-roles}, default attending and resident (the OR station's staff)
 * @param expiry     {@code or.telestration.expire-seconds}, default 30: a forgotten drawing leaves by itself
 */
public record TelestrationSettings(Set<Role> drawRoles, Set<Role> clearRoles, Duration expiry) {
    // before DEFAULT: its constructor reads it
    private static final Set<Role> NEVER = Set.of(Role.STUDENT, Role.OBSERVER, Role.ANYONE);
    public static final TelestrationSettings DEFAULT = new TelestrationSettings(
            Set.of(Role.ATTENDING), Set.of(Role.ATTENDING, Role.RESIDENT), Duration.ofSeconds(30));

    public TelestrationSettings {
        drawRoles = Set.copyOf(drawRoles);
        clearRoles = Set.copyOf(clearRoles);
        for (Role r : NEVER) {
            if (drawRoles.contains(r) || clearRoles.contains(r)) {
                throw new IllegalArgumentException(
                        "or.telestration: " + r.wireName() + " may never draw on or clear an OR's screen");
            }
        }
        if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("or.telestration.expire-seconds must be 1..600");
        }
    }

    public static TelestrationSettings from(Properties p) {
        return new TelestrationSettings(
                roles(p.getProperty("or.telestration.roles", "attending")),
                roles(p.getProperty("or.telestration.clear-roles", "attending,resident")),
                Duration.ofSeconds(PropertyValues.integer(p, "or.telestration.expire-seconds", 30)));
    }

    private static Set<Role> roles(String text) {
        Set<Role> out = new LinkedHashSet<>();
        for (String r : PropertyValues.list(text)) {
            out.add(Role.parse(r));
        }
        return out;
    }
}
