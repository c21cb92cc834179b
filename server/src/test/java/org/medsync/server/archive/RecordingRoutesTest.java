package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.anonymize.Anonymizations;
import org.medsync.archive.anonymize.AnonymizeHandler;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Objects;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.vault.Vault;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Role;
import org.medsync.server.demo.DemoContent;

/**
 * The recordings routes on the wire, against a real server: students and observers only ever receive anonymized
 * recordings and never a patient field by any route; originals answer them 404; owner, hospital and other-hospital
 * clinicians, grants and links get exactly what the access rules say; every access is logged.
 */
class RecordingRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATIENT = "Doe^Jane";
    private static final String PATIENT_ID = "PID-4711-X";
    private static final String ACCESSION = "ACC-99173";
    private static final String STUDY = "1.2.826.0.1.3680043.2.1125.99173";
    private static final String TITLE = "Jane Doe lap chole";
    private static final List<String> SECRETS = List.of(PATIENT, "Doe", PATIENT_ID, ACCESSION, STUDY, TITLE);

    private static TestServer server;
    private static DataSource db;
    private static Vault store;
    private static Recording original;
    private static Recording copy;
    private static Path work;

    @BeforeAll
    static void seed() throws Exception {
        server = TestServer.start(false, new Properties());
        server.server().accounts().create("dr-south", "Dr. South", Role.ATTENDING, DemoContent.PASSWORD);
        Archive archive = server.server().archive();
        db = archive.dataSource();
        store = archive.vault();
        Hospitals hospitals = new Hospitals(db);
        hospitals.save(new Hospital(
                "north", "North", Hospital.MasterPolicy.KEEP, 45, List.of(new Hospital.Region(0, 0, 1, 0.2))));
        hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
        for (String u : List.of("attending", "resident", "student", "observer")) {
            hospitals.addMember("north", u);
        }
        hospitals.addMember("south", "dr-south");
        work = Files.createTempDirectory(Path.of("/tmp"), "medsync-recording-routes-");
        Path master = encode(work);
        var stored = store.put(master, "north");
        Recordings recordings = new Recordings(db);
        original = recordings.create(
                new Recording.Declared(
                        "north",
                        "OR 3",
                        null,
                        "Dr Cutter",
                        "attending",
                        "Cholecystectomy",
                        ACCESSION,
                        STUDY,
                        PATIENT_ID,
                        PATIENT,
                        Instant.parse("2026-05-20T08:00:00Z"),
                        TITLE,
                        "or3.mp4"),
                stored.sha256(),
                stored.size(),
                "video/mp4");
        addRenditions(original.id(), master, work);
        recordings.setStatus(original.id(), Recording.Status.READY, null);
        // The anonymized copy through the real job.
        var started = new Anonymizations(archive.recordings(), archive.jobs()).start(original);
        new AnonymizeHandler(db, store, work.resolve("anonymize"))
                .run(
                        new JobHandler.Job(
                                started.jobId(),
                                original.id(),
                                "anonymize",
                                AnonymizeHandler.params(started.copy().id()),
                                1),
                        (f, s) -> {});
        copy = recordings.find(started.copy().id()).orElseThrow();
    }

    /** A 2 s 320x180 master with a keyframe every second, as a transcode would leave it. */
    private static Path encode(Path dir) throws Exception {
        Path out = dir.resolve("master.mp4");
        ffmpeg(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=s=320x180:r=25:d=2",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                "25",
                "-metadata",
                "title=" + PATIENT,
                out.toString()));
        return out;
    }

    /** master, hls-180 (cut from the master) and storyboard rows and objects for a recording. */
    private static void addRenditions(String id, Path master, Path dir) throws Exception {
        Path hls = Files.createDirectories(dir.resolve("hls"));
        ffmpeg(List.of(
                "-i",
                master.toString(),
                "-c",
                "copy",
                "-f",
                "hls",
                "-hls_time",
                "1",
                "-hls_playlist_type",
                "vod",
                "-hls_segment_type",
                "fmp4",
                "-hls_fmp4_init_filename",
                "init.mp4",
                "-hls_segment_filename",
                hls.resolve("seg-%05d.m4s").toString(),
                hls.resolve("index.m3u8").toString()));
        Path board = Files.createDirectories(dir.resolve("board"));
        ffmpeg(List.of(
                "-i",
                master.toString(),
                "-vf",
                "fps=1,scale=160:90,tile=2x1",
                "-frames:v",
                "1",
                board.resolve("storyboard.jpg").toString()));
        Files.writeString(
                board.resolve("storyboard.json"),
                "{\"intervalSeconds\":1,\"columns\":2,\"rows\":1,\"tileWidth\":160,\"tileHeight\":90,\"count\":2}");
        rendition(id, "master", "master", 320, 180, List.of(master));
        try (Stream<Path> files = Files.list(hls)) {
            rendition(id, "hls-180", "hls", 320, 180, files.sorted().toList());
        }
        try (Stream<Path> files = Files.list(board)) {
            rendition(id, "storyboard", "storyboard", null, null, files.sorted().toList());
        }
    }

    private static void rendition(String id, String name, String kind, Integer w, Integer h, List<Path> files)
            throws Exception {
        Objects objects = new Objects(db);
        try (Connection c = db.getConnection();
                PreparedStatement r = c.prepareStatement("insert into archive_rendition (recording_id, name, kind,"
                        + " codec, profile, width, height, bitrate) values (?, ?, ?, 'h264', 'avc1.64000d', ?, ?,"
                        + " 400000)");
                PreparedStatement f = c.prepareStatement("insert into archive_rendition_file (recording_id,"
                        + " rendition, path, sha256, media_type) values (?, ?, ?, ?, 'application/octet-stream')")) {
            r.setString(1, id);
            r.setString(2, name);
            r.setString(3, kind);
            r.setObject(4, w);
            r.setObject(5, h);
            r.executeUpdate();
            for (Path p : files) {
                var o = store.put(p, "north");
                objects.record(o.sha256(), o.size(), "application/octet-stream");
                f.setString(1, id);
                f.setString(2, name);
                f.setString(3, p.getFileName().toString());
                f.setString(4, o.sha256());
                f.executeUpdate();
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void studentsAndObserversReceiveNothingIdentifyingByAnyRoute() throws Exception {
        String base = "/api/archive/recordings/";
        String o = base + original.id();
        String c = base + copy.id();
        String plainToken = createLink(server.login("attending"), original.id(), false);
        for (String role : List.of("student", "observer")) {
            HttpClient user = server.login(role);
            List<HttpResponse<byte[]>> seen = new ArrayList<>();

            HttpResponse<byte[]> list = get(user, "/api/archive/recordings");
            seen.add(list);
            assertEquals(200, list.statusCode());
            JsonNode recordings = JSON.readTree(list.body()).path("recordings");
            assertTrue(recordings.toString().contains(copy.id()), role + " lists the copy: " + recordings);
            for (JsonNode r : recordings) {
                assertTrue(r.path("anonymized").asBoolean(), role + " lists only anonymized copies: " + r);
                assertFalse(r.has("patientName") || r.has("derivedFrom") || r.has("studyUid"), r.toString());
            }
            for (String q : List.of("room=OR", "status=ready", "from=2026-01-01&to=2027-01-01", "surgeon=attending")) {
                HttpResponse<byte[]> r = get(user, "/api/archive/recordings?" + q);
                seen.add(r);
                assertEquals(200, r.statusCode(), q);
            }
            for (String q : List.of(
                    "patient=Doe",
                    "patient=" + enc(PATIENT_ID),
                    "study=" + STUDY,
                    "procedure=" + ACCESSION,
                    "accession=" + ACCESSION,
                    "PatientName=Doe*")) {
                HttpResponse<byte[]> r = get(user, "/api/archive/recordings?" + q);
                seen.add(r);
                assertEquals(400, r.statusCode(), q);
                assertEquals(
                        "identifying-match-key",
                        JSON.readTree(r.body()).path("error").asText(),
                        q);
            }
            for (String path : List.of(
                    o,
                    o + "/playlist.m3u8",
                    o + "/renditions/hls-180/index.m3u8",
                    o + "/renditions/hls-180/init.mp4",
                    o + "/renditions/hls-180/seg-00000.m4s",
                    o + "/renditions/master/master.mp4",
                    o + "/renditions/storyboard/storyboard.jpg",
                    o + "/shares",
                    c + "/renditions/master/master.mp4")) {
                HttpResponse<byte[]> r = get(user, path);
                seen.add(r);
                assertEquals(404, r.statusCode(), role + " " + path);
            }
            for (String path : List.of(o + "/grants", o + "/links", o + "/anonymize")) {
                HttpResponse<byte[]> r = post(
                        user,
                        path,
                        "{\"grantee\":\"" + role + "\",\"anonymized\":false,\"expiresAt\":\""
                                + Instant.now().plusSeconds(600) + "\"}");
                seen.add(r);
                assertEquals(404, r.statusCode(), role + " POST " + path);
            }
            HttpResponse<byte[]> detail = get(user, c);
            seen.add(detail);
            assertEquals(200, detail.statusCode());
            JsonNode d = JSON.readTree(detail.body());
            assertTrue(d.path("anonymized").asBoolean());
            assertFalse(d.path("may").path("share").asBoolean()
                    || d.path("may").path("downloadMaster").asBoolean());
            for (JsonNode rendition : d.path("renditions")) {
                assertFalse(rendition.path("kind").asText().equals("master"), "no master listed: " + d);
            }
            HttpResponse<byte[]> playlist = get(user, d.path("playlist").asText());
            seen.add(playlist);
            assertEquals(200, playlist.statusCode());
            String variant = new String(playlist.body(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.startsWith("renditions/"))
                    .findFirst()
                    .orElseThrow();
            HttpResponse<byte[]> media = get(user, c + "/" + variant);
            seen.add(media);
            assertEquals(200, media.statusCode());
            for (String file : List.of("init.mp4", "seg-00000.m4s")) {
                HttpResponse<byte[]> r = get(user, c + "/" + variant.replace("index.m3u8", file));
                seen.add(r);
                assertEquals(200, r.statusCode(), file);
            }
            HttpResponse<byte[]> linked = get(user, "/api/archive/links/" + plainToken);
            seen.add(linked);
            assertEquals(200, linked.statusCode());
            for (HttpResponse<byte[]> r : seen) {
                String body = new String(r.body(), StandardCharsets.ISO_8859_1);
                for (String secret : SECRETS) {
                    assertFalse(body.contains(secret), role + " got '" + secret + "' from " + r.uri());
                }
            }
        }
    }

    @Test
    void ownerHospitalAndOtherHospitalClinicians() throws Exception {
        String o = "/api/archive/recordings/" + original.id();
        for (String user : List.of("attending", "resident", "admin")) {
            HttpResponse<byte[]> r = get(server.login(user), o);
            assertEquals(200, r.statusCode(), user);
            JsonNode d = JSON.readTree(r.body());
            assertEquals(PATIENT, d.path("patientName").asText());
            assertTrue(d.path("may").path("share").asBoolean(), user);
            assertTrue(d.path("may").path("sendToPacs").asBoolean(), user);
            assertEquals(
                    "/api/archive/recordings/" + original.id() + "/playlist.m3u8",
                    d.path("playlist").asText());
            assertEquals(2, d.path("storyboard").path("count").asInt());
        }
        HttpClient south = server.login("dr-south");
        assertEquals(404, get(south, o).statusCode());
        assertEquals(404, get(south, "/api/archive/recordings/" + copy.id()).statusCode());
        assertEquals(404, get(south, o + "/playlist.m3u8").statusCode());
        JsonNode list = JSON.readTree(get(south, "/api/archive/recordings").body());
        assertEquals(0, list.path("recordings").size());
        JsonNode byPatient = JSON.readTree(get(server.login("resident"), "/api/archive/recordings?patient=doe")
                .body());
        assertEquals(
                original.id(), byPatient.path("recordings").get(0).path("id").asText());
    }

    @Test
    void grantsExpireAndAreRevoked() throws Exception {
        HttpClient owner = server.login("attending");
        HttpClient south = server.login("dr-south");
        String o = "/api/archive/recordings/" + original.id();
        HttpResponse<byte[]> g = post(
                owner,
                o + "/grants",
                "{\"grantee\":\"dr-south\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertEquals(201, g.statusCode(), new String(g.body(), StandardCharsets.UTF_8));
        String grantId = JSON.readTree(g.body()).path("id").asText();
        HttpResponse<byte[]> seen = get(south, o);
        assertEquals(200, seen.statusCode());
        assertFalse(JSON.readTree(seen.body()).path("may").path("share").asBoolean());
        assertEquals(
                403,
                post(
                                south,
                                o + "/grants",
                                "{\"grantee\":\"resident\",\"expiresAt\":\""
                                        + Instant.now().plusSeconds(60) + "\"}")
                        .statusCode());
        assertEquals(200, get(south, o + "/renditions/hls-180/init.mp4").statusCode());
        JsonNode shares = JSON.readTree(get(owner, o + "/shares").body());
        assertTrue(shares.path("grants").toString().contains(grantId));

        sql("update archive_grant set expires_at = now() - interval '1 second' where id = ?", grantId);
        assertEquals(404, get(south, o).statusCode(), "expired");

        String second = JSON.readTree(post(
                                owner,
                                o + "/grants",
                                "{\"grantee\":\"dr-south\",\"expiresAt\":\""
                                        + Instant.now().plusSeconds(3600) + "\"}")
                        .body())
                .path("id")
                .asText();
        assertEquals(200, get(south, o).statusCode());
        assertEquals(404, delete(south, "/api/archive/grants/" + second).statusCode(), "a grantee cannot revoke");
        assertEquals(204, delete(owner, "/api/archive/grants/" + second).statusCode());
        assertEquals(404, get(south, o).statusCode(), "revoked");

        assertEquals(
                400,
                post(
                                owner,
                                o + "/grants",
                                "{\"grantee\":\"nobody-here\",\"expiresAt\":\""
                                        + Instant.now().plusSeconds(60) + "\"}")
                        .statusCode());
        assertEquals(
                400,
                post(owner, o + "/grants", "{\"grantee\":\"dr-south\",\"expiresAt\":\"tomorrow\"}")
                        .statusCode());
        assertEquals(400, post(owner, o + "/grants", "not json").statusCode());
    }

    @Test
    void linksPlayWithoutLoginUntilRevokedOrExpiredAndAnonymizedLinksNeverServeTheOriginal() throws Exception {
        HttpClient owner = server.login("attending");
        HttpClient anyone = HttpClient.newHttpClient();
        String token = createLink(owner, original.id(), true);
        String l = "/api/archive/links/" + token;
        HttpResponse<byte[]> summary = get(anyone, l);
        assertEquals(200, summary.statusCode());
        JsonNode s = JSON.readTree(summary.body());
        // The newest ready copy: another test's anonymize job may have made one since this class's copy.
        String served = s.path("id").asText();
        Recording servedCopy = new Recordings(db).find(served).orElseThrow();
        assertTrue(servedCopy.anonymized() && original.id().equals(servedCopy.derivedFrom()), served);
        assertTrue(s.path("anonymized").asBoolean());
        assertEquals(l + "/playlist.m3u8", s.path("playlist").asText());
        String playlist = new String(get(anyone, l + "/playlist.m3u8").body(), StandardCharsets.UTF_8);
        String variant = playlist.lines()
                .filter(x -> x.startsWith("renditions/"))
                .findFirst()
                .orElseThrow();
        assertTrue(variant.startsWith("renditions/hls-"), variant);
        byte[] init =
                get(anyone, l + "/" + variant.replace("index.m3u8", "init.mp4")).body();
        byte[] copyInit = get(
                        owner, "/api/archive/recordings/" + served + "/" + variant.replace("index.m3u8", "init.mp4"))
                .body();
        assertTrue(java.util.Arrays.equals(copyInit, init), "the copy's bytes");
        // Both have a rung hls-180: through the anonymized link it is the copy's, never the original's.
        byte[] viaLink = get(anyone, l + "/renditions/hls-180/seg-00000.m4s").body();
        String seg = "/renditions/hls-180/seg-00000.m4s";
        assertTrue(java.util.Arrays.equals(
                get(owner, "/api/archive/recordings/" + served + seg).body(), viaLink));
        assertFalse(java.util.Arrays.equals(
                get(owner, "/api/archive/recordings/" + original.id() + seg).body(), viaLink));
        assertEquals(404, get(anyone, l + "/renditions/master/master.mp4").statusCode());

        String plain = createLink(owner, original.id(), false);
        assertEquals(
                200,
                get(anyone, "/api/archive/links/" + plain + "/renditions/hls-180/init.mp4")
                        .statusCode());
        assertEquals(
                404,
                get(anyone, "/api/archive/links/" + plain + "/renditions/master/master.mp4")
                        .statusCode());

        String linkId = JSON.readTree(get(owner, "/api/archive/recordings/" + original.id() + "/shares")
                        .body())
                .path("links")
                .get(0)
                .path("id")
                .asText();
        assertFalse(
                new String(
                                get(owner, "/api/archive/recordings/" + original.id() + "/shares")
                                        .body(),
                                StandardCharsets.UTF_8)
                        .contains(token),
                "tokens are shown once");
        assertEquals(204, delete(owner, "/api/archive/links/" + linkId).statusCode());
        int revoked = 0;
        for (String t : List.of(token, plain)) {
            if (get(anyone, "/api/archive/links/" + t).statusCode() == 404) {
                revoked++;
            }
        }
        assertEquals(1, revoked, "the newest link was revoked, the other still works");
        sql(
                "update archive_share_link set expires_at = now() - interval '1 second' where recording_id = ?",
                original.id());
        assertEquals(404, get(anyone, l).statusCode(), "expired");
        assertEquals(404, get(anyone, "/api/archive/links/" + plain).statusCode(), "expired");
        assertEquals(404, get(anyone, "/api/archive/links/garbage").statusCode());
        assertEquals(
                404,
                get(anyone, "/api/archive/links/" + "A".repeat(43) + "/playlist.m3u8")
                        .statusCode());
    }

    @Test
    void renditionFilesHonourRangesWithTheirMediaTypes() throws Exception {
        HttpClient owner = server.login("attending");
        String f = "/api/archive/recordings/" + original.id() + "/renditions/";
        HttpResponse<byte[]> whole = get(owner, f + "master/master.mp4");
        assertEquals(200, whole.statusCode());
        assertEquals("video/mp4", whole.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
        int size = whole.body().length;
        HttpResponse<byte[]> part = send(
                owner,
                HttpRequest.newBuilder(server.http().resolve(f + "master/master.mp4"))
                        .header("Range", "bytes=100-199")
                        .header("Accept-Encoding", "gzip")
                        .build());
        assertEquals(206, part.statusCode());
        assertEquals(
                "bytes 100-199/" + size,
                part.headers().firstValue("Content-Range").orElseThrow());
        assertTrue(part.headers().firstValue("Content-Encoding").isEmpty());
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(whole.body(), 100, 200), part.body()));
        HttpResponse<byte[]> past = send(
                owner,
                HttpRequest.newBuilder(server.http().resolve(f + "master/master.mp4"))
                        .header("Range", "bytes=" + size + "-")
                        .build());
        assertEquals(416, past.statusCode());
        assertEquals(
                "bytes */" + size, past.headers().firstValue("Content-Range").orElseThrow());
        for (var e : List.of(
                List.of("hls-180/index.m3u8", "application/vnd.apple.mpegurl"),
                List.of("hls-180/init.mp4", "video/mp4"),
                List.of("hls-180/seg-00000.m4s", "video/iso.segment"),
                List.of("storyboard/storyboard.jpg", "image/jpeg"),
                List.of("storyboard/storyboard.json", "application/json"))) {
            HttpResponse<byte[]> r = get(owner, f + e.get(0));
            assertEquals(200, r.statusCode(), e.get(0));
            assertEquals(e.get(1), r.headers().firstValue("Content-Type").orElseThrow(), e.get(0));
        }
        String master = new String(
                get(owner, "/api/archive/recordings/" + original.id() + "/playlist.m3u8")
                        .body(),
                StandardCharsets.UTF_8);
        assertTrue(master.contains("BANDWIDTH=400000,RESOLUTION=320x180,CODECS=\"avc1.64000d\""), master);
        assertTrue(master.contains("\nrenditions/hls-180/index.m3u8\n"), master);
    }

    @Test
    void anonymizeQueuesAJobForADerivedCopy() throws Exception {
        HttpClient owner = server.login("attending");
        HttpResponse<byte[]> r = post(owner, "/api/archive/recordings/" + original.id() + "/anonymize", "");
        assertEquals(202, r.statusCode());
        JsonNode a = JSON.readTree(r.body());
        assertTrue(a.path("recording").path("anonymized").asBoolean());
        assertEquals(original.id(), a.path("recording").path("derivedFrom").asText());
        assertEquals("processing", a.path("recording").path("status").asText());
        long job = a.path("job").asLong();
        JsonNode detail = JSON.readTree(get(
                        owner,
                        "/api/archive/recordings/"
                                + a.path("recording").path("id").asText())
                .body());
        assertEquals(job, detail.path("jobs").get(0).path("id").asLong());
        assertEquals("anonymize", detail.path("jobs").get(0).path("kind").asText());
        assertEquals(
                409,
                post(owner, "/api/archive/recordings/" + copy.id() + "/anonymize", "")
                        .statusCode());
        assertEquals(
                404,
                post(server.login("dr-south"), "/api/archive/recordings/" + original.id() + "/anonymize", "")
                        .statusCode());
        assertEquals(
                404,
                post(server.login("student"), "/api/archive/recordings/" + original.id() + "/anonymize", "")
                        .statusCode());
    }

    @Test
    void everyAccessIsLoggedWithoutPatientData() throws Exception {
        HttpClient owner = server.login("attending");
        HttpClient student = server.login("student");
        String o = "/api/archive/recordings/" + original.id();
        get(owner, o);
        get(owner, o + "/playlist.m3u8");
        get(owner, o + "/renditions/master/master.mp4");
        get(student, o);
        String token = createLink(owner, original.id(), false);
        get(HttpClient.newHttpClient(), "/api/archive/links/" + token);
        List<AccessLog.Entry> log = new AccessLog(db).of(original.id());
        List<String> actions = log.stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.allowed())
                .toList();
        for (String expected : List.of(
                "attending view true",
                "attending play true",
                "attending download true",
                "student view false",
                "attending link true")) {
            assertTrue(actions.contains(expected), expected + " in " + actions);
        }
        assertTrue(log.stream()
                .anyMatch(e -> e.actorKind().equals("link") && e.action().equals("link-use")));
        for (AccessLog.Entry e : log) {
            for (String secret : SECRETS) {
                assertFalse(String.valueOf(e.detail()).contains(secret), e.toString());
            }
            assertFalse(String.valueOf(e.detail()).contains(token), "no token in the log");
        }
        assertNull(copy.patientName());
    }

    private static String createLink(HttpClient client, String id, boolean anonymized) throws Exception {
        HttpResponse<byte[]> r = post(
                client,
                "/api/archive/recordings/" + id + "/links",
                "{\"anonymized\":" + anonymized + ",\"expiresAt\":\""
                        + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        assertEquals(201, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode n = JSON.readTree(r.body());
        assertEquals(
                "/#/archive/link/" + n.path("token").asText(), n.path("url").asText());
        return n.path("token").asText();
    }

    private static HttpResponse<byte[]> get(HttpClient client, String path) throws Exception {
        return send(client, HttpRequest.newBuilder(server.http().resolve(path)).build());
    }

    private static HttpResponse<byte[]> post(HttpClient client, String path, String body) throws Exception {
        return send(
                client,
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .header("Origin", server.http().toString().replaceAll("/$", ""))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private static HttpResponse<byte[]> delete(HttpClient client, String path) throws Exception {
        return send(
                client,
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Origin", server.http().toString().replaceAll("/$", ""))
                        .DELETE()
                        .build());
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void sql(String statement, String param) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, param);
            s.executeUpdate();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void ffmpeg(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        all.addAll(args);
        Process p =
                FfmpegProgram.ffmpeg().command(all).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), out);
    }
}
