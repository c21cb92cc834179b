package org.medsync.library.importer;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What an import did: instances newly stored, ones already there, files refused and why. */
public record ImportReport(int imported, int duplicates, List<Rejection> rejected, long elapsedNanos) {
    /** A file that was not imported; {@code reason} is a stable code such as {@code not-dicom} or {@code truncated}. */
    public record Rejection(String file, String reason, String message) {
        /** Refused because it contradicts what is stored (another patient, other bytes), not because it is unreadable. */
        public boolean isConflict() {
            return CONFLICTS.contains(reason);
        }
    }

    private static final Set<String> CONFLICTS = Set.of("patient-mismatch", "series-conflict", "instance-conflict");

    /** The first refusal that is a conflict with what is stored, if any. */
    public Optional<Rejection> firstConflict() {
        return rejected.stream().filter(Rejection::isConflict).findFirst();
    }

    public double instancesPerSecond() {
        return elapsedNanos == 0 ? 0 : (imported + duplicates) / (elapsedNanos / 1e9);
    }
}
