package org.medsync.archive.access;

import java.util.Objects;
import java.util.Set;

/**
 * Who asks to see a recording, as the archive needs to know it (the server maps its roles onto this).
 *
 * @param admin sees and manages every recording
 * @param clinician an attending or resident: sees the recordings of the hospitals they are a member of
 * @param deidentified a student or observer: only ever anonymized recordings, never a patient field or a master
 * @param hospitals the hospitals the viewer is a member of
 */
public record Viewer(String username, boolean admin, boolean clinician, boolean deidentified, Set<String> hospitals) {
    public Viewer {
        Objects.requireNonNull(username, "username");
        if (deidentified && (admin || clinician)) {
            // A role that may see identities cannot also be held to de-identification: refuse the contradiction.
            throw new IllegalArgumentException("a de-identified viewer is neither admin nor clinician");
        }
        hospitals = Set.copyOf(hospitals);
    }
}
