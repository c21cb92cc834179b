package org.medsync.server.record;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medsync.recorder.Recording;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;

/**
 * What a recorder declares about a recording when it delivers it (docs/archive-api.md, tus Upload-Metadata): the
 * procedure it belongs to, the room, the operator and when it started. Empty strings stand for "not known"; a
 * recorder never invents identifiers.
 *
 * @param hospital empty: the archive takes the device's hospital
 */
public record RecordingMetadata(
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

    /** Performing Physician's Name: the configurator copies the worklist's Scheduled Performing Physician here. */
    static final int PERFORMING_PHYSICIAN_NAME = 0x00081050;

    static final int OPERATORS_NAME = 0x00081070;
    static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;
    static final int REQUESTED_PROCEDURE_DESCRIPTION = 0x00321060;
    static final int SCHEDULED_PROCEDURE_STEP_DESCRIPTION = 0x00400007;

    public RecordingMetadata {
        hospital = nz(hospital);
        operatingRoom = nz(operatingRoom);
        operator = nz(operator);
        procedure = nz(procedure);
        accession = nz(accession);
        studyUid = nz(studyUid);
        patientId = nz(patientId);
        patientName = nz(patientName);
        title = nz(title);
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * The recording's metadata from a PS3.22 flow's metadata (static part, as the configurator set it from the
     * worklist item and the OR file's equipment).
     *
     * @param operatingRoom the room as configured for the recorder; empty: the flow's Station Name
     */
    public static RecordingMetadata fromRtv(Dataset flow, String hospital, String operatingRoom, Instant startedAt) {
        String procedure = first(
                flow.string(Tags.STUDY_DESCRIPTION),
                requested(flow, REQUESTED_PROCEDURE_DESCRIPTION),
                requested(flow, SCHEDULED_PROCEDURE_STEP_DESCRIPTION));
        return new RecordingMetadata(
                hospital,
                first(operatingRoom, flow.string(Tags.STATION_NAME)),
                first(flow.string(PERFORMING_PHYSICIAN_NAME), flow.string(OPERATORS_NAME)),
                procedure,
                flow.string(Tags.ACCESSION_NUMBER),
                flow.string(Tags.STUDY_INSTANCE_UID),
                flow.string(Tags.PATIENT_ID),
                flow.string(Tags.PATIENT_NAME),
                startedAt,
                procedure.isEmpty() ? "OR recording" : procedure);
    }

    /** The tus Upload-Metadata keys of docs/archive-api.md (values not yet base64), empty ones left out. */
    public Map<String, String> uploadMetadata(String filename, String sha256) {
        return toRecording().metadata(filename, sha256);
    }

    /** What the recorder client declares for this recording: empty fields are not declared at all. */
    Recording toRecording() {
        return new Recording(
                blankToNull(hospital),
                blankToNull(operatingRoom),
                blankToNull(operator),
                blankToNull(procedure),
                blankToNull(accession),
                blankToNull(studyUid),
                blankToNull(patientId),
                blankToNull(patientName),
                startedAt,
                blankToNull(title));
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }

    private static String requested(Dataset flow, int tag) {
        List<Dataset> items = flow.items(REQUEST_ATTRIBUTES_SEQUENCE);
        return items.isEmpty() ? "" : items.getFirst().string(tag);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }

    private static String nz(String s) {
        return s == null ? "" : s.trim();
    }
}
