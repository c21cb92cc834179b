package org.medsync.archive.catalog;

import java.time.Instant;
import java.util.Locale;

/**
 * A recording of a procedure as the index holds it. The patient fields ({@code patientId}, {@code patientName}) and
 * the procedure's identifiers ({@code accession}, {@code studyUid}) identify a patient: they never reach a
 * de-identified viewer, and an anonymized recording ({@code anonymized}, made {@code derivedFrom} another) has none.
 *
 * @param status uploaded (bytes in, waiting for its jobs), processing, ready, failed ({@code statusMessage} says why)
 */
public record Recording(
        String id,
        String hospitalId,
        String operatingRoom,
        String deviceId,
        String operator,
        String owner,
        String procedure,
        String accession,
        String studyUid,
        String patientId,
        String patientName,
        Instant startedAt,
        Double durationSeconds,
        String title,
        String sourceObject,
        String sourceName,
        Status status,
        String statusMessage,
        String derivedFrom,
        boolean anonymized,
        Instant createdAt) {

    public enum Status {
        UPLOADED,
        PROCESSING,
        READY,
        FAILED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** What a recorder or an uploading user declares about a new recording (docs/archive-api.md). */
    public record Declared(
            String hospitalId,
            String operatingRoom,
            String deviceId,
            String operator,
            String owner,
            String procedure,
            String accession,
            String studyUid,
            String patientId,
            String patientName,
            Instant startedAt,
            String title,
            String sourceName) {}
}
