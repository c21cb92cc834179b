package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.Uploads;
import org.medsync.testsupport.part10.Variants;

/**
 * Every cache filled as one user and read as another: the server's thumbnail cache, the browser's HTTP cache
 * (Cache-Control, ETag) and a shared proxy's. A guest of a readout on study A is the other user throughout.
 */
class CacheAuthorizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static HttpClient attending;
    private static HttpClient guest;
    private static String studyA;
    private static String seriesA;
    private static String studyB;
    private static String seriesB;
    private static String sopB;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        attending = server.login("attending");
        HttpResponse<String> up = Uploads.post(
                attending,
                server.http(),
                Map.of(
                        "ct.dcm",
                        Files.readAllBytes(Variants.CT_SMALL),
                        "mr.dcm",
                        Files.readAllBytes(Variants.MR_SMALL)));
        assertEquals(200, up.statusCode(), up.body());
        assertEquals(2, JSON.readTree(up.body()).path("imported").asInt(), up.body());
        JsonNode studies =
                JSON.readTree(get(attending, "/dicomweb/local/studies").body());
        studyA = uid(studies.get(0), "0020000D");
        studyB = uid(studies.get(1), "0020000D");
        seriesA = uid(
                JSON.readTree(get(attending, "/dicomweb/local/studies/" + studyA + "/series")
                                .body())
                        .get(0),
                "0020000E");
        seriesB = uid(
                JSON.readTree(get(attending, "/dicomweb/local/studies/" + studyB + "/series")
                                .body())
                        .get(0),
                "0020000E");
        sopB = uid(
                JSON.readTree(get(attending, "/dicomweb/local/studies/" + studyB + "/series/" + seriesB + "/instances")
                                .body())
                        .get(0),
                "00080018");
        guest = guestOfAReadoutOn(studyA);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void guestCannotReadAnotherStudysThumbnailFromCache() throws Exception {
        HttpResponse<byte[]> filled = bytes(attending, thumbnail(studyB, seriesB), null);
        assertEquals(200, filled.statusCode());
        // Study A is the guest's; series B is not in it, though the cache holds B's thumbnail.
        HttpResponse<byte[]> underA = bytes(guest, thumbnail(studyA, seriesB), null);
        assertEquals(404, underA.statusCode());
        assertFalse(Arrays.equals(filled.body(), underA.body()), "the guest got study B's thumbnail");
        assertEquals(403, bytes(guest, thumbnail(studyB, seriesB), null).statusCode());
        assertEquals(200, bytes(guest, thumbnail(studyA, seriesA), null).statusCode());
    }

    @Test
    void guestCannotReadAnotherStudysFramesOrMetadataUnderItsOwnStudy() throws Exception {
        String underA = "/dicomweb/local/studies/" + studyA + "/series/" + seriesB;
        assertEquals(
                404,
                bytes(guest, underA + "/instances/" + sopB + "/frames/1", null).statusCode());
        assertEquals(404, bytes(guest, underA + "/metadata", null).statusCode());
        assertEquals(404, bytes(guest, underA + "/instances/" + sopB, null).statusCode());
    }

    @Test
    void patientDataIsNeverKeptByASharedCache() throws Exception {
        String series = "/dicomweb/local/studies/" + studyB + "/series/" + seriesB;
        for (String path : List.of(
                "/api/worklist",
                "/api/sources",
                "/api/session",
                "/dicomweb/local/studies",
                "/dicomweb/local/studies/" + studyB + "/series",
                series + "/instances",
                series + "/metadata",
                series + "/instances/" + sopB + "/metadata",
                series + "/instances/" + sopB)) {
            HttpResponse<byte[]> r = bytes(attending, path, null);
            assertEquals(200, r.statusCode(), path);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
        }
        for (String path : List.of(series + "/instances/" + sopB + "/frames/1", series + "/thumbnail")) {
            HttpResponse<byte[]> r = bytes(attending, path, null);
            assertEquals(
                    "private, no-cache", r.headers().firstValue("Cache-Control").orElse(""), path);
            assertTrue(r.headers().firstValue("ETag").isPresent(), path);
        }
    }

    /** What a browser does with a frame it kept: it asks again, and the server checks who asks before saying 304. */
    @Test
    void framesKeptByTheBrowserAreServedToTheNextUserOnlyAfterTheirAccessCheck() throws Exception {
        String frame = "/dicomweb/local/studies/" + studyB + "/series/" + seriesB + "/instances/" + sopB + "/frames/1";
        HttpResponse<byte[]> first = bytes(attending, frame, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = bytes(attending, frame, etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(403, bytes(guest, frame, etag).statusCode());
        HttpResponse<byte[]> anonymous = bytes(HttpClient.newHttpClient(), frame, etag);
        assertEquals(401, anonymous.statusCode());
        assertNotEquals(304, anonymous.statusCode());
    }

    private static HttpClient guestOfAReadoutOn(String study) throws Exception {
        HttpResponse<String> created = post(
                attending,
                "/api/readouts",
                "{\"title\":\"t\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\"" + study + "\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        HttpResponse<String> invite =
                post(attending, "/api/readouts/" + id + "/invites", "{\"role\":\"student\",\"minutes\":30}");
        assertEquals(201, invite.statusCode(), invite.body());
        HttpClient g =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> joined = post(
                g,
                "/api/readouts/join",
                "{\"token\":\"" + JSON.readTree(invite.body()).path("token").asText() + "\",\"name\":\"Guest\"}");
        assertEquals(200, joined.statusCode(), joined.body());
        return g;
    }

    private static String thumbnail(String study, String series) {
        return "/dicomweb/local/studies/" + study + "/series/" + series + "/thumbnail";
    }

    private static String uid(JsonNode dataset, String tag) {
        return dataset.path(tag).path("Value").get(0).asText();
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> bytes(HttpClient c, String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http().resolve(path));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> post(HttpClient c, String path, String json) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .header("Origin", "http://" + server.http().getAuthority())
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
