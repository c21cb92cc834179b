package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.Uploads;
import org.medsync.testsupport.part10.Variants;

/** Uploads that contradict what the library holds are refused with 409 and change nothing; the rest go in. */
class UploadConflictTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static HttpClient resident;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        resident = server.login("resident");
        work = Files.createTempDirectory("medsync-upload-conflict-");
        HttpResponse<String> r =
                Uploads.post(resident, server.http(), Map.of("ct.dcm", Files.readAllBytes(Variants.CT_SMALL)));
        assertEquals(200, r.statusCode(), r.body());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (Stream<Path> walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void uploadCannotMergeAnotherPatientIntoExistingStudy() throws Exception {
        long before = server.server().library().index().countInstances();
        Path other = Variants.of(
                Variants.CT_SMALL,
                work.resolve("other.dcm"),
                Map.of(
                        TagFromName.SOPInstanceUID,
                        "2.25.1001",
                        TagFromName.PatientName,
                        "Other^Patient",
                        TagFromName.PatientID,
                        "OTHER"));
        Path sameStudyNewInstance = Variants.of(
                Variants.CT_SMALL, work.resolve("new.dcm"), Map.of(TagFromName.SOPInstanceUID, "2.25.1002"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("other.dcm", Files.readAllBytes(other));
        files.put("new.dcm", Files.readAllBytes(sameStudyNewInstance));
        HttpResponse<String> r = Uploads.post(resident, server.http(), files);
        assertEquals(409, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("patient-mismatch", body.path("error").asText());
        // The uploader learns that the UIDs belong to someone else, not who.
        for (String stored : new String[] {"CompressedSamples", "1CT1"}) {
            assertFalse(r.body().contains(stored), "the answer names the stored patient: " + r.body());
        }
        assertEquals(1, body.path("imported").asInt(), "the file that belongs to the study was still imported");
        assertEquals("other.dcm", body.path("rejected").get(0).path("file").asText());
        assertEquals(before + 1, server.server().library().index().countInstances());
        JsonNode worklist = JSON.readTree(server.login("attending")
                .send(
                        java.net.http.HttpRequest.newBuilder(server.http().resolve("/api/worklist"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertFalse(worklist.toString().contains("Other^Patient"), worklist.toString());
    }

    @Test
    void sameSopInstanceUidWithDifferentContentIsRefused() throws Exception {
        long before = server.server().library().index().countInstances();
        Path changed =
                Variants.of(Variants.CT_SMALL, work.resolve("changed.dcm"), Map.of(TagFromName.InstanceNumber, "77"));
        HttpResponse<String> r =
                Uploads.post(resident, server.http(), Map.of("changed.dcm", Files.readAllBytes(changed)));
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("instance-conflict", JSON.readTree(r.body()).path("error").asText());
        HttpResponse<String> same =
                Uploads.post(resident, server.http(), Map.of("ct.dcm", Files.readAllBytes(Variants.CT_SMALL)));
        assertEquals(200, same.statusCode(), same.body());
        assertEquals(1, JSON.readTree(same.body()).path("duplicates").asInt());
        assertEquals(before, server.server().library().index().countInstances());
    }
}
