package org.medsync.library.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** A worklist line. */
public record StudySummary(
        String source,
        String studyInstanceUid,
        String patientName,
        String patientId,
        String studyDate,
        String studyDescription,
        String accessionNumber,
        List<String> modalities,
        int numberOfSeries,
        int numberOfInstances) {

    /** Reads a QIDO-RS study result (PS3.18 JSON). */
    public static StudySummary fromQido(String source, JsonNode study) {
        return new StudySummary(
                source,
                DicomJson.string(study, DicomJson.STUDY_INSTANCE_UID),
                DicomJson.personName(study, DicomJson.PATIENT_NAME),
                DicomJson.string(study, DicomJson.PATIENT_ID),
                DicomJson.string(study, DicomJson.STUDY_DATE),
                DicomJson.string(study, DicomJson.STUDY_DESCRIPTION),
                DicomJson.string(study, DicomJson.ACCESSION_NUMBER),
                DicomJson.strings(study, DicomJson.MODALITIES_IN_STUDY),
                DicomJson.integer(study, DicomJson.NUMBER_OF_STUDY_RELATED_SERIES),
                DicomJson.integer(study, DicomJson.NUMBER_OF_STUDY_RELATED_INSTANCES));
    }

    public boolean matches(String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String needle = text.toLowerCase(Locale.ROOT).trim();
        for (String field : new String[] {patientName, patientId, accessionNumber, studyDescription}) {
            if (field != null && field.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
