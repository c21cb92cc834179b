package org.medsync.library.importer;

import java.util.List;

/** What an import did: instances newly stored, ones already there, files refused and why. */
public record ImportReport(int imported, int duplicates, List<Rejection> rejected, long elapsedNanos) {
    /** A file that was not imported; {@code reason} is a stable code such as {@code not-dicom} or {@code truncated}. */
    public record Rejection(String file, String reason, String message) {}

    public double instancesPerSecond() {
        return elapsedNanos == 0 ? 0 : (imported + duplicates) / (elapsedNanos / 1e9);
    }
}
