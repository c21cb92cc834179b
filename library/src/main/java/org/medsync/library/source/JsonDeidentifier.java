package org.medsync.library.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medsync.dicom.Deidentification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * De-identifies DICOM JSON for roles that must not see who the patient is (students, observers), after the
 * PS3.15 Annex E Basic Application Level Confidentiality Profile: identifying attributes are removed or
 * replaced, private attributes dropped, UIDs kept so that the study still loads and stays consistent.
 * The patient ID becomes a keyed hash, so one patient's studies still group together without revealing the ID.
 */
public final class JsonDeidentifier {
    static final String ANONYMIZED = "ANONYMIZED";

    /** Basic profile action X (remove) or Z (zero length): either way the value must not leave the server. */
    private static final Set<String> REMOVE = Set.of(
            "00080020", "00080021", "00080022", "00080023", "0008002A", // study, series, acquisition, content dates
            "00080030", "00080031", "00080032", "00080033", // times
            "00080050", // accession number
            "00080080", "00080081", "00080082", // institution name, address, code
            "00080090", "00080092", "00080094", "00080096", // referring physician name, address, phones, ids
            "00081010", "00081040", "00081048", "00081049", "00081050", "00081052", "00081060", "00081062",
            "00081070", "00081072", "00081080", "00081084", "00081110", "00081120",
            "00100021", "00100030", "00100032", "00101000", "00101001", "00101002", "00101005", "00101040",
            "00101060", "00101080", "00101081", "00102154", "00102160", "00102180", "001021B0", "001021F0",
            "00104000", "00101010", "00101020", "00101030", "00102000", "00102110",
            "00181000", "00181030", "00200010", "00321032", "00321033", "00321060", "00324000",
            "00380010", "00380300", "00400006", "00400244", "00400245", "00400253", "00400254", "00400275",
            "0040A730", "0040A123", "00404037");

    private final Deidentification deidentification;

    public JsonDeidentifier(Deidentification deidentification) {
        this.deidentification = deidentification;
    }

    /** The same key de-identifies whole instances (Part 10), so both give the same pseudonyms. */
    public Deidentification deidentification() {
        return deidentification;
    }

    public ArrayNode apply(ArrayNode datasets) {
        for (JsonNode d : datasets) {
            if (d instanceof ObjectNode o) {
                apply(o);
            }
        }
        return datasets;
    }

    public ObjectNode apply(ObjectNode dataset) {
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : dataset.properties()) {
            String tag = e.getKey();
            if (REMOVE.contains(tag) || isPrivate(tag)) {
                drop.add(tag);
            } else if ("SQ".equals(e.getValue().path("vr").asText())) {
                for (JsonNode item : e.getValue().path("Value")) {
                    if (item instanceof ObjectNode o) {
                        apply(o);
                    }
                }
            }
        }
        dataset.remove(drop);
        if (dataset.has(DicomJson.PATIENT_NAME)) {
            DicomJson.put(dataset, DicomJson.PATIENT_NAME, "PN", ANONYMIZED);
        }
        if (dataset.has(DicomJson.PATIENT_ID)) {
            DicomJson.put(dataset, DicomJson.PATIENT_ID, "LO", pseudonym(DicomJson.string(dataset, DicomJson.PATIENT_ID)));
        }
        if (dataset.has(DicomJson.STUDY_INSTANCE_UID) || dataset.has(DicomJson.SOP_INSTANCE_UID)) {
            DicomJson.put(dataset, "00120062", "CS", "YES"); // Patient Identity Removed
            DicomJson.put(dataset, "00120063", "LO", "MedSync PS3.15 Basic Profile (role-based view)");
        }
        return dataset;
    }

    public StudySummary apply(StudySummary s) {
        return new StudySummary(s.source(), s.studyInstanceUid(), ANONYMIZED, pseudonym(s.patientId()), null,
                s.studyDescription(), null, s.modalities(), s.numberOfSeries(), s.numberOfInstances());
    }

    /** A stable stand-in for a patient ID: the same ID gives the same pseudonym on this installation. */
    public String pseudonym(String patientId) {
        return patientId == null || patientId.isEmpty() ? null : deidentification.pseudonym(patientId);
    }

    private static boolean isPrivate(String tag) {
        if (tag.length() != 8) {
            return false;
        }
        int group = Integer.parseInt(tag.substring(0, 4), 16);
        return (group & 1) == 1;
    }
}
