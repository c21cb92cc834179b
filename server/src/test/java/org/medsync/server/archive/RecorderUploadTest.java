package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Recording;
import org.medsync.recorder.RecorderClient;
import org.medsync.recorder.UploadRefusedException;
import org.medsync.server.TestServer;

/** A recorder (the recorder module's client) uploading to the real server routes, and the admin API around it. */
class RecorderUploadTest {
    private static TestServer server;
    private static ArchiveAdmin admin;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        admin = new ArchiveAdmin(server.login("admin"), server.http());
        admin.hospital("general");
        admin.member("general", "attending");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    Path video(String name, int bytes) throws Exception {
        byte[] b = new byte[bytes];
        new Random(bytes).nextBytes(b);
        return Files.write(temp.resolve(name), b);
    }

    RecorderClient client(String credential, Path state, int requestBytes) throws Exception {
        return new RecorderClient(
                new RecorderClient.Settings(server.http(), credential, state, requestBytes, Duration.ofSeconds(20)));
    }

    @Test
    void aRecorderUploadsInChunks_andTheRecordingHasTheFileAndItsMetadata() throws Exception {
        String credential = admin.device("general-or-1", "general");
        Path file = video("case.mp4", 1_500_000);
        List<Long> sent = new ArrayList<>();
        RecorderClient.Result result = client(credential, temp.resolve("state"), 256 * 1024)
                .upload(
                        file,
                        org.medsync.recorder.Recording.startedAt(Instant.parse("2026-03-01T08:00:00Z"))
                                .withStudy("ACC-9", "1.2.826.0.1.9")
                                .withPatient("PID-1", "Doe^John")
                                .withOperator("Dr Who", "Appendectomy"),
                        (offset, length) -> sent.add(offset));
        assertTrue(sent.size() >= 5, "sent in several requests: " + sent);
        Recording r = server.server()
                .archive()
                .recordings()
                .find(result.recordingId())
                .orElseThrow();
        assertEquals(RecorderTestFiles.sha256(file), r.sourceObject());
        assertEquals("general", r.hospitalId());
        assertEquals("OR 1", r.operatingRoom());
        assertEquals("general-or-1", r.deviceId());
        assertEquals("1.2.826.0.1.9", r.studyUid());
        assertEquals("Doe^John", r.patientName());
        assertEquals(Instant.parse("2026-03-01T08:00:00Z"), r.startedAt());
        // Accepted, and this node's worker may have claimed its transcode already (the upload's last byte queues it).
        assertTrue(
                EnumSet.of(Recording.Status.UPLOADED, Recording.Status.PROCESSING, Recording.Status.READY)
                        .contains(r.status()),
                r.status().toString());
        try (InputStream in = server.server().archive().vault().open(r.sourceObject(), 0, -1)) {
            assertArrayEquals(Files.readAllBytes(file), in.readAllBytes());
        }
    }

    /** A recorder that stops mid-upload (crash, power) and starts again continues from the server's offset. */
    @Test
    void aRestartedRecorder_continuesFromTheLastByte() throws Exception {
        String credential = admin.device("general-or-2", "general");
        Path file = video("long.mp4", 2_000_000);
        Path state = temp.resolve("state");
        AtomicLong abandonedAt = new AtomicLong();
        org.medsync.recorder.Recording declared =
                org.medsync.recorder.Recording.startedAt(Instant.parse("2026-03-02T07:00:00Z"));
        assertThrows(
                IllegalStateException.class,
                () -> client(credential, state, 128 * 1024).upload(file, declared, (offset, length) -> {
                    if (offset >= 700_000) {
                        abandonedAt.set(offset);
                        throw new IllegalStateException("the recorder lost power");
                    }
                }));
        AtomicLong resumedAt = new AtomicLong(-1);
        RecorderClient.Result result = client(credential, state, 128 * 1024)
                .upload(file, declared, new RecorderClient.Progress() {
                    @Override
                    public void uploaded(long offset, long length) {}

                    @Override
                    public void resumed(long offset, long length) {
                        resumedAt.set(offset);
                    }
                });
        assertTrue(resumedAt.get() > 0, "resumed, not restarted: " + resumedAt.get());
        assertTrue(resumedAt.get() <= abandonedAt.get());
        assertEquals(
                RecorderTestFiles.sha256(file),
                server.server()
                        .archive()
                        .recordings()
                        .find(result.recordingId())
                        .orElseThrow()
                        .sourceObject());
    }

