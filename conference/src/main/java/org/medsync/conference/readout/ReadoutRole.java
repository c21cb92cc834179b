package org.medsync.conference.readout;

import java.util.Locale;

/** A participant's role in a readout (the account's role, or an invite's for a guest). */
public enum ReadoutRole {
    ADMIN,
    ATTENDING,
    RESIDENT,
    STUDENT,
    OBSERVER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Who may hold the floor: attendings, residents (and admins). */
    public boolean mayDrive() {
        return this == ATTENDING || this == RESIDENT || this == ADMIN;
    }

    /** Who may take the floor from the current driver: attendings. */
    public boolean mayTake() {
        return this == ATTENDING;
    }

    /** Who sees studies de-identified, and no free text that may name the patient (worklist labels). */
    public boolean seesDeidentified() {
        return this == STUDENT || this == OBSERVER;
    }

    /** Who may create readouts and invites. */
    public boolean mayOrganize() {
        return this == ATTENDING || this == RESIDENT;
    }

    /** Roles a guest (no account) may join as, with an invite. */
    public boolean guestAllowed() {
        return this == STUDENT || this == OBSERVER;
    }

    public static ReadoutRole parse(String s) {
        for (ReadoutRole r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "'");
    }
}
