package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.medsync.library.dicomweb.MultipartRelated;
import org.medsync.server.TestServer;
import org.slf4j.LoggerFactory;

/** The HTTP API of docs/api.md against a real server with embedded PostgreSQL. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerApiTest {
    static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private static final long UPLOAD_LIMIT = 3_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    /** Everything the server logs while these tests run. */
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        LOG.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        Properties p = new Properties();
        p.setProperty("upload.max-bytes", String.valueOf(UPLOAD_LIMIT));
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Order(1)
    void health_reportsDatabaseUp_withoutLogin() throws Exception {
        HttpResponse<String> r = get(HttpClient.newHttpClient(), "/health");
        assertEquals(200, r.statusCode());
        assertEquals("up", JSON.readTree(r.body()).path("database").asText());
    }

    @Test
    @Order(2)
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
    @Order(3)
    void everyRouteButLoginAndHealth_needsASession() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : List.of(
                "/api/session", "/api/worklist", "/api/sources", "/api/admin/users", "/dicomweb/local/studies")) {
            assertEquals(401, get(anonymous, path).statusCode(), path);
        }
    }

    @Test
    @Order(4)
    void studentCallingAnAdminRoute_is403_adminIsServed() throws Exception {
        HttpResponse<String> student = get(server.login("student"), "/api/admin/users");
        assertEquals(403, student.statusCode());
        assertEquals("forbidden", JSON.readTree(student.body()).path("error").asText());
        HttpResponse<String> admin = get(server.login("admin"), "/api/admin/users");
        assertEquals(200, admin.statusCode());
        assertEquals(5, JSON.readTree(admin.body()).size());
    }

    @Test
    @Order(5)
    void studentCannotUpload() throws Exception {
        HttpResponse<String> r = upload(server.login("student"), Map.of("CT_small.dcm", Files.readAllBytes(CT_SMALL)));
        assertEquals(403, r.statusCode());
    }

    @Test
    @Order(10)
    void uploadedCtSlice_isSearchable_andServedAsMetadataAndFrames() throws Exception {
        HttpClient c = server.login("resident");
        HttpResponse<String> up = upload(c, Map.of("CT_small.dcm", Files.readAllBytes(CT_SMALL)));
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(1, JSON.readTree(up.body()).path("imported").asInt());

        JsonNode studies = JSON.readTree(
                get(c, "/dicomweb/local/studies?PatientName=CompressedSamples*").body());
        assertEquals(1, studies.size());
        assertEquals(
                CT_STUDY, studies.get(0).path("0020000D").path("Value").get(0).asText());

        JsonNode series = JSON.readTree(
                get(c, "/dicomweb/local/studies/" + CT_STUDY + "/series").body());
        String seriesUid = series.get(0).path("0020000E").path("Value").get(0).asText();
        JsonNode metadata =
                JSON.readTree(get(c, "/dicomweb/local/studies/" + CT_STUDY + "/series/" + seriesUid + "/metadata")
                        .body());
        JsonNode instance = metadata.get(0);
        assertEquals(128, instance.path("00280010").path("Value").get(0).asInt());
        String sop = instance.path("00080018").path("Value").get(0).asText();
        assertTrue(instance.path("7FE00010").path("BulkDataURI").asText().endsWith("/instances/" + sop + "/frames"));

        HttpResponse<byte[]> frame = c.send(
                HttpRequest.newBuilder(server.http()
                                .resolve("/dicomweb/local/studies/" + CT_STUDY + "/series/" + seriesUid + "/instances/"
                                        + sop + "/frames/1"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, frame.statusCode());
        List<MultipartRelated.Part> parts = MultipartRelated.parse(
                frame.headers().firstValue("Content-Type").orElseThrow(), frame.body());
        assertEquals(128 * 128 * 2, parts.getFirst().body().length);

        HttpResponse<String> worklist = get(c, "/api/worklist?q=compressed");
        assertEquals(1, JSON.readTree(worklist.body()).size());
        HttpResponse<byte[]> thumb = c.send(
                HttpRequest.newBuilder(server.http()
                                .resolve("/dicomweb/local/studies/" + CT_STUDY + "/series/" + seriesUid + "/thumbnail"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertEquals("image/png", thumb.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    @Order(11)
    void student_seesTheStudyDeidentified() throws Exception {
        HttpClient c = server.login("student");
        JsonNode worklist = JSON.readTree(get(c, "/api/worklist").body());
        assertEquals("ANONYMIZED", worklist.get(0).path("patientName").asText());
        assertTrue(worklist.get(0).path("patientId").asText().startsWith("ANON-"));
        String body = get(c, "/dicomweb/local/studies").body();
        assertFalse(body.contains("CompressedSamples"), body);
        JsonNode series = JSON.readTree(
                get(c, "/dicomweb/local/studies/" + CT_STUDY + "/series").body());
        String seriesUid = series.get(0).path("0020000E").path("Value").get(0).asText();
        String metadata = get(c, "/dicomweb/local/studies/" + CT_STUDY + "/series/" + seriesUid + "/metadata")
                .body();
        assertFalse(metadata.contains("CompressedSamples"));
        assertTrue(metadata.contains("ANONYMIZED"));
        // A student cannot find the patient by name either.
        assertEquals(
                0, JSON.readTree(get(c, "/api/worklist?q=compressed").body()).size());
    }

    @Test
    @Order(12)
    void truncatedAndForeignFiles_areRefused_andTheLibraryIsIntact() throws Exception {
        HttpClient c = server.login("attending");
        byte[] ct = Files.readAllBytes(CT_SMALL);
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
        assertEquals(1, JSON.readTree(get(c, "/dicomweb/local/studies").body()).size());
        assertEquals(1, server.server().library().index().countInstances());
    }

    @Test
    @Order(13)
    void oversizedUpload_is413_andNothingIsStored() throws Exception {
        HttpClient c = server.login("attending");
        HttpResponse<String> r = upload(c, Map.of("big.dcm", new byte[(int) UPLOAD_LIMIT + 1]));
        assertEquals(413, r.statusCode());
        assertEquals("upload-too-large", JSON.readTree(r.body()).path("error").asText());
        assertEquals(1, server.server().library().index().countInstances());
    }

    @Test
    @Order(14)
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
    @Order(15)
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
    @Order(20)
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

    @Test
    @Order(99)
    void logs_neverCarryPatientData() {
        assertFalse(LOG.list.isEmpty(), "the log was captured");
        for (ILoggingEvent e : LOG.list) {
            String text = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            for (String identifying : List.of("CompressedSamples", "1CT1")) {
                assertFalse(text.contains(identifying), "patient data in a log line: " + text);
            }
        }
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

    static HttpResponse<String> upload(HttpClient c, Map<String, byte[]> files) throws Exception {
        String boundary = "test-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : files.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                            + f.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(f.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/library/uploads"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
