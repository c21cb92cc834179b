package org.medsync.archive.pacs;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.medsync.dicom.worklist.RemoteAe;

/**
 * A PACS a recording may be sent to: the server's configured DICOMweb sources (STOW-RS to their root) and, where
 * configured, the same PACS's DICOM port for C-STORE.
 *
 * @param dicomWebRoot the DICOMweb root (STOW-RS posts to {@code <root>/studies}); null when only C-STORE is set
 * @param user HTTP basic user for DICOMweb, null for none
 * @param dicomAe the PACS's storage SCP (host, port, called AE) and our calling AE title; null when not configured
 */
public record PacsDestination(
        String id, String name, URI dicomWebRoot, String user, String password, Duration timeout, RemoteAe dicomAe) {

    public PacsDestination {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timeout, "timeout");
        name = name == null ? id : name;
    }

    /** How a recording is sent. */
    public enum Via {
        STOW("stow"),
        C_STORE("c-store");

        private final String code;

        Via(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The {@code via} of a send request; anything else is refused with the accepted values. */
        public static Via of(String code) {
            for (Via v : values()) {
                if (v.code.equals(code)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("via must be \"stow\" or \"c-store\", not \"" + code + "\"");
        }
    }

    /** Whether this destination can be reached this way. */
    public boolean supports(Via via) {
        return via == Via.STOW ? dicomWebRoot != null : dicomAe != null;
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "PacsDestination[id=" + id + ", name=" + name + ", dicomWebRoot=" + dicomWebRoot + ", user=" + user
                + ", dicomAe=" + dicomAe + "]";
    }
}
