package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.Deidentification;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.testsupport.part10.Variants;

/**
 * What the library adds to the rule set of dicom's ConfidentialityProfile (whose table test is
 * DeidentificationProfileTest): the worklist line follows the same rule as the DICOM JSON of the same study, one
 * key gives one pseudonym on every path (worklist, JSON, Part 10), and only a study or instance is stamped as
 * de-identified.
 */
class JsonDeidentifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonDeidentifier deidentifier = new JsonDeidentifier(new Deidentification("library-test-key"));

    @TempDir
    Path dir;

    @Test
    void theWorklistLine_showsEachFieldAsTheStudysJsonShowsIt() throws Exception {
        StudySummary line = deidentifier.apply(summary("Doe^Jane", "PID-7", "20240102", "Head CT", "ACC-9"));
        ObjectNode study = deidentifier.apply(studyJson("Doe^Jane", "PID-7", "20240102", "Head CT", "ACC-9"));

        assertEquals(first(study, DicomJson.PATIENT_NAME), line.patientName());
        assertEquals(first(study, DicomJson.PATIENT_ID), line.patientId());
        assertEquals(first(study, DicomJson.STUDY_DATE), line.studyDate());
        assertEquals(first(study, DicomJson.STUDY_DESCRIPTION), line.studyDescription());
        assertEquals(first(study, DicomJson.ACCESSION_NUMBER), line.accessionNumber());
        assertEquals(Deidentification.ANONYMIZED_NAME, line.patientName());
        assertTrue(line.patientId().startsWith("ANON-"), line.patientId());
        // What does not identify the patient passes as it is.
        assertEquals("1.2.3.4", line.studyInstanceUid());
        assertEquals(List.of("CT"), line.modalities());
        assertEquals(2, line.numberOfSeries());
        assertEquals(7, line.numberOfInstances());
    }

    @Test
    void theWorklistLine_leavesEmptyFieldsEmpty_ratherThanInventingThem() {
        StudySummary line = deidentifier.apply(summary("", null, "", null, ""));
        assertNull(line.patientName());
        assertNull(line.patientId(), "no ID is no pseudonym: one for every blank ID would join patients");
        assertNull(line.studyDate());
        assertNull(line.studyDescription());
        assertNull(line.accessionNumber());
    }

    @Test
    void oneKey_givesOnePseudonym_onTheWorklistInTheJsonAndInThePart10File() throws Exception {
        DicomInstance original = DicomFiles.readHeader(Variants.CT_SMALL);
        Path part10 = dir.resolve("deidentified.dcm");
        Files.write(part10, DicomFiles.part10(Variants.CT_SMALL, deidentifier.deidentification()));
        String inFile = DicomFiles.readHeader(part10).patientId();

        StudySummary line = deidentifier.apply(summary(original.patientName(), original.patientId(), null, null, null));
        ObjectNode json = deidentifier.apply(studyJson(original.patientName(), original.patientId(), null, null, null));

        assertEquals(inFile, line.patientId());
        assertEquals(inFile, first(json, DicomJson.PATIENT_ID));
        StudySummary otherKey = new JsonDeidentifier(new Deidentification("another-installation"))
                .apply(summary(original.patientName(), original.patientId(), null, null, null));
        assertFalse(inFile.equals(otherKey.patientId()), "another installation's key gives another pseudonym");
    }

    @Test
    void onlyStudiesAndInstances_areStampedAsDeidentified() throws Exception {
        ObjectNode study = deidentifier.apply(studyJson("Doe^Jane", "PID-7", null, null, null));
        assertEquals("YES", first(study, "00120062"));
        assertEquals(Deidentification.METHOD, first(study, "00120063"));

        ObjectNode instance = (ObjectNode) JSON.readTree("{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4.5\"]}}");
        assertEquals("YES", first(deidentifier.apply(instance), "00120062"));

        // A data set that is neither (here a bare name) says nothing about how it was made.
        ObjectNode fragment =
                (ObjectNode) JSON.readTree("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}");
        assertFalse(deidentifier.apply(fragment).has("00120062"), fragment.toString());
    }

    @Test
    void aQidoAnswer_isDeidentifiedStudyByStudy_andWhatIsNoDataSetIsLeftAlone() throws Exception {
        ArrayNode answer = JSON.createArrayNode();
        answer.add(studyJson("Doe^Jane", "PID-7", null, null, null));
        answer.add(studyJson("Roe^Richard", "PID-8", null, null, null));
        answer.add("not a data set");

        deidentifier.apply(answer);

        assertEquals(3, answer.size());
        assertFalse(answer.toString().contains("Doe") || answer.toString().contains("Roe"), answer.toString());
        assertFalse(first((ObjectNode) answer.get(0), DicomJson.PATIENT_ID)
                .equals(first((ObjectNode) answer.get(1), DicomJson.PATIENT_ID)));
        assertEquals("not a data set", answer.get(2).asText());
    }

    private static StudySummary summary(
            String name, String patientId, String date, String description, String accession) {
        return new StudySummary("local", "1.2.3.4", name, patientId, date, description, accession, List.of("CT"), 2, 7);
    }

    /** A QIDO-RS study result with these attributes (null ones left out). */
    private static ObjectNode studyJson(
            String name, String patientId, String date, String description, String accession) {
        ObjectNode d = JSON.createObjectNode();
        DicomJson.put(d, DicomJson.STUDY_INSTANCE_UID, "UI", "1.2.3.4");
        if (name != null) {
            d.putObject(DicomJson.PATIENT_NAME)
                    .put("vr", "PN")
                    .putArray("Value")
                    .addObject()
                    .put("Alphabetic", name);
        }
        put(d, DicomJson.PATIENT_ID, "LO", patientId);
        put(d, DicomJson.STUDY_DATE, "DA", date);
        put(d, DicomJson.STUDY_DESCRIPTION, "LO", description);
        put(d, DicomJson.ACCESSION_NUMBER, "SH", accession);
        return d;
    }

    private static void put(ObjectNode d, String tag, String vr, String value) {
        if (value != null) {
            DicomJson.put(d, tag, vr, value);
        }
    }

    /** The first value of an attribute as the worklist would show it (a name's Alphabetic), or null. */
    private static String first(ObjectNode d, String tag) {
        JsonNode v = d.path(tag).path("Value").path(0);
        if (v.isObject()) {
            v = v.path("Alphabetic");
        }
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
