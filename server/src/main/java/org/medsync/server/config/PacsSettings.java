package org.medsync.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.medsync.archive.pacs.PacsDestination;
import org.medsync.dicom.worklist.RemoteAe;
import org.medsync.library.dicomweb.DicomWebSource;

/**
 * Where recordings may be sent as DICOM video: every configured DICOMweb source is a destination for STOW-RS; one
 * with {@code source.<id>.dicom-host}, {@code dicom-port} and {@code dicom-ae} also for C-STORE, with our calling AE
 * title {@code archive.pacs.calling-ae} (docs/configuration.md).
 */
public record PacsSettings(String callingAe, Map<String, RemoteAe> storageScps) {
    static final String CALLING_AE = "archive.pacs.calling-ae";

    public PacsSettings {
        storageScps = Map.copyOf(storageScps);
    }

    static PacsSettings from(Properties p, List<DicomWebSource.Settings> sources) {
        String calling = p.getProperty(CALLING_AE, "MEDSYNC").trim();
        Map<String, RemoteAe> scps = new LinkedHashMap<>();
        for (DicomWebSource.Settings s : sources) {
            String prefix = "source." + s.id() + ".dicom-";
            String host = p.getProperty(prefix + "host", "").trim();
            String port = p.getProperty(prefix + "port", "").trim();
            String ae = p.getProperty(prefix + "ae", "").trim();
            if (host.isEmpty() && port.isEmpty() && ae.isEmpty()) {
                continue;
            }
            if (host.isEmpty() || port.isEmpty() || ae.isEmpty()) {
                throw new IllegalArgumentException("source '" + s.id() + "' needs all of " + prefix + "host, " + prefix
                        + "port and " + prefix + "ae for C-STORE, or none of them");
            }
            int number;
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(prefix + "port must be a whole number, not '" + port + "'");
            }
            try {
                scps.put(s.id(), new RemoteAe(host, number, ae, calling));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("source '" + s.id() + "' C-STORE settings: " + e.getMessage(), e);
            }
        }
        return new PacsSettings(calling, scps);
    }

    /** The destinations by source id, for the send-to-pacs job and the send route. */
    public Map<String, PacsDestination> destinations(List<DicomWebSource.Settings> sources) {
        Map<String, PacsDestination> out = new LinkedHashMap<>();
        for (DicomWebSource.Settings s : sources) {
            out.put(
                    s.id(),
                    new PacsDestination(
                            s.id(),
                            s.name(),
                            s.baseUrl(),
                            s.user(),
                            s.password(),
                            s.timeout(),
                            storageScps.get(s.id())));
        }
        return out;
    }
}
