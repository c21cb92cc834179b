package org.medsync.recorder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a recorder declares about a recording it uploads (docs/archive-api.md, "Upload-Metadata"). Only
 * {@code startedAt} is required; a device's hospital and operating room are known to the server from its credential.
 * The patient fields identify a patient: they travel only inside the upload, never into this client's logs.
 */
public record Recording(
        String hospital,
        String operatingRoom,
        String operator,
        String procedure,
        String accession,
        String studyUid,
        String patientId,
        String patientName,
        Instant startedAt,
        String title) {

    public Recording {
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** A recording started at {@code startedAt}, nothing else declared. */
    public static Recording startedAt(Instant startedAt) {
        return new Recording(null, null, null, null, null, null, null, null, startedAt, null);
    }

    public Recording withStudy(String accession, String studyUid) {
        return new Recording(
                hospital,
                operatingRoom,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    public Recording withPatient(String patientId, String patientName) {
        return new Recording(
                hospital,
                operatingRoom,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    public Recording withPlace(String hospital, String operatingRoom) {
        return new Recording(
                hospital,
                operatingRoom,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    public Recording withOperator(String operator, String procedure) {
        return new Recording(
                hospital,
                operatingRoom,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    public Recording withTitle(String title) {
        return new Recording(
                hospital,
                operatingRoom,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    /** The Upload-Metadata keys and values (before Base64), given ones only; filename and sha256 are added. */
    public Map<String, String> metadata(String filename, String sha256) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("filename", filename);
        m.put("sha256", sha256);
        put(m, "hospital", hospital);
        put(m, "operatingRoom", operatingRoom);
        put(m, "operator", operator);
        put(m, "procedure", procedure);
        put(m, "accession", accession);
        put(m, "studyUid", studyUid);
        put(m, "patientId", patientId);
        put(m, "patientName", patientName);
        m.put("startedAt", startedAt.toString());
        put(m, "title", title);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value);
        }
    }

    /** Without the patient fields. */
    @Override
    public String toString() {
        return "Recording[hospital=" + hospital + ", operatingRoom=" + operatingRoom + ", startedAt=" + startedAt + "]";
    }
}
