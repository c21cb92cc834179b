package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.server.TestServer;

/**
 * Retention, holds and deletion on the wire: only admins and the configured hold roles place and lift holds (with a
 * reason), only admins delete, a deletion before the retention end or under a hold answers 409 saying why and until
 * when, and every attempt on a recording, refused or not, is in the access log.
 */
class RetentionRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static Archive archive;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("archive.retention.hold-roles", "attending");
        server = TestServer.start(false, p);
        archive = server.server().archive();
        work = Files.createTempDirectory(Path.of("/tmp"), "medsync-retention-routes-");
        for (String h : List.of("young", "old")) {
            archive.hospitals().save(new Hospital(h, h, Hospital.MasterPolicy.KEEP, 45, List.of()));
            for (String u : List.of("attending", "resident", "student", "observer")) {
                archive.hospitals().addMember(h, u);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void onlyAdminsAndHoldRolesHold_onlyAdminsDelete_andRefusalsSayWhyAndUntilWhen() throws Exception {
        Recording r = recording("young", "2026-11-30T08:00:00Z");
        String path = "/api/archive/recordings/" + r.id();
        HttpClient admin = server.login("admin");

        // The recording page shows its retention: the default, 20 years after the last visit.
        JsonNode detail = json(send(admin, "GET", path, null), 200);
        assertEquals(
                "2046-12-01T00:00:00Z", detail.path("retention").path("until").asText());
        assertTrue(detail.path("retention").path("explanation").asText().contains("20 years after"));
        JsonNode studentView = json(send(server.login("student"), "GET", "/api/archive/recordings", null), 200);
        assertFalse(studentView.toString().contains("retention"), "de-identified viewers see no visit dates");

        String hold = "{\"scope\":\"recording\",\"recording\":\"" + r.id() + "\",\"reason\":\"court order 17/26\"}";
        for (String role : List.of("resident", "student", "observer")) {
            HttpClient user = server.login(role);
            assertEquals(403, send(user, "POST", "/api/archive/holds", hold).statusCode(), role);
            assertEquals(403, send(user, "GET", "/api/archive/holds", null).statusCode(), role);
            int status = send(user, "DELETE", path, "{\"reason\":\"tidy up\"}").statusCode();
            // Students and observers do not see an original at all: 404, like a recording that does not exist.
            assertEquals(role.equals("resident") ? 403 : 404, status, role);
        }
        HttpClient attending = server.login("attending");
        assertEquals(403, send(attending, "DELETE", path, "{\"reason\":\"x\"}").statusCode(), "holds, not deletes");
        assertEquals(
                400,
                send(attending, "POST", "/api/archive/holds", hold.replace("court order 17/26", " "))
                        .statusCode());
        JsonNode placed = json(send(attending, "POST", "/api/archive/holds", hold), 201);
        String holdId = placed.path("id").asText();
        assertEquals("attending", placed.path("placedBy").asText());

        JsonNode refused = json(send(admin, "DELETE", path, "{\"reason\":\"patient request\"}"), 409);
        assertEquals("legal-hold", refused.path("error").asText());
        assertEquals("2046-12-01T00:00:00Z", refused.path("retainedUntil").asText());
        assertTrue(refused.path("message").asText().contains("until 2046-12-01T00:00:00Z"), refused.toString());
        assertTrue(refused.path("message").asText().contains(holdId), refused.toString());
        assertEquals(400, send(admin, "DELETE", path, "{}").statusCode(), "a deletion needs a reason");

        assertEquals(
                403,
                send(server.login("resident"), "POST", "/api/archive/holds/" + holdId + "/lift", "{\"reason\":\"x\"}")
                        .statusCode());
        assertEquals(
                400,
                send(attending, "POST", "/api/archive/holds/" + holdId + "/lift", "{}")
                        .statusCode());
        JsonNode lifted = json(
                send(attending, "POST", "/api/archive/holds/" + holdId + "/lift", "{\"reason\":\"order lapsed\"}"),
                200);
        assertFalse(lifted.path("active").asBoolean());
        JsonNode retained = json(send(admin, "DELETE", path, "{\"reason\":\"patient request\"}"), 409);
        assertEquals("retained", retained.path("error").asText());

        List<String> actions = archive.accessLog().of(r.id()).stream()
                .filter(e -> !e.action().equals("view"))
                .map(e -> e.actor() + ":" + e.action() + ":" + e.allowed())
                .toList();
        assertEquals(
                List.of(
                        "resident:hold:false",
                        "resident:delete-refused:false",
                        // Roles that see no original cannot hold it either; the attempt is still on record.
                        "student:hold:false",
                        "observer:hold:false",
                        "attending:delete-refused:false",
                        "attending:hold:true",
                        "admin:delete-refused:false",
                        "admin:delete-refused:false",
                        "resident:hold-lift:false",
                        "attending:hold-lift:true",
                        "admin:delete-refused:false"),
                actions);
    }

    @Test
    void afterItsRetention_anAdminDeletesARecording_andItsObjectsLeaveTheStore() throws Exception {
        HttpClient admin = server.login("admin");
        JsonNode policy = json(
                send(
                        admin,
                        "PUT",
                        "/api/archive/retention/policies",
                        "{\"hospital\":\"old\",\"years\":1,\"anchor\":\"recording\",\"note\":\"test\"}"),
                200);
        assertEquals(1, policy.path("years").asInt());
        assertEquals(
                400,
                send(admin, "PUT", "/api/archive/retention/policies", "{\"hospital\":\"old\",\"years\":\"ten\"}")
                        .statusCode());
        assertEquals(
                403,
                send(server.login("attending"), "PUT", "/api/archive/retention/policies", "{\"years\":1}")
                        .statusCode());
        Recording r = recording("old", "2020-01-10T08:00:00Z");
        assertTrue(archive.vault().find(r.sourceObject()).isPresent());

        JsonNode run = json(send(admin, "POST", "/api/archive/retention/runs", "{}"), 202);
        assertTrue(run.path("job").asLong() > 0);

        JsonNode deleted = json(
                send(admin, "DELETE", "/api/archive/recordings/" + r.id(), "{\"reason\":\"retention over\"}"), 200);
        assertEquals(List.of(r.id()), JSON.convertValue(deleted.path("recordings"), List.class));
        assertEquals(1, deleted.path("objectsRemoved").asInt());
        assertTrue(archive.vault().find(r.sourceObject()).isEmpty());
        assertTrue(archive.vault().store().size(r.sourceObject()).isEmpty(), "gone from the store");
        assertEquals(
                404,
                send(admin, "GET", "/api/archive/recordings/" + r.id(), null).statusCode());
        List<AccessLog.Entry> log = archive.accessLog().of(r.id());
        assertEquals("delete", log.getLast().action());
        assertTrue(log.getLast().detail().contains("retention over"));
    }

    private static Recording recording(String hospital, String startedAt) throws Exception {
        Path f = Files.writeString(work.resolve(UUID.randomUUID() + ".bin"), "video " + UUID.randomUUID());
        var o = archive.vault().put(f, hospital);
        return archive.recordings()
                .create(
                        new Recording.Declared(
                                hospital,
                                "OR 1",
                                null,
                                "Dr Test",
                                "attending",
                                "Hernia",
                                "ACC-" + UUID.randomUUID(),
                                null,
                                "PID-" + UUID.randomUUID(),
                                "Doe^John",
                                Instant.parse(startedAt),
                                "hernia",
                                "or1.mp4"),
                        o.sha256(),
                        o.size(),
                        "video/mp4");
    }

    private static HttpResponse<String> send(HttpClient client, String method, String path, String json)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http().resolve(path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
