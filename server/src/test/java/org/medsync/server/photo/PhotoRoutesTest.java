package org.medsync.server.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.derived.SecondaryCapture;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.InstanceRow;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Restorer;
import org.medsync.server.TestServer;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * The photo intake's HTTP API on a real server (embedded PostgreSQL, the real decoder, screen finder, gate and
 * rectifier; no restorer is installed in the server module): upload to Secondary Capture, roles, refusals.
 */
class PhotoRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static String studyUid;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        studyUid = SecondaryCapture.newUid();
        Path dir = Files.createTempDirectory("medsync-photo-test-");
        Path source = SimulatedPhoto.sourceStudy(dir, studyUid);
        var report = server.server()
                .library()
                .importer()
                .importFiles(List.of(new StudyImporter.Candidate(source, "source.dcm")));
        assertEquals(1, report.imported(), report.toString());
        Files.delete(source);
        Files.delete(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** One multipart/form-data request as the page sends it: 'photo' parts, then the fields. */
    static HttpResponse<String> upload(HttpClient c, List<byte[]> photos, Map<String, String> fields) throws Exception {
        String boundary = "----medsync" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int n = 0;
        for (byte[] p : photos) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p" + (n++)
                            + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(p);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        for (var f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                            + f.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/photos"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode state(HttpClient c, String id) throws Exception {
        HttpResponse<byte[]> r = get(c, "/api/photos/" + id);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    /** Polls until the photo leaves the statuses the server is still working in. */
    static JsonNode settled(HttpClient c, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            JsonNode s = state(c, id);
            String status = s.path("status").asText();
            if (!List.of("received", "rectified", "restored").contains(status)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("photo " + id + " still " + status);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void aPhotoOfTheScreenIsRectifiedAndStoredAsASecondaryCaptureInItsStudy() throws Exception {
        HttpClient attending = server.login("attending");
        HttpResponse<String> r = upload(
                attending, List.of(SimulatedPhoto.jpeg()), Map.of("attachTo", "study:" + studyUid, "note", "ED case"));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode photo = JSON.readTree(r.body()).path("photos").get(0);
        String id = photo.path("id").asText();
        assertEquals(22, id.length());
        assertEquals(SimulatedPhoto.PHOTO_W, photo.path("photo").path("width").asInt());
        assertEquals("attending", photo.path("sender").asText());

        JsonNode done = settled(attending, id);
        assertEquals("stored", done.path("status").asText(), done.toString());
        assertEquals("auto", done.path("cornersSource").asText());
        // The server ships photo-restore: its DnCNN, found by ServiceLoader, restores every accepted photo.
        assertTrue(done.path("restoration").asText().startsWith("DnCNN"), done.toString());
        assertTrue(done.path("problems").isEmpty(), done.toString());
        // ... and its lesion classifier reads the restored image before it is stored: decision support, labelled.
        JsonNode read = done.path("aiRead");
        assertEquals("decision support - not a diagnosis", read.path("label").asText(), done.toString());
        double score = read.path("score").asDouble(-1);
        assertTrue(score >= 0 && score <= 1, read.toString());
        assertTrue(read.path("finding").asText().contains("lesion"), read.toString());
        assertEquals(48, read.path("region").path("size").asInt(), read.toString());
        assertTrue(done.path("aiReader").asText().contains("lesion classifier"), done.toString());
        // The found corners are the ones the photo was made with.
        JsonNode corners = done.path("quad").path("corners");
        for (int i = 0; i < 4; i++) {
            double dx = corners.get(i).get(0).asDouble() - SimulatedPhoto.CORNERS[i][0];
            double dy = corners.get(i).get(1).asDouble() - SimulatedPhoto.CORNERS[i][1];
            assertTrue(Math.hypot(dx, dy) < 4, "corner " + i + ": " + corners);
        }

        HttpResponse<byte[]> rectified =
                get(attending, done.path("images").path("rectified").asText());
        assertEquals(200, rectified.statusCode());
        assertEquals("image/png", rectified.headers().firstValue("Content-Type").orElseThrow());
        double psnr = SimulatedPhoto.psnr(
                SimulatedPhoto.grey(rectified.body(), SimulatedPhoto.SOURCE, SimulatedPhoto.SOURCE),
                SimulatedPhoto.displayed());
        assertTrue(psnr > 20, "rectified vs. the displayed source: " + psnr + " dB");
        HttpResponse<byte[]> restored =
                get(attending, done.path("images").path("restored").asText());
        assertEquals(200, restored.statusCode());
        assertEquals("image/png", restored.headers().firstValue("Content-Type").orElseThrow());

        // The original is the upload without its metadata, served as uploaded type.
        HttpResponse<byte[]> original = get(attending, "/api/photos/" + id + "/original");
        assertEquals(200, original.statusCode());
        assertEquals("image/jpeg", original.headers().firstValue("Content-Type").orElseThrow());

        JsonNode sc = done.path("secondaryCapture");
        assertEquals(studyUid, sc.path("studyUid").asText());
        InstanceRow row = server.server()
                .library()
                .index()
                .findInstance(
                        studyUid,
                        sc.path("seriesUid").asText(),
                        sc.path("sopUid").asText())
                .orElseThrow();
        assertEquals(SecondaryCapture.SOP_CLASS_UID, row.sopClassUid());
        DicomInstance stored = DicomFiles.validate(row.file());
        assertEquals(studyUid, stored.studyInstanceUid());
        String header = new String(Files.readAllBytes(row.file()), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("MedSync photo " + id), "Image Comments carry the photo id");
        assertTrue(header.contains("PHOTO-TEST-1"), "filed under the study's patient");
        assertTrue(header.contains("rectified"), "Derivation Description");

        // Corners are not taken once the photo is in the library.
        HttpResponse<String> late =
                post(attending, "/api/photos/" + id + "/corners", "{\"corners\":[[1,1],[9,1],[9,9],[1,9]]}");
        assertEquals(409, late.statusCode(), late.body());
    }

    @Test
    void rolesDecideWhoSeesAPhotoAndADeidentifiedRoleLearnsNoIdentity() throws Exception {
        HttpClient attending = server.login("attending");
        HttpClient resident = server.login("resident");
        HttpClient student = server.login("student");
        // A consult: no study yet, so the photo is its sender's alone.
        HttpResponse<String> r = upload(
                attending, List.of(SimulatedPhoto.jpeg()), Map.of("attachTo", "consult", "note", "Mr Smith, bed 4"));
        assertEquals(201, r.statusCode(), r.body());
        String consult =
                JSON.readTree(r.body()).path("photos").get(0).path("id").asText();
        HttpResponse<byte[]> refused = get(resident, "/api/photos/" + consult);
        assertEquals(403, refused.statusCode());
        assertEquals("forbidden", JSON.readTree(refused.body()).path("error").asText());
        assertEquals(403, get(resident, "/api/photos/" + consult + "/original").statusCode());
        assertEquals(403, get(student, "/api/photos/" + consult).statusCode());

        // Attached to a study: its readers see it; a student without identity.
        r = upload(
                attending,
                List.of(SimulatedPhoto.jpeg()),
                Map.of("attachTo", "study:" + studyUid, "note", "Mr Smith, bed 4"));
        String attached =
                JSON.readTree(r.body()).path("photos").get(0).path("id").asText();
        assertEquals(200, get(resident, "/api/photos/" + attached).statusCode());
        HttpResponse<byte[]> asStudent = get(student, "/api/photos/" + attached);
        assertEquals(200, asStudent.statusCode());
        String body = new String(asStudent.body(), StandardCharsets.UTF_8);
        assertFalse(body.contains("Smith"), body);
        assertFalse(body.contains("attending"), body);
        assertFalse(body.contains("PHOTO-TEST"), body);
        assertFalse(JSON.readTree(body).path("images").has("original"), body);
        assertEquals(403, get(student, "/api/photos/" + attached + "/original").statusCode());

        // Students and observers do not send photos.
        assertEquals(
                403,
                upload(student, List.of(SimulatedPhoto.jpeg()), Map.of("attachTo", "consult"))
                        .statusCode());
        // Both settle before the server closes (processing is off the request thread).
        settled(attending, consult);
        JsonNode stored = settled(attending, attached);
        assertEquals("stored", stored.path("status").asText(), stored.toString());
        // The AI read carries no identity: a de-identified role gets it as the sender does.
        JsonNode studentView =
                JSON.readTree(get(student, "/api/photos/" + attached).body());
        assertEquals(stored.path("aiRead"), studentView.path("aiRead"), studentView.toString());
        assertEquals(
                "decision support - not a diagnosis",
                studentView.path("aiRead").path("label").asText());
        // Once its Secondary Capture is in the library (a new study), the consult is visible like that study.
        JsonNode consultDone = settled(attending, consult);
        assertEquals("stored", consultDone.path("status").asText(), consultDone.toString());
        assertEquals(200, get(resident, "/api/photos/" + consult).statusCode());
    }

    @Test
    void malformedAndOversizedUploadsAreRefusedWithTheDecodersReason() throws Exception {
        HttpClient attending = server.login("attending");
        byte[] jpeg = SimulatedPhoto.jpeg();
        HttpResponse<String> r =
                upload(attending, List.of(Arrays.copyOf(jpeg, jpeg.length / 3)), Map.of("attachTo", "consult"));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("corrupt-image", JSON.readTree(r.body()).path("error").asText(), r.body());

        r = upload(attending, List.of("not an image".getBytes(StandardCharsets.UTF_8)), Map.of("attachTo", "consult"));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("unsupported-format", JSON.readTree(r.body()).path("error").asText(), r.body());

        // A PNG whose header claims 20000 x 20000: refused from the header, before any pixel is allocated.
        r = upload(attending, List.of(pngHeader(20000, 20000)), Map.of("attachTo", "consult"));
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("too-large", JSON.readTree(r.body()).path("error").asText(), r.body());

        r = upload(attending, List.of(jpeg), Map.of("attachTo", "study:not-a-uid"));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("bad-attachment", JSON.readTree(r.body()).path("error").asText());
        r = upload(attending, List.of(jpeg), Map.of("attachTo", "study:1.2.3.999"));
        assertEquals(404, r.statusCode(), r.body());
        r = upload(attending, List.of(), Map.of("attachTo", "consult"));
        assertEquals(400, r.statusCode(), r.body());
        HttpResponse<String> corners =
                post(attending, "/api/photos/AAAAAAAAAAAAAAAAAAAAAA/corners", "{\"corners\":[1,2]}");
        assertEquals(400, corners.statusCode(), corners.body());
        assertEquals("bad-corners", JSON.readTree(corners.body()).path("error").asText());
    }

    @Test
    void photoModeTokensAreIssuedForAnInstanceOfTheLibraryOnly() throws Exception {
        HttpClient attending = server.login("attending");
        var index = server.server().library().index();
        InstanceRow source = index.findInstances(
                        studyUid, index.findSeries(studyUid).getFirst().seriesUid())
                .getFirst();
        HttpResponse<String> r = post(
                attending,
                "/api/photo-mode/tokens",
                JSON.writeValueAsString(
                        Map.of("studyUid", studyUid, "seriesUid", source.seriesUid(), "sopUid", source.sopUid())));
        assertEquals(201, r.statusCode(), r.body());
        String token = JSON.readTree(r.body()).path("token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{22}"), token);
        assertFalse(r.body().contains(studyUid.substring(5)), "the token carries no UID");
        r = post(
                attending,
                "/api/photo-mode/tokens",
                JSON.writeValueAsString(Map.of("studyUid", studyUid, "seriesUid", "1.2", "sopUid", "1.3")));
        assertEquals(404, r.statusCode(), r.body());
    }

    /**
     * A photo of the viewer's photo mode, sent as a consult: the markers give the exact corners, the token links it
     * to the instance shown, so the Secondary Capture goes into that study, at the source's size, referencing it.
     */
    @Test
    void aPhotoModePhotoRectifiesFromTheMarkersAndLinksToItsSourceInstance() throws Exception {
        HttpClient attending = server.login("attending");
        var index = server.server().library().index();
        InstanceRow source = index.findInstances(
                        studyUid, index.findSeries(studyUid).getFirst().seriesUid())
                .getFirst();
        HttpResponse<String> t = post(
                attending,
                "/api/photo-mode/tokens",
                JSON.writeValueAsString(
                        Map.of("studyUid", studyUid, "seriesUid", source.seriesUid(), "sopUid", source.sopUid())));
        String token = JSON.readTree(t.body()).path("token").asText();
        HttpResponse<byte[]> qr = get(attending, "/api/photo-mode/qr/" + token + ".png");
        assertEquals(200, qr.statusCode());
        assertEquals("image/png", qr.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                404,
                get(server.login("resident"), "/api/photo-mode/qr/" + token + ".png")
                        .statusCode(),
                "a token's QR is drawn for its own user only");
        for (int id = 0; id < 4; id++) {
            assertEquals(
                    200,
                    get(attending, "/api/photo-mode/markers/" + id + ".png").statusCode());
        }
        assertEquals(404, get(attending, "/api/photo-mode/markers/4.png").statusCode());

        HttpResponse<String> r =
                upload(attending, List.of(SimulatedPhoto.photoModeJpeg(token)), Map.of("attachTo", "consult"));
        assertEquals(201, r.statusCode(), r.body());
        String id = JSON.readTree(r.body()).path("photos").get(0).path("id").asText();
        JsonNode done = settled(attending, id);
        assertEquals("stored", done.path("status").asText(), done.toString());
        assertEquals("fiducial", done.path("cornersSource").asText());
        assertEquals(studyUid, done.path("studyUid").asText(), "the token's study");
        assertEquals(source.sopUid(), done.path("source").path("sopUid").asText());
        HttpResponse<byte[]> rectified =
                get(attending, done.path("images").path("rectified").asText());
        double psnr = SimulatedPhoto.psnr(
                SimulatedPhoto.grey(rectified.body(), SimulatedPhoto.SOURCE, SimulatedPhoto.SOURCE),
                SimulatedPhoto.displayed());
        assertTrue(psnr > 22, "rectified from the markers vs. the displayed source: " + psnr + " dB");
        JsonNode sc = done.path("secondaryCapture");
        InstanceRow row = index.findInstance(
                        studyUid,
                        sc.path("seriesUid").asText(),
                        sc.path("sopUid").asText())
                .orElseThrow();
        assertEquals(SimulatedPhoto.SOURCE, row.columns(), "rectified to the source's size");
        String header = new String(Files.readAllBytes(row.file()), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains(source.sopUid()), "Source Image Sequence names the source instance");
    }

    /**
     * The restoration wiring: an intake given a Restorer runs it after rectification, keeps both images, and names it
     * in the state and the Secondary Capture. The Restorer here is a small real one written for this test only (a 3x3
     * mean filter): the project's DnCNN lives in photo-restore, which the server module does not depend on.
     */
    @Test
    void anInstalledRestorerRunsAfterRectificationAndIsNamedInTheSecondaryCapture() throws Exception {
        Restorer mean3 = new Restorer() {
            @Override
            public String description() {
                return "test 3x3 mean filter";
            }

            @Override
            public GrayImage restore(GrayImage in) {
                int w = in.width();
                int h = in.height();
                float[] out = new float[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float sum = 0;
                        int n = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int xx = x + dx;
                                int yy = y + dy;
                                if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                                    sum += in.pixels()[yy * w + xx];
                                    n++;
                                }
                            }
                        }
                        out[y * w + x] = sum / n;
                    }
                }
                return new GrayImage(w, h, out);
            }
        };
        Path dir = Files.createTempDirectory(server.dataDir(), "photos-restorer-");
        try (PhotoIntake intake = new PhotoIntake(
                server.server().dataSource(),
                dir,
                server.server().library(),
                1,
                4,
                Clock.systemUTC(),
                Optional.of(mean3))) {
            var user = new Accounts.User("attending", "Attending", Role.ATTENDING);
            String id = intake.accept(
                            user,
                            List.of(new PhotoIntake.Upload(SimulatedPhoto.jpeg(), "p.jpg")),
                            "study:" + studyUid,
                            null)
                    .getFirst()
                    .id();
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            PhotoRecord p = intake.get(id);
            while (List.of(PhotoStatus.RECEIVED, PhotoStatus.RECTIFIED, PhotoStatus.RESTORED)
                            .contains(p.status())
                    && System.nanoTime() < deadline) {
                Thread.sleep(250);
                p = intake.get(id);
            }
            assertEquals(PhotoStatus.STORED, p.status(), String.valueOf(p.errorMessage()));
            assertEquals("test 3x3 mean filter", p.restorer());
            assertTrue(intake.image(p, PhotoFiles.Kind.RECTIFIED).isPresent());
            byte[] restored = intake.image(p, PhotoFiles.Kind.RESTORED).orElseThrow();
            byte[] rectified = intake.image(p, PhotoFiles.Kind.RECTIFIED).orElseThrow();
            assertFalse(Arrays.equals(restored, rectified), "the restorer's output is what is kept as restored");
            InstanceRow row = server.server()
                    .library()
                    .index()
                    .findInstance(studyUid, p.scSeriesUid(), p.scSopUid())
                    .orElseThrow();
            String header = new String(Files.readAllBytes(row.file()), StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("restored by test 3x3 mean filter"), "Derivation Description");
        }
    }

    private static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h);
        b.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static HttpResponse<String> post(HttpClient c, String path, String json) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
