package org.medsync.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.medsync.archive.pacs.PacsDestination;

/** PACS destinations for sending recordings: every DICOMweb source for STOW-RS, C-STORE where its AE is set. */
class PacsSettingsTest {
    @Test
    void cStoreSettings_fromTheFileOrTheEnvironment() throws Exception {
        ServerConfig c = ServerConfig.load(
                null,
                Map.of(
                        "MEDSYNC_SOURCES", "pacs,web-only",
                        "MEDSYNC_SOURCE_PACS_URL", "http://127.0.0.1:8042/dicom-web",
                        "MEDSYNC_SOURCE_WEB_ONLY_URL", "http://127.0.0.1:9042/dicom-web",
                        "MEDSYNC_SOURCE_PACS_DICOM_HOST", "127.0.0.1",
                        "MEDSYNC_SOURCE_PACS_DICOM_PORT", "4242",
                        "MEDSYNC_SOURCE_PACS_DICOM_AE", "ORTHANC",
                        "MEDSYNC_ARCHIVE_PACS_CALLING_AE", "MEDSYNC_OR"));
        Map<String, PacsDestination> d = c.pacs().destinations(c.sources());
        assertEquals(4242, d.get("pacs").dicomAe().port());
        assertEquals("ORTHANC", d.get("pacs").dicomAe().calledAeTitle());
        assertEquals("MEDSYNC_OR", d.get("pacs").dicomAe().callingAeTitle());
        assertTrue(d.get("pacs").supports(PacsDestination.Via.C_STORE));
        assertNull(d.get("web-only").dicomAe());
        assertTrue(d.get("web-only").supports(PacsDestination.Via.STOW));
    }

    @Test
    void partialOrWrongSettings_areRefusedWithTheKeyNamed() {
        Properties p = new Properties();
        p.setProperty("sources", "pacs");
        p.setProperty("source.pacs.url", "http://127.0.0.1:8042/dicom-web");
        p.setProperty("source.pacs.dicom-host", "127.0.0.1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage()
                .contains("source.pacs.dicom-port"));
        p.setProperty("source.pacs.dicom-port", "x");
        p.setProperty("source.pacs.dicom-ae", "PACS");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage()
                .contains("source.pacs.dicom-port must be a whole number"));
        p.setProperty("source.pacs.dicom-port", "104");
        p.setProperty("source.pacs.dicom-ae", "AN_AE_TITLE_FAR_TOO_LONG");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(p))
                .getMessage()
                .contains("1 to 16 characters"));
    }
}
