package org.medsync.dicom.worklist;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Matching keys of a Modality Worklist C-FIND (PS3.4 K.6.1.2). {@code null} means "any" (universal
 * matching). String keys may use the DICOM wildcards {@code *} and {@code ?} (PS3.4 C.2.2.2.4).
 *
 * @param scheduledFrom  first Scheduled Procedure Step Start Date (0040,0002), inclusive; null = open
 * @param scheduledTo    last one, inclusive; null = open. Both null: any date
 * @param modality       Modality (0008,0060) in the Scheduled Procedure Step, e.g. "ES" (endoscopy)
 * @param stationAeTitle Scheduled Station AE Title (0040,0001)
 * @param patientName    Patient's Name (0010,0010), e.g. "DOE^*"
 * @param patientId      Patient ID (0010,0020)
 * @param accessionNumber Accession Number (0008,0050)
 */
public record WorklistQuery(
        LocalDate scheduledFrom,
        LocalDate scheduledTo,
        String modality,
        String stationAeTitle,
        String patientName,
        String patientId,
        String accessionNumber) {

    public WorklistQuery {
        if (scheduledFrom != null && scheduledTo != null && scheduledTo.isBefore(scheduledFrom)) {
            throw new IllegalArgumentException(
                    "scheduled date range ends (" + scheduledTo + ") before it starts (" + scheduledFrom + ")");
        }
        modality = blankToNull(modality);
        stationAeTitle = blankToNull(stationAeTitle);
        patientName = blankToNull(patientName);
        patientId = blankToNull(patientId);
        accessionNumber = blankToNull(accessionNumber);
        for (String key : new String[] {modality, stationAeTitle, patientName, patientId, accessionNumber}) {
            if (key != null && (key.contains("\\") || key.chars().anyMatch(c -> c < 0x20))) {
                throw new IllegalArgumentException(
                        "worklist matching key has a backslash or control character: \"" + key + "\"");
            }
        }
    }

    /** Everything scheduled today (the OR's usual question). */
    public static WorklistQuery today() {
        return on(LocalDate.now());
    }

    /** Everything scheduled on one day. */
    public static WorklistQuery on(LocalDate day) {
        Objects.requireNonNull(day, "day");
        return new WorklistQuery(day, day, null, null, null, null, null);
    }

    /** Universal matching on every key: the whole worklist. */
    public static WorklistQuery any() {
        return new WorklistQuery(null, null, null, null, null, null, null);
    }

    public WorklistQuery withModality(String value) {
        return new WorklistQuery(
                scheduledFrom, scheduledTo, value, stationAeTitle, patientName, patientId, accessionNumber);
    }

    public WorklistQuery withStationAeTitle(String value) {
        return new WorklistQuery(scheduledFrom, scheduledTo, modality, value, patientName, patientId, accessionNumber);
    }

    public WorklistQuery withPatientName(String value) {
        return new WorklistQuery(
                scheduledFrom, scheduledTo, modality, stationAeTitle, value, patientId, accessionNumber);
    }

    public WorklistQuery withPatientId(String value) {
        return new WorklistQuery(
                scheduledFrom, scheduledTo, modality, stationAeTitle, patientName, value, accessionNumber);
    }

    public WorklistQuery withAccessionNumber(String value) {
        return new WorklistQuery(scheduledFrom, scheduledTo, modality, stationAeTitle, patientName, patientId, value);
    }

    /** The (0040,0002) matching value: "", "YYYYMMDD", "YYYYMMDD-", "-YYYYMMDD" or "YYYYMMDD-YYYYMMDD". */
    String dateRange() {
        if (scheduledFrom == null && scheduledTo == null) {
            return "";
        }
        if (Objects.equals(scheduledFrom, scheduledTo)) {
            return da(scheduledFrom);
        }
        return (scheduledFrom == null ? "" : da(scheduledFrom)) + "-" + (scheduledTo == null ? "" : da(scheduledTo));
    }

    private static String da(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
