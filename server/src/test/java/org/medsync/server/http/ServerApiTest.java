package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsync.library.dicomweb.MultipartRelated;
import org.medsync.server.TestServer;
import org.medsync.server.Uploads;
import org.medsync.server.demo.DemoContent;
import org.medsync.testsupport.part10.Variants;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of docs/api.md against a real server with embedded PostgreSQL. The server is shared by the tests,
 * so no test relies on another's data or order: each uploads a study of its own (CT_small with new UIDs and a
 * patient of its own) and counts relative to what it found.
 */
class ServerApiTest {
    private static final long UPLOAD_LIMIT = 3_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every patient the tests upload has this in name and ID, so that the log check can find them. */
    private static final String PATIENT_MARK = "ApiPatient";

    private static final AtomicInteger PATIENTS = new AtomicInteger();
    private static TestServer server;
    private static Path work;

    /** What the server logs during one test. */
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        LOG.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        Properties p = new Properties();
        p.setProperty("upload.max-bytes", String.valueOf(UPLOAD_LIMIT));
        server = TestServer.start(false, p);
        work = Files.createTempDirectory("medsync-api-test-");
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        server.close();
        try (var walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @BeforeEach
    void forgetTheLog() {
        LOG.list.clear();
    }

    /** Whatever a test did, the server logged no patient's name or ID while it ran. */
    @AfterEach
    void logsCarryNoPatientData() {
        for (ILoggingEvent e : List.copyOf(LOG.list)) {
            String text = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            for (String identifying : List.of(PATIENT_MARK, "CompressedSamples", "1CT1")) {
                assertFalse(text.contains(identifying), "patient data in a log line: " + text);
            }
        }
    }

    /** A study of one CT slice, new to the library, uploaded as a resident. */
    private record Study(String studyUid, String seriesUid, String sopUid, String patientName) {}

    private static Study uploadNewStudy() throws Exception {
        int n = PATIENTS.incrementAndGet();
        Study study = new Study(newUid(), newUid(), newUid(), PATIENT_MARK + n + "^Test");
        Path file = Variants.of(
                Variants.CT_SMALL,
                work.resolve("study-" + n + ".dcm"),
                Map.of(
                        TagFromName.StudyInstanceUID, study.studyUid(),
                        TagFromName.SeriesInstanceUID, study.seriesUid(),
                        TagFromName.SOPInstanceUID, study.sopUid(),
                        TagFromName.PatientName, study.patientName(),
                        TagFromName.PatientID, PATIENT_MARK + "-" + n));
        HttpResponse<String> up = upload(server.login("resident"), Map.of("slice.dcm", Files.readAllBytes(file)));
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(1, JSON.readTree(up.body()).path("imported").asInt(), up.body());
        return study;
    }

    private static String newUid() {
        UUID u = UUID.randomUUID();
        return "2.25."
                + new BigInteger(
                                1,
                                ByteBuffer.allocate(16)
                                        .putLong(u.getMostSignificantBits())
                                        .putLong(u.getLeastSignificantBits())
                                        .array())
                        .toString();
    }

    @Test
    void health_reportsDatabaseUp_withoutLogin() throws Exception {
        HttpResponse<String> r = get(HttpClient.newHttpClient(), "/health");
        assertEquals(200, r.statusCode());
        assertEquals("up", JSON.readTree(r.body()).path("database").asText());
    }

    @Test
    void wrongPassword_is401_withAClearMessage() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/session"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"username\":\"attending\",\"password\":\"not-the-password\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals("bad-credentials", JSON.readTree(r.body()).path("error").asText());
        assertEquals(
                "Wrong user name or password",
                JSON.readTree(r.body()).path("message").asText());
    }

