package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.export.ExportSigningKey;
import org.medsync.server.TestServer;
import org.w3c.dom.Document;

/** The evidence routes on a running server: admins only (but the public key), and what they answer. */
class ArchiveEvidenceRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Archive archive;
    private static Recording recording;

    @BeforeAll
    static void seed() throws Exception {
        server = TestServer.start(false, new Properties());
        archive = server.server().archive();
        archive.hospitals().save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        Path file = Files.write(server.dataDir().resolve("clip.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
        var stored = archive.vault().put(file, "north");
        recording = archive.recordings()
                .create(
                        new Recording.Declared(
                                "north",
                                "OR 2",
                                null,
                                "Dr Cutter",
                                "attending",
                                "Appendectomy",
                                "ACC-1",
                                "1.2.3",
                                "PID-SECRET-1",
                                "Doe^Jane",
                                Instant.parse("2026-11-20T08:00:00Z"),
                                "appendectomy",
                                "clip.mp4"),
                        stored.sha256(),
                        stored.size(),
                        "video/mp4");
        archive.accessLog().append("attending", AccessLog.ActorKind.USER, recording.id(), "view", true, null);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void onlyAdminsExportAndTheyGetASignedZip() throws Exception {
        String body = "{\"recordings\":[\"" + recording.id() + "\"],\"recipient\":\"Insurer X, claim 77\","
                + "\"reason\":\"liability claim\"}";
        assertEquals(
                403,
                post(server.login("attending"), "/api/archive/exports", body).statusCode());
        assertEquals(
                401,
                post(HttpClient.newHttpClient(), "/api/archive/exports", body).statusCode());
        HttpClient admin = server.login("admin");
        assertEquals(400, post(admin, "/api/archive/exports", "[1]").statusCode());
        assertEquals(
                400,
                post(admin, "/api/archive/exports", "{\"recordings\":[\"" + recording.id() + "\"],\"recipient\":\"x\"}")
                        .statusCode());
        HttpResponse<byte[]> missing =
                post(admin, "/api/archive/exports", "{\"recordings\":[\"nope\"],\"recipient\":\"x\",\"reason\":\"y\"}");
        assertEquals(404, missing.statusCode());

        HttpResponse<byte[]> r = post(admin, "/api/archive/exports", body);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/zip", r.headers().firstValue("Content-Type").orElseThrow());
        Map<String, byte[]> zip = unzip(r.body());
        byte[] manifest = zip.get("manifest.sha256");
        byte[] signature = zip.get("manifest.sha256.sig");
        // The key the archive publishes verifies the package.
        HttpResponse<byte[]> key = get(HttpClient.newHttpClient(), "/api/archive/export-key");
        assertEquals(200, key.statusCode());
        String pem = new String(key.body(), StandardCharsets.US_ASCII);
        assertEquals(pem, new String(zip.get("export-key.pem"), StandardCharsets.US_ASCII));
        ExportSigningKey published = archive.exportSigningKey();
        assertEquals(
                published.fingerprint(),
                key.headers().firstValue("X-MedSync-Key-SHA256").orElseThrow());
        assertTrue(published.verify(manifest, signature));
        assertTrue(new String(manifest, StandardCharsets.UTF_8)
                .contains("recordings/" + recording.id() + "/source/clip.mp4"));

        JsonNode last = JSON.readTree(get(admin, "/api/archive/audit/verify").body());
        assertTrue(last.get("ok").asBoolean(), last.toString());
        // The export is audited with who asked, for whom and why.
        var entries = archive.audit().entries(recording.id(), null, null);
        var export = entries.getLast();
        assertEquals("export", export.action());
        assertEquals("admin", export.actor());
        assertTrue(export.detail().contains("Insurer X, claim 77")
                && export.detail().contains("liability claim"));
    }

    @Test
    void theAuditTrailIsVerifiedAndExportedAsXmlByAdminsOnly() throws Exception {
        HttpClient admin = server.login("admin");
        assertEquals(
                403, get(server.login("resident"), "/api/archive/audit/verify").statusCode());
        assertEquals(403, get(server.login("resident"), "/api/archive/audit").statusCode());
        JsonNode ok = JSON.readTree(get(admin, "/api/archive/audit/verify").body());
        assertTrue(ok.get("ok").asBoolean());
        assertTrue(ok.get("count").asLong() >= 1);

        HttpResponse<byte[]> xml = get(admin, "/api/archive/audit?recording=" + recording.id() + "&from=2026-01-01");
        assertEquals(200, xml.statusCode());
        Document doc =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.body()));
        assertEquals(
                archive.audit().entries(recording.id(), null, null).size(),
                doc.getElementsByTagName("AuditMessage").getLength());
        assertFalse(new String(xml.body(), StandardCharsets.UTF_8).contains("Doe^Jane"), "no patient field");
        assertEquals(400, get(admin, "/api/archive/audit?from=yesterday").statusCode());

        // An edited row: verification names it.
        long id = archive.audit().entries(recording.id(), null, null).getFirst().id();
        try (Connection c = archive.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("update archive_access set actor = 'someone-else' where id = " + id);
            JsonNode broken =
                    JSON.readTree(get(admin, "/api/archive/audit/verify").body());
            assertFalse(broken.get("ok").asBoolean());
            assertEquals(id, broken.get("brokenId").asLong());
            assertEquals("hash-mismatch", broken.get("problem").asText());
            s.execute("update archive_access set actor = 'attending' where id = " + id);
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private static HttpResponse<byte[]> get(HttpClient client, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(HttpClient client, String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .header("Origin", server.http().toString().replaceAll("/$", ""))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
