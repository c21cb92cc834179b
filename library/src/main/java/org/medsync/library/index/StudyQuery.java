package org.medsync.library.index;

/** Study search criteria; null fields match anything. Dates are DICOM DA (YYYYMMDD). */
public record StudyQuery(
        String text,
        String studyUid,
        String patientId,
        String patientName,
        String accessionNumber,
        String studyDateFrom,
        String studyDateTo,
        String modality,
        int limit,
        int offset) {
    public static final int MAX_LIMIT = 1000;

    public StudyQuery {
        limit = limit <= 0 ? 100 : Math.min(limit, MAX_LIMIT);
        offset = Math.max(0, offset);
    }

    public static StudyQuery text(String text, int limit) {
        return new StudyQuery(text, null, null, null, null, null, null, null, limit, 0);
    }
}
