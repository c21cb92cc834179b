package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.TestServer;
import org.medsync.testsupport.part10.Variants;

/**
 * Searches are no oracle for de-identified roles: a student or observer who may not see a patient's name,
 * ID, birth date, study date or accession number cannot find them out by asking which search hits either.
 */
class DeidentifiedSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static DicomInstance ct;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        ct = DicomFiles.readHeader(Variants.CT_SMALL);
        server.server()
                .library()
                .importer()
                .importFiles(List.of(new StudyImporter.Candidate(Variants.CT_SMALL, "CT_small.dcm")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void studentCannotRecoverPatientNameByPrefixSearch() throws Exception {
        HttpClient student = server.login("student");
        String name = ct.patientName();
        // The attack: the right first letter hits, a wrong one does not; 26 tries a letter spell the name out.
        HttpResponse<String> right =
                get(student, "/dicomweb/local/studies?PatientName=" + enc(name.substring(0, 1) + "*"));
        HttpResponse<String> wrong =
                get(student, "/dicomweb/local/studies?PatientName=" + enc(otherLetter(name.charAt(0)) + "*"));
        assertRefused(right, "PatientName");
        assertEquals(right.body(), wrong.body(), "a hit and a miss must look the same");
    }

    @Test
    void studentCannotMatchOnPatientIdBirthDateStudyDateOrAccessionNumber() throws Exception {
        HttpClient student = server.login("student");
        assertRefused(get(student, "/dicomweb/local/studies?PatientID=" + enc(ct.patientId())), "PatientID");
        assertRefused(get(student, "/dicomweb/local/studies?PatientBirthDate=19000101-20991231"), "PatientBirthDate");
        assertRefused(get(student, "/dicomweb/local/studies?StudyDate=" + ct.studyDate()), "StudyDate");
        assertRefused(get(student, "/dicomweb/local/studies?AccessionNumber=*"), "AccessionNumber");
        assertRefused(get(student, "/dicomweb/local/studies?ReferringPhysicianName=*"), "ReferringPhysicianName");
        assertRefused(get(student, "/dicomweb/local/studies?StudyDescription=*HEAD*"), "StudyDescription");
        assertRefused(get(student, "/dicomweb/local/studies?OtherPatientIDs=*"), "OtherPatientIDs");
    }

    @Test
    void studentCannotMatchOnStudyDateAtSeriesLevel() throws Exception {
        HttpClient student = server.login("student");
        assertRefused(
                get(
                        student,
                        "/dicomweb/local/studies/" + ct.studyInstanceUid() + "/series?StudyDate=" + ct.studyDate()),
                "StudyDate");
        assertRefused(
                get(student, "/dicomweb/local/studies/" + ct.studyInstanceUid() + "/series?SeriesDescription=*"),
                "SeriesDescription");
    }

    @Test
    void studentCannotMatchOnPatientNameAtInstanceLevel() throws Exception {
        HttpClient student = server.login("student");
        assertRefused(
                get(
                        student,
                        "/dicomweb/local/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid()
                                + "/instances?PatientName=" + enc(ct.patientName())),
                "PatientName");
        assertRefused(
                get(
                        student,
                        "/dicomweb/local/studies/" + ct.studyInstanceUid() + "/series/" + ct.seriesInstanceUid()
                                + "/instances?ContentDate=" + ct.studyDate()),
                "ContentDate");
    }

    @Test
    void studentCannotSmuggleAnIdentifyingKeyByTagSequencePathIncludefieldOrFuzzyMatching() throws Exception {
        HttpClient student = server.login("student");
        assertRefused(get(student, "/dicomweb/local/studies?00100010=" + enc(ct.patientName())), "00100010");
        assertRefused(get(student, "/dicomweb/local/studies?00081110.00100010=x"), "00081110.00100010");
        assertRefused(get(student, "/dicomweb/local/studies?includefield=PatientBirthDate"), "PatientBirthDate");
        assertRefused(get(student, "/dicomweb/local/studies?includefield=00080020,Modality"), "00080020");
        assertRefused(get(student, "/dicomweb/local/studies?fuzzymatching=true&ModalitiesInStudy=CT"), "fuzzymatching");
        assertRefused(get(student, "/dicomweb/local/studies?patientname=x"), "patientname");
    }

    @Test
    void studentCannotPassIdentifyingKeysToOtherRoutes() throws Exception {
        HttpClient student = server.login("student");
        assertRefused(get(student, "/api/worklist?PatientName=x"), "PatientName");
        assertRefused(get(student, "/api/sources?PatientID=x"), "PatientID");
    }

    @Test
    void observerIsRefusedLikeAStudent() throws Exception {
        HttpClient observer = server.login("observer");
        assertRefused(get(observer, "/dicomweb/local/studies?PatientName=" + enc(ct.patientName())), "PatientName");
    }

    @Test
    void studentStillSearchesByWhatTheySee() throws Exception {
        HttpClient student = server.login("student");
        // UIDs: students see the stored UIDs (Retain UIDs Option), so matching on them discloses nothing new.
        HttpResponse<String> r = get(
                student,
                "/dicomweb/local/studies?StudyInstanceUID=" + ct.studyInstanceUid()
                        + "&ModalitiesInStudy=CT&limit=5&offset=0&fuzzymatching=false&includefield=ModalitiesInStudy");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, JSON.readTree(r.body()).size());
        assertFalse(r.body().contains(ct.patientName()), r.body());
        assertEquals(
                200,
                get(student, "/dicomweb/local/studies/" + ct.studyInstanceUid() + "/series?Modality=CT")
                        .statusCode());
        // The worklist's text search matches the line the student sees (the pseudonym), never the stored name.
        assertEquals(
                0,
                JSON.readTree(get(
                                        student,
                                        "/api/worklist?q="
                                                + enc(ct.patientName().substring(0, 4)))
                                .body())
                        .size());
        JsonNode line = JSON.readTree(get(student, "/api/worklist?q=ANON").body());
        assertEquals(1, line.size());
        assertTrue(line.get(0).path("studyDate").isNull(), line.toString());
        assertTrue(line.get(0).path("studyDescription").isNull(), line.toString());
    }

    @Test
    void cliniciansSearchByPatientAsBefore() throws Exception {
        HttpClient attending = server.login("attending");
        HttpResponse<String> r = get(
                attending,
                "/dicomweb/local/studies?PatientName=" + enc(ct.patientName().substring(0, 4) + "*"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, JSON.readTree(r.body()).size());
    }

    private static void assertRefused(HttpResponse<String> r, String key) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(DeidentifiedQueries.CODE, body.path("error").asText(), r.body());
        assertTrue(body.path("message").asText().contains("'" + key + "'"), r.body());
    }

    private static char otherLetter(char c) {
        return Character.toUpperCase(c) == 'Z' ? 'Y' : 'Z';
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
