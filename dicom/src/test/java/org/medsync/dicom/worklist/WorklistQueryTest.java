package org.medsync.dicom.worklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class WorklistQueryTest {
    private static final LocalDate D = LocalDate.of(2025, 3, 7);

    @Test
    void dateRange_followsPs34RangeMatching() {
        assertEquals("20250307", WorklistQuery.on(D).dateRange());
        assertEquals(
                "20250307-20250308", new WorklistQuery(D, D.plusDays(1), null, null, null, null, null).dateRange());
        assertEquals("20250307-", new WorklistQuery(D, null, null, null, null, null, null).dateRange());
        assertEquals("-20250307", new WorklistQuery(null, D, null, null, null, null, null).dateRange());
        assertEquals("", WorklistQuery.any().dateRange());
    }

    @Test
    void invalidQueries_areRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new WorklistQuery(D, D.minusDays(1), null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> WorklistQuery.any().withPatientName("A\\B"));
        assertNull(WorklistQuery.any().withModality("  ").modality(), "blank is universal matching");
    }

    @Test
    void aeTitles_areChecked() {
        assertEquals("OR1", new RemoteAe("h", 104, " OR1 ").calledAeTitle());
        assertEquals(RemoteAe.DEFAULT_CALLING_AE, new RemoteAe("h", 104, "OR1").callingAeTitle());
        assertThrows(IllegalArgumentException.class, () -> new RemoteAe("h", 104, "SEVENTEEN_CHARS_X"));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAe("h", 104, ""));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAe("h", 0, "OR1"));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAe("h", 104, "A\\B"));
    }

    @Test
    void dicomDatesAndTimes_parseLeniently_andBadOnesAreNull() {
        assertEquals(D, Identifiers.date("20250307"));
        assertEquals(D, Identifiers.date("2025.03.07"));
        assertNull(Identifiers.date("20251307"));
        assertNull(Identifiers.date("2025"));
        assertEquals(LocalTime.of(8, 30), Identifiers.time("0830"));
        assertEquals(LocalTime.of(8, 30, 15), Identifiers.time("083015.123456"));
        assertEquals(LocalTime.of(8, 0), Identifiers.time("08"));
        assertEquals(LocalTime.of(8, 30, 15), Identifiers.time("08:30:15"));
        assertNull(Identifiers.time("8"));
        assertNull(Identifiers.time("2561"));
    }

    @Test
    void displayName_readsFamilyAndGiven() {
        WorklistItem i = new WorklistItem(
                "DOE^JANE^^DR",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals("DOE, JANE", i.patientNameForDisplay());
        assertEquals(
                "{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^JANE^^DR\"}]}}",
                i.toDicomJson());
    }
}