    /** An admin revokes a recorder mid-upload: its very next request is refused, and the upload stops. */
    @Test
    void aRevokedDevice_isRefusedAtOnce() throws Exception {
        String credential = admin.device("general-or-3", "general");
        Path file = video("revoked.mp4", 1_000_000);
        AtomicLong afterRevoke = new AtomicLong();
        UploadRefusedException e = assertThrows(
                UploadRefusedException.class,
                () -> client(credential, temp.resolve("state"), 64 * 1024)
                        .upload(file, org.medsync.recorder.Recording.startedAt(Instant.now()), (offset, length) -> {
                            if (afterRevoke.get() == 0 && offset >= 200_000) {
                                try {
                                    admin.revoke("general-or-3");
                                } catch (Exception failed) {
                                    throw new IllegalStateException(failed);
                                }
                                afterRevoke.set(offset);
                            }
                        }));
        assertEquals(401, e.status());
        assertEquals("device-revoked", e.error());
        assertTrue(afterRevoke.get() > 0);
        assertThrows(
                UploadRefusedException.class,
                () -> client(credential, temp.resolve("state2"), 64 * 1024)
                        .upload(
                                video("again.mp4", 1000),
                                org.medsync.recorder.Recording.startedAt(Instant.now()),
                                RecorderClient.Progress.NONE));
    }

    @Test
    void aWrongCredential_isRefused_andItsSecretNotEchoed() throws Exception {
        String credential = admin.device("general-or-4", "general");
        String wrong = credential.substring(0, credential.length() - 4) + "AAAA";
        UploadRefusedException e = assertThrows(
                UploadRefusedException.class,
                () -> client(wrong, temp.resolve("state"), 64 * 1024)
                        .upload(
                                video("x.mp4", 1000),
                                org.medsync.recorder.Recording.startedAt(Instant.now()),
                                RecorderClient.Progress.NONE));
        assertEquals(401, e.status());
        assertEquals("bad-credential", e.error());
        assertFalse(e.getMessage().contains(wrong.substring(25)));
    }

    /** Wrong, revoked and malformed credentials each leave a refused 'device' row in archive_access, no secret. */
    @Test
    void refusedCredentials_areInTheAccessLog_withoutTheirSecret() throws Exception {
        String credential = admin.device("general-or-5", "general");
        // msd_<device id>_<secret>: device ids never hold '_', base64url secrets may.
        String secret = credential.substring(credential.indexOf('_', "msd_".length()) + 1);
        String wrong = credential.substring(0, credential.length() - 4) + "AAAA";
        int wrongStatus = post(wrong);
        admin.revoke("general-or-5");
        int revokedStatus = post(credential);
        int malformedStatus = post("msd_" + secret.replace('_', '-')); // no second '_': no device id
        assertEquals(List.of(401, 401, 401), List.of(wrongStatus, revokedStatus, malformedStatus));
        List<AccessLog.Entry> refused = server.server().archive().accessLog().latest(100).stream()
                .filter(e -> e.action().equals("device-refused"))
                .toList();
        List<AccessLog.Entry> mine = refused.stream()
                .filter(e -> e.actor().equals("general-or-5") || e.actor().equals(RecorderRoutes.MALFORMED_ACTOR))
                .toList();
        assertEquals(3, mine.size(), refused.toString());
        for (AccessLog.Entry e : mine) {
            assertEquals("device", e.actorKind());
            assertFalse(e.allowed());
            assertNull(e.recordingId());
            assertFalse(e.detail().contains(secret.substring(0, 12)), e.detail());
            assertFalse(e.detail().contains("AAAA"), e.detail());
        }
        assertTrue(mine.stream().anyMatch(e -> e.detail().startsWith("wrong secret")), mine.toString());
        assertTrue(mine.stream().anyMatch(e -> e.detail().startsWith("revoked credential")), mine.toString());
        assertTrue(mine.stream().anyMatch(e -> e.detail().startsWith("malformed credential")), mine.toString());
    }

