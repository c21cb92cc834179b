package org.medsync.photo.fiducial;

import java.util.Objects;
import java.util.Optional;
import org.medsync.photo.rectify.Corners;

/**
 * What photo mode's markers gave: the image's exact corners in the photo and, when the QR code was read, the token
 * the server issued (resolved to a study only for a user allowed it).
 */
public record FiducialFix(Corners corners, Optional<String> token) {
    public FiducialFix {
        Objects.requireNonNull(corners, "corners");
        Objects.requireNonNull(token, "token");
    }
}
