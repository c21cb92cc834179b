package org.medsync.dicom.worklist;

import java.util.Objects;

/**
 * A remote DICOM application entity: where to open the association and which AE titles to put in the
 * A-ASSOCIATE-RQ (PS3.8 9.3.2). AE titles are 1-16 characters of the default repertoire without backslash
 * or control characters (PS3.5 6.2, VR AE); leading and trailing spaces are not significant.
 *
 * @param host          host name or IP literal of the worklist SCP
 * @param port          its DICOM port
 * @param calledAeTitle the SCP's AE title (dcmtk's wlmscpfs picks the worklist folder by it)
 * @param callingAeTitle our AE title; many SCPs filter or log by it
 */
public record RemoteAe(String host, int port, String calledAeTitle, String callingAeTitle) {

    /** Our AE title when none is configured. */
    public static final String DEFAULT_CALLING_AE = "MEDSYNC_RTV";

    public RemoteAe {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("worklist host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("worklist port " + port + " is not in 1..65535");
        }
        calledAeTitle = checkAeTitle(calledAeTitle, "called");
        callingAeTitle = checkAeTitle(callingAeTitle == null ? DEFAULT_CALLING_AE : callingAeTitle, "calling");
    }

    public RemoteAe(String host, int port, String calledAeTitle) {
        this(host, port, calledAeTitle, DEFAULT_CALLING_AE);
    }

    private static String checkAeTitle(String ae, String which) {
        Objects.requireNonNull(ae, which + " AE title");
        String t = ae.strip();
        if (t.isEmpty() || t.length() > 16) {
            throw new IllegalArgumentException(which + " AE title must have 1 to 16 characters: \"" + ae + "\"");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException(
                        which + " AE title has a character not allowed in an AE: \"" + ae + "\"");
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return calledAeTitle + "@" + host + ":" + port;
    }
}