    private static int post(String credential) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/archive/uploads"))
                                .header("Authorization", "Bearer " + credential)
                                .header("Tus-Resumable", "1.0.0")
                                .header("Upload-Length", "10")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    @Test
    void adminApi_hospitalsMembersDevices_andOnlyForAdmins() throws Exception {
        JsonNode h = admin.ok(
                admin.send(
                        "POST",
                        "/api/archive/hospitals",
                        "{\"id\":\"st-anne\",\"name\":\"St Anne\",\"masterPolicy\":\"hevc-422\",\"masterMinPsnr\":46,"
                                + "\"anonymizeRegions\":[{\"x\":0,\"y\":0,\"w\":1,\"h\":0.08}]}"),
                201);
        assertEquals("hevc-422", h.get("masterPolicy").asText());
        assertEquals(0.08, h.get("anonymizeRegions").get(0).get("h").asDouble());
        assertEquals(
                400,
                admin.send("POST", "/api/archive/hospitals", "{\"id\":\"Bad Id\",\"name\":\"x\"}")
                        .statusCode());
        HttpResponse<String> badRegion = admin.send(
                "POST",
                "/api/archive/hospitals",
                "{\"id\":\"x1\",\"name\":\"x\",\"anonymizeRegions\":[{\"x\":0.9,\"y\":0,\"w\":0.5,\"h\":0.1}]}");
        assertEquals(400, badRegion.statusCode());
        assertEquals(
                "bad-hospital",
                ArchiveAdmin.JSON.readTree(badRegion.body()).get("error").asText());
        admin.member("st-anne", "resident");
        assertEquals(
                404,
                admin.send("PUT", "/api/archive/hospitals/st-anne/members/nobody", null)
                        .statusCode());
        assertEquals(
                404,
                admin.send("PUT", "/api/archive/hospitals/nowhere/members/resident", null)
                        .statusCode());

        JsonNode issued = admin.ok(
                admin.send("POST", "/api/archive/devices", "{\"hospital\":\"st-anne\",\"operatingRoom\":\"OR 2\"}"),
                201);
        String id = issued.get("id").asText();
        assertTrue(issued.get("credential").asText().startsWith("msd_" + id + "_"));
        JsonNode list = admin.ok(admin.send("GET", "/api/archive/devices?hospital=st-anne", null), 200);
        assertEquals(1, list.get("devices").size());
        assertNull(list.get("devices").get(0).get("credential"), "the credential is shown once only");
        assertFalse(list.toString().contains(issued.get("credential").asText().substring(20)));
        assertEquals(
                409,
                admin.send(
                                "POST",
                                "/api/archive/devices",
                                "{\"id\":\"" + id + "\",\"hospital\":\"st-anne\",\"operatingRoom\":\"OR\"}")
                        .statusCode());
        admin.revoke(id);
        JsonNode revoked = admin.ok(admin.send("GET", "/api/archive/devices?hospital=st-anne", null), 200);
        assertEquals("admin", revoked.get("devices").get(0).get("revokedBy").asText());
        assertEquals(
                404, admin.send("DELETE", "/api/archive/devices/nope", null).statusCode());

        ArchiveAdmin resident = new ArchiveAdmin(server.login("resident"), server.http());
        assertEquals(
                403,
                resident.send("POST", "/api/archive/devices", "{\"hospital\":\"st-anne\",\"operatingRoom\":\"OR\"}")
                        .statusCode());
        assertEquals(
                403,
                resident.send("POST", "/api/archive/hospitals", "{\"id\":\"mine\",\"name\":\"Mine\"}")
                        .statusCode());
        assertEquals(403, resident.send("GET", "/api/archive/devices", null).statusCode());
        JsonNode mine = resident.ok(resident.send("GET", "/api/archive/hospitals", null), 200);
        assertEquals(1, mine.get("hospitals").size(), "a user sees their own hospitals: " + mine);
        assertEquals("st-anne", mine.get("hospitals").get(0).get("id").asText());
        assertNull(mine.get("hospitals").get(0).get("members"));
    }
}