    @Test
    void everyRouteButLoginAndHealth_needsASession() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : List.of(
                "/api/session", "/api/worklist", "/api/sources", "/api/admin/users", "/dicomweb/local/studies")) {
            assertEquals(401, get(anonymous, path).statusCode(), path);
        }
    }

    @Test
    void studentCallingAnAdminRoute_is403_adminIsServed() throws Exception {
        HttpResponse<String> student = get(server.login("student"), "/api/admin/users");
        assertEquals(403, student.statusCode());
        assertEquals("forbidden", JSON.readTree(student.body()).path("error").asText());
        HttpResponse<String> admin = get(server.login("admin"), "/api/admin/users");
        assertEquals(200, admin.statusCode());
        Set<String> listed = new HashSet<>();
        JSON.readTree(admin.body()).forEach(u -> listed.add(u.path("username").asText()));
        for (var demo : DemoContent.USERS) {
            assertTrue(listed.contains(demo.username()), demo.username() + " in " + listed);
        }
    }

    @Test
    void studentCannotUpload() throws Exception {
        long before = server.server().library().index().countInstances();
        HttpResponse<String> r =
                upload(server.login("student"), Map.of("CT_small.dcm", Files.readAllBytes(Variants.CT_SMALL)));
        assertEquals(403, r.statusCode());
        assertEquals(before, server.server().library().index().countInstances());
    }

    @Test
    void uploadedCtSlice_isSearchable_andServedAsMetadataAndFrames() throws Exception {
        Study study = uploadNewStudy();
        HttpClient c = server.login("resident");

        String name = study.patientName().substring(0, study.patientName().indexOf('^'));
        JsonNode studies = JSON.readTree(
                get(c, "/dicomweb/local/studies?PatientName=" + name + "*").body());
        assertEquals(1, studies.size());
        assertEquals(
                study.studyUid(),
                studies.get(0).path("0020000D").path("Value").get(0).asText());

        JsonNode series = JSON.readTree(get(c, "/dicomweb/local/studies/" + study.studyUid() + "/series")
                .body());
        assertEquals(
                study.seriesUid(),
                series.get(0).path("0020000E").path("Value").get(0).asText());
        String seriesPath = "/dicomweb/local/studies/" + study.studyUid() + "/series/" + study.seriesUid();
        JsonNode metadata = JSON.readTree(get(c, seriesPath + "/metadata").body());
        JsonNode instance = metadata.get(0);
        assertEquals(128, instance.path("00280010").path("Value").get(0).asInt());
        assertEquals(
                study.sopUid(), instance.path("00080018").path("Value").get(0).asText());
        assertTrue(instance.path("7FE00010")
                .path("BulkDataURI")
                .asText()
                .endsWith("/instances/" + study.sopUid() + "/frames"));

        HttpResponse<byte[]> frame = c.send(
                HttpRequest.newBuilder(server.http().resolve(seriesPath + "/instances/" + study.sopUid() + "/frames/1"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, frame.statusCode());
        List<MultipartRelated.Part> parts = MultipartRelated.parse(
                frame.headers().firstValue("Content-Type").orElseThrow(), frame.body());
        assertEquals(128 * 128 * 2, parts.getFirst().body().length);

        HttpResponse<String> worklist = get(c, "/api/worklist?q=" + name.toLowerCase(Locale.ROOT));
        assertEquals(1, JSON.readTree(worklist.body()).size(), worklist.body());
        HttpResponse<byte[]> thumb = c.send(
                HttpRequest.newBuilder(server.http().resolve(seriesPath + "/thumbnail"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertEquals("image/png", thumb.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void student_seesTheStudyDeidentified() throws Exception {
        Study study = uploadNewStudy();
        String name = study.patientName().substring(0, study.patientName().indexOf('^'));
        HttpClient c = server.login("student");
        JsonNode worklist = JSON.readTree(get(c, "/api/worklist").body());
        JsonNode entry = null;
        for (JsonNode e : worklist) {
            if (e.path("studyInstanceUid").asText().equals(study.studyUid())) {
                entry = e;
            }
        }
        assertNotNull(entry, "the study is on the student's worklist");
        assertEquals("ANONYMIZED", entry.path("patientName").asText());
        assertTrue(entry.path("patientId").asText().startsWith("ANON-"));
        String body = get(c, "/dicomweb/local/studies").body();
        assertFalse(body.contains(PATIENT_MARK), body);
        String metadata = get(
                        c, "/dicomweb/local/studies/" + study.studyUid() + "/series/" + study.seriesUid() + "/metadata")
                .body();
        assertFalse(metadata.contains(PATIENT_MARK));
        assertTrue(metadata.contains("ANONYMIZED"));
        // A student cannot find the patient by name either.
        assertEquals(
                0,
                JSON.readTree(get(c, "/api/worklist?q=" + name.toLowerCase(Locale.ROOT))
                                .body())
                        .size());
    }

    @Test
    void truncatedAndForeignFiles_areRefused_andTheLibraryIsIntact() throws Exception {
        HttpClient c = server.login("attending");
        long instances = server.server().library().index().countInstances();
        int studies = JSON.readTree(get(c, "/dicomweb/local/studies").body()).size();
        byte[] ct = Files.readAllBytes(Variants.CT_SMALL);
        byte[] truncated = Arrays.copyOf(ct, ct.length / 2);
        HttpResponse<String> r =
                upload(c, Map.of("half.dcm", truncated, "notes.txt", "not an image".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode report = JSON.readTree(r.body());
        assertEquals(0, report.path("imported").asInt());
        assertEquals(2, report.path("rejected").size());
        for (JsonNode rej : report.path("rejected")) {
            String expected = rej.path("file").asText().equals("half.dcm") ? "truncated" : "not-dicom";
            assertEquals(expected, rej.path("reason").asText(), rej.toString());
            assertFalse(rej.path("message").asText().isBlank());
        }
        assertEquals(
                studies, JSON.readTree(get(c, "/dicomweb/local/studies").body()).size());
        assertEquals(instances, server.server().library().index().countInstances());
    }

    @Test
    void oversizedUpload_is413_andNothingIsStored() throws Exception {
        HttpClient c = server.login("attending");
        long instances = server.server().library().index().countInstances();
        HttpResponse<String> r = upload(c, Map.of("big.dcm", new byte[(int) UPLOAD_LIMIT + 1]));
        assertEquals(413, r.statusCode());
        assertEquals("upload-too-large", JSON.readTree(r.body()).path("error").asText());
        assertEquals(instances, server.server().library().index().countInstances());
    }

    @Test
    void unknownSourceAndMalformedRequests_getClearErrors() throws Exception {
        HttpClient c = server.login("attending");
        assertEquals(404, get(c, "/dicomweb/nowhere/studies").statusCode());
        assertEquals(400, get(c, "/dicomweb/local/studies?StudyDate=yesterday").statusCode());
        assertEquals(
                404,
                get(c, "/dicomweb/local/studies/1.2.3/series/4.5.6/metadata").statusCode());
        HttpResponse<String> badJson = c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/session"))
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badJson.statusCode());
    }

    @Test
    void adminCreatesAUser_withValidation() throws Exception {
        HttpClient admin = server.login("admin");
        assertEquals(
                400,
                postJson(
                                admin,
                                "/api/admin/users",
                                "{\"username\":\"x1\",\"role\":\"surgeon\",\"password\":\"long-enough-pw\"}")
                        .statusCode());
        assertEquals(
                400,
                postJson(
                                admin,
                                "/api/admin/users",
                                "{\"username\":\"x1\",\"role\":\"resident\",\"password\":\"short\"}")
                        .statusCode());
        assertEquals(
                201,
                postJson(
                                admin,
                                "/api/admin/users",
                                "{\"username\":\"x1\",\"role\":\"resident\",\"password\":\"long-enough-pw\"}")
                        .statusCode());
        assertEquals(
                409,
                postJson(
                                admin,
                                "/api/admin/users",
                                "{\"username\":\"x1\",\"role\":\"resident\",\"password\":\"long-enough-pw\"}")
                        .statusCode());
    }

    @Test
    void https_servesTheSameApi_withTheGeneratedCertificate() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        public void checkClientTrusted(X509Certificate[] c, String a) {}

                        public void checkServerTrusted(X509Certificate[] c, String a) {}

                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        HttpClient c = HttpClient.newBuilder().sslContext(trustAll).build();
        URI health = URI.create("https://127.0.0.1:" + server.https().getPort() + "/health");
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        HttpResponse<String> login = c.send(
                HttpRequest.newBuilder(health.resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"resident\",\"password\":\"medsync-demo\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("Secure"), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertNotEquals(-1, server.https().getPort());
    }

    /** The log check after each test sees what the server logs: an import logs, and is checked like any. */
    @Test
    void logs_areCapturedPerTest() throws Exception {
        assertTrue(LOG.list.isEmpty(), "each test starts with an empty log");
        uploadNewStudy();
        assertFalse(LOG.list.isEmpty(), "the import's log was captured");
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(HttpClient c, String path, String body) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> upload(HttpClient c, Map<String, byte[]> files) throws Exception {
        return Uploads.post(c, server.http(), files);
    }
}
