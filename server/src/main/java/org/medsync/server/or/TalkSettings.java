package org.medsync.server.or;

import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.medsync.server.auth.Role;
import org.medsync.server.settings.PropertyValues;

/**
 * Who may take part in an OR's talk-back (docs/or-gateway.md "Talk-back"), on top of the OR's allow-list. Students and
 * observers never, whatever the configuration says: a class watching a surgery neither speaks into the OR nor hears
 * the OR's microphone (refused at startup if configured).
 *
 * @param talkRoles    {@code or.talk.roles}, default attending: may speak into the OR from a remote page (push-to-talk)
 * @param listenRoles  {@code or.talk.listen-roles}, default attending and resident: may hear the OR and the experts
 *                     from a remote page without speaking (the talk roles hear too)
 * @param stationRoles {@code or.talk.station-roles}, default attending and resident (the OR's staff): may open the OR
 *                     station's side, which plays the experts and sends the OR's microphone
 */
public record TalkSettings(Set<Role> talkRoles, Set<Role> listenRoles, Set<Role> stationRoles) {
    // before DEFAULT: its constructor reads it
    private static final Set<Role> NEVER = Set.of(Role.STUDENT, Role.OBSERVER, Role.ANYONE);
    public static final TalkSettings DEFAULT = new TalkSettings(
            Set.of(Role.ATTENDING), Set.of(Role.ATTENDING, Role.RESIDENT), Set.of(Role.ATTENDING, Role.RESIDENT));

    public TalkSettings {
        talkRoles = Set.copyOf(talkRoles);
        listenRoles = Set.copyOf(listenRoles);
        stationRoles = Set.copyOf(stationRoles);
        for (Role r : NEVER) {
            if (talkRoles.contains(r) || listenRoles.contains(r) || stationRoles.contains(r)) {
                throw new IllegalArgumentException(
                        "or.talk: " + r.wireName() + " may never speak into or hear an OR's talk-back");
            }
        }
    }

    public static TalkSettings from(Properties p) {
        return new TalkSettings(
                roles(p.getProperty("or.talk.roles", "attending")),
                roles(p.getProperty("or.talk.listen-roles", "attending,resident")),
                roles(p.getProperty("or.talk.station-roles", "attending,resident")));
    }

    /** Whether {@code role} may join on the remote side (to speak or only to hear). */
    boolean remoteMayJoin(Role role) {
        return talkRoles.contains(role) || listenRoles.contains(role);
    }

    private static Set<Role> roles(String text) {
        Set<Role> out = new LinkedHashSet<>();
        for (String r : PropertyValues.list(text)) {
            out.add(Role.parse(r));
        }
        return out;
    }
}
