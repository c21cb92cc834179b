package org.medsync.archive.catalog;

import java.time.Instant;

/**
 * A recorder (a device in an operating room) that may upload recordings for its hospital while its credential is not
 * revoked. The credential itself is not part of it: only its SHA-256 is stored (see {@link Devices}).
 */
public record Device(
        String id,
        String hospitalId,
        String operatingRoom,
        String description,
        String issuedBy,
        Instant issuedAt,
        Instant revokedAt,
        String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
