package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.catalog.Recording;
import org.medsync.server.TestServer;

/**
 * The upload endpoint driven with raw HTTP exactly as tus 1.0.0 describes it (no tus library): what a recorder
 * written from docs/archive-api.md alone sends and receives, refusals included.
 */
class TusInteropTest {
    private static TestServer server;
    private static String credential;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        ArchiveAdmin admin = new ArchiveAdmin(server.login("admin"), server.http());
        admin.hospital("interop");
        admin.member("interop", "attending");
        credential = admin.device("interop-or-1", "interop");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.http().resolve(path))
                .header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + credential);
    }

    static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String create(long length, String sha256) throws Exception {
        HttpResponse<String> r = send(request("/api/archive/uploads")
                .header("Upload-Length", String.valueOf(length))
                .header(
                        "Upload-Metadata",
                        "filename " + b64("clip.mov") + ",sha256 " + b64(sha256) + ",startedAt "
                                + b64("2026-03-01T08:15:30+01:00"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Resumable").orElseThrow());
        assertNotNull(r.headers().firstValue("Upload-Expires").orElse(null));
        return r.headers().firstValue("Location").orElseThrow();
    }

    static HttpResponse<String> patch(String location, long offset, byte[] body) throws Exception {
        return send(request(location)
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", String.valueOf(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return ArchiveAdmin.JSON.readTree(r.body());
    }

    @Test
    void options_advertisesTheProtocol() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.http().resolve("/api/archive/uploads"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(204, r.statusCode());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals(
                "creation,termination,checksum,expiration",
                r.headers().firstValue("Tus-Extension").orElseThrow());
        assertEquals("sha256", r.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow());
        assertEquals("200000000000", r.headers().firstValue("Tus-Max-Size").orElseThrow());
    }

    @Test
    void aWholeSession_createHeadPatchResumeFinish() throws Exception {
        byte[] file = new byte[100_000];
        new Random(1).nextBytes(file);
        String sha = RecorderTestFiles.sha256(file);
        String location = create(file.length, sha);
        assertTrue(location.matches("/api/archive/uploads/[0-9a-f]{32}"), location);

        HttpResponse<String> head = send(request(location)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(200, head.statusCode());
        assertEquals("0", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("100000", head.headers().firstValue("Upload-Length").orElseThrow());
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());

        HttpResponse<String> first = patch(location, 0, Arrays.copyOfRange(file, 0, 40_000));
        assertEquals(204, first.statusCode(), first.body());
        assertEquals("40000", first.headers().firstValue("Upload-Offset").orElseThrow());

        HttpResponse<String> stale = patch(location, 0, Arrays.copyOfRange(file, 0, 40_000));
        assertEquals(409, stale.statusCode());
        assertEquals("offset-mismatch", error(stale).get("error").asText());

        byte[] rest = Arrays.copyOfRange(file, 40_000, 100_000);
        String checksum = Base64.getEncoder()
                .encodeToString(
                        java.security.MessageDigest.getInstance("SHA-256").digest(rest));
        HttpResponse<String> last = send(request(location)
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "40000")
                .header("Upload-Checksum", "sha256 " + checksum)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(rest))
                .build());
        assertEquals(204, last.statusCode(), last.body());
        assertEquals("100000", last.headers().firstValue("Upload-Offset").orElseThrow());
        String recordingId = last.headers().firstValue("MedSync-Recording").orElseThrow();
        Recording r = server.server().archive().recordings().find(recordingId).orElseThrow();
        assertEquals(sha, r.sourceObject());
        assertEquals("clip.mov", r.sourceName());
    }

    @Test
    void aWrongDeclaredSha256_isRefusedWith460_andTheUploadDiscarded() throws Exception {
        byte[] file = new byte[5000];
        new Random(2).nextBytes(file);
        String location = create(file.length, "0".repeat(64));
        HttpResponse<String> r = patch(location, 0, file);
        assertEquals(460, r.statusCode());
        JsonNode e = error(r);
        assertEquals("file-sha256-mismatch", e.get("error").asText());
        assertTrue(e.get("message").asText().contains(RecorderTestFiles.sha256(file)), e.toString());
        HttpResponse<String> head = send(request(location)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(410, head.statusCode());
    }

    @Test
    void refusals_eachWithItsStatusAndCode() throws Exception {
        String location = create(10, "1".repeat(64));
        HttpResponse<String> noVersion =
                send(HttpRequest.newBuilder(server.http().resolve(location))
                        .header("Authorization", "Bearer " + credential)
                        .header("Content-Type", "application/offset+octet-stream")
                        .header("Upload-Offset", "0")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                        .build());
        assertEquals(412, noVersion.statusCode());
        assertEquals("1.0.0", noVersion.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals("tus-resumable-missing", error(noVersion).get("error").asText());

        HttpResponse<String> wrongType = send(request(location)
                .header("Content-Type", "application/octet-stream")
                .header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build());
        assertEquals(415, wrongType.statusCode());

        HttpResponse<String> tooLong = patch(location, 0, new byte[11]);
        assertEquals(413, tooLong.statusCode());
        assertEquals("body-too-long", error(tooLong).get("error").asText());

        HttpResponse<String> badMetadata = send(request("/api/archive/uploads")
                .header("Upload-Length", "10")
                .header("Upload-Metadata", "sha256 " + b64("1".repeat(64)) + ",startedAt " + b64("yesterday"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(400, badMetadata.statusCode());
        assertEquals("bad-metadata-value", error(badMetadata).get("error").asText());

        HttpResponse<String> tooBig = send(request("/api/archive/uploads")
                .header("Upload-Length", "200000000001")
                .header(
                        "Upload-Metadata",
                        "sha256 " + b64("1".repeat(64)) + ",startedAt " + b64("2026-03-01T08:00:00Z"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(413, tooBig.statusCode());

        HttpResponse<String> anonymous =
                send(HttpRequest.newBuilder(server.http().resolve("/api/archive/uploads"))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Upload-Length", "10")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertEquals(401, anonymous.statusCode());
        assertEquals("not-authenticated", error(anonymous).get("error").asText());

        HttpResponse<String> deleted = send(request(location).DELETE().build());
        assertEquals(204, deleted.statusCode());
        assertEquals(410, patch(location, 0, new byte[10]).statusCode());
    }

    /** Java's HttpURLConnection cannot send PATCH: tus clients on it POST with X-HTTP-Method-Override. */
    @Test
    void methodOverride_patchAndDelete() throws Exception {
        byte[] file = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
        String location = create(file.length, RecorderTestFiles.sha256(file));
        HttpResponse<String> r = send(request(location)
                .header("X-HTTP-Method-Override", "PATCH")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                .build());
        assertEquals(204, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("MedSync-Recording").isPresent());
    }

    /** From the browser: the session of a member clinician, from the server's own origin only. */
    @Test
    void browserUpload_withTheSession_sameOriginOnly_cliniciansOnly() throws Exception {
        HttpClient attending = server.login("attending");
        byte[] file = new byte[3000];
        new Random(3).nextBytes(file);
        String metadata = "sha256 " + b64(RecorderTestFiles.sha256(file)) + ",startedAt " + b64("2026-03-01T08:00:00Z")
                + ",hospital " + b64("interop");
        URI uploads = server.http().resolve("/api/archive/uploads");
        HttpResponse<String> crossSite = attending.send(
                HttpRequest.newBuilder(uploads)
                        .header("Tus-Resumable", "1.0.0")
                        .header("Origin", "https://evil.example")
                        .header("Upload-Length", "3000")
                        .header("Upload-Metadata", metadata)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode());
        String origin = "http://" + server.http().getAuthority();
        HttpResponse<String> created = attending.send(
                HttpRequest.newBuilder(uploads)
                        .header("Tus-Resumable", "1.0.0")
                        .header("Origin", origin)
                        .header("Upload-Length", "3000")
                        .header("Upload-Metadata", metadata)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> done = attending.send(
                HttpRequest.newBuilder(server.http()
                                .resolve(
                                        created.headers().firstValue("Location").orElseThrow()))
                        .header("Tus-Resumable", "1.0.0")
                        .header("Origin", origin)
                        .header("Content-Type", "application/offset+octet-stream")
                        .header("Upload-Offset", "0")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, done.statusCode(), done.body());
        Recording r = server.server()
                .archive()
                .recordings()
                .find(done.headers().firstValue("MedSync-Recording").orElseThrow())
                .orElseThrow();
        assertEquals("attending", r.owner());

        HttpResponse<String> student = server.login("student")
                .send(
                        HttpRequest.newBuilder(uploads)
                                .header("Tus-Resumable", "1.0.0")
                                .header("Upload-Length", "3000")
                                .header("Upload-Metadata", metadata)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(403, student.statusCode());
        HttpResponse<String> notMember = server.login("resident")
                .send(
                        HttpRequest.newBuilder(uploads)
                                .header("Tus-Resumable", "1.0.0")
                                .header("Upload-Length", "3000")
                                .header("Upload-Metadata", metadata)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(403, notMember.statusCode());
        assertEquals("not-a-member", error(notMember).get("error").asText());
    }
}
