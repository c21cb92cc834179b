package org.medsync.server.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;
import java.util.Set;

/** What a user may do. Every route names the roles it admits; the server checks them on every request. */
public enum Role implements RouteRole {
    ADMIN,
    ATTENDING,
    RESIDENT,
    STUDENT,
    OBSERVER,
    /** Marks routes open without a login (login itself, health). Never a user's role. */
    ANYONE;

    public static final Set<Role> READERS = Set.of(ADMIN, ATTENDING, RESIDENT, STUDENT, OBSERVER);
    public static final Set<Role> CLINICIANS = Set.of(ADMIN, ATTENDING, RESIDENT);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Students and observers see studies de-identified. */
    public boolean seesDeidentified() {
        return this == STUDENT || this == OBSERVER;
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r != ANYONE && r.wireName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "unknown role '" + s + "': use admin, attending, resident, student or observer");
    }
}
