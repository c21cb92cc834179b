package org.medsync.server.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.server.TestServer;
import org.medsync.server.cli.Main;
import org.medsync.server.demo.DemoContent;
import picocli.CommandLine;

/**
 * {@code /api/archive/or-recordings} on the wire, against a real server whose OR names a real RTV transmitter's flow
 * (test pattern and the PS3.22 procedure metadata) on loopback: roles are enforced by the server, garbage bodies get a
 * 400 that names the field, an OR the user may not watch is a 404, and a recording started and stopped over HTTP is a
 * recording in the archive with the procedure's metadata, owned by whoever started it.
 */
@Timeout(240)
class OrRecordingRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/archive/or-recordings";
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.77";

    @Test
    void anOrFlow_recordedOverHttp_byTheRolesAllowed_becomesARecordingWithTheProcedure() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-or-recording-routes-");
        try (Transmitter tx = RtvRecording.transmitter(RecordCommandTest.F, RtvRecording.PROCEDURE)) {
            Path sdp = Files.writeString(dir.resolve("endoscope.sdp"), tx.sdp());
            Properties p = new Properties();
            p.setProperty("ors", "or-3,or-9");
            p.setProperty("or.or-3.name", "OR 3");
            p.setProperty("or.or-3.flows", "endoscope");
            p.setProperty("or.or-3.flow.endoscope.sdp", sdp.toString());
            p.setProperty("or.or-9.name", "OR 9");
            p.setProperty("or.or-9.flows", "room");
            p.setProperty("or.or-9.flow.room.sdp", sdp.toString());
            p.setProperty("or.or-9.roles", "resident");
            try (TestServer server = TestServer.start(false, p)) {
                Hospitals hospitals = server.server().archive().hospitals();
                hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
                hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
                hospitals.addMember("north", "attending");
                HttpClient attending = server.login("attending");
                HttpClient student = server.login("student");
                String start = "{\"or\":\"or-3\",\"flow\":\"endoscope\",\"hospital\":\"north\"}";

                // Roles: students and observers neither start, list nor stop.
                assertEquals(403, send(server, student, "POST", BASE, start).statusCode());
                assertEquals(403, send(server, student, "GET", BASE, null).statusCode());
                assertEquals(
                        403,
                        send(server, student, "DELETE", BASE + "/or-3/endoscope", null)
                                .statusCode());

                // Garbage: a 400 naming what is wrong, before anything starts.
                refused(server, attending, "not json", 400, "bad-json", "not JSON");
                refused(server, attending, "[1]", 400, "bad-json", "JSON object");
                refused(
                        server,
                        attending,
                        "{\"or\":\"or-3\",\"hospital\":\"north\"}",
                        400,
                        "bad-request",
                        "'flow' is missing");
                refused(
                        server,
                        attending,
                        "{\"or\":3,\"flow\":\"endoscope\",\"hospital\":\"north\"}",
                        400,
                        "bad-request",
                        "'or' must be a string");
                refused(
                        server,
                        attending,
                        "{\"or\":\"OR 3\",\"flow\":\"endoscope\",\"hospital\":\"north\"}",
                        400,
                        "bad-request",
                        "'or' is not an OR id");
                refused(
                        server,
                        attending,
                        start.replace("}", ",\"patient\":\"x\"}"),
                        400,
                        "bad-request",
                        "unknown field 'patient'");
                // An unknown OR, and one this user may not watch, are both unknown; an unknown flow is named.
                refused(server, attending, start.replace("or-3", "or-404"), 404, "no-or", "or-404");
                refused(
                        server,
                        attending,
                        start.replace("or-3", "or-9").replace("endoscope", "room"),
                        404,
                        "no-or",
                        "or-9");
                refused(server, attending, start.replace("endoscope", "room"), 404, "no-flow", "room");
                refused(server, attending, start.replace("north", "nowhere"), 400, "unknown-hospital", "nowhere");
                refused(server, attending, start.replace("north", "south"), 403, "not-a-member", "south");
                assertTrue(server.server().archive().recordings().ofStudy(STUDY).isEmpty(), "nothing was recorded");

                HttpResponse<String> r = send(server, attending, "POST", BASE, start);
                assertEquals(201, r.statusCode(), r.body());
                assertEquals(
                        "attending", JSON.readTree(r.body()).path("startedBy").asText());
                refused(server, attending, start, 409, "recording", "");
                r = send(server, attending, "GET", BASE, null);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode listed = JSON.readTree(r.body()).path("recordings");
                assertEquals(1, listed.size(), r.body());
                assertEquals("endoscope", listed.get(0).path("flow").asText());
                Thread.sleep(3000);
                r = send(server, attending, "DELETE", BASE + "/or-3/endoscope", null);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode stopped = JSON.readTree(r.body());
                assertEquals(0, stopped.path("failures").size(), r.body());
                assertEquals(1, stopped.path("recordings").size(), r.body());
                assertEquals(
                        404,
                        send(server, attending, "DELETE", BASE + "/or-3/endoscope", null)
                                .statusCode());

                Recording rec = server.server()
                        .archive()
                        .recordings()
                        .find(stopped.path("recordings").get(0).asText())
                        .orElseThrow();
                assertEquals("north", rec.hospitalId());
                assertEquals("OR 3", rec.operatingRoom());
                assertEquals("attending", rec.owner());
                assertEquals(STUDY, rec.studyUid());
                assertEquals("ACC-2026-0042", rec.accession());
                assertEquals("Laparoscopic cholecystectomy", rec.procedure());
                assertTrue(rec.sourceObject() != null, "the recording has its bytes");

                // The same from the command line: `medsync record --or` signs in and has the server record.
                Path password = Files.writeString(dir.resolve("password"), DemoContent.PASSWORD + "\n");
                List<String> cli = List.of(
                        "record",
                        "--or",
                        "or-3",
                        "--flow",
                        "endoscope",
                        "--hospital",
                        "north",
                        "--duration",
                        "3",
                        "--server",
                        server.http().toString(),
                        "--password-file",
                        password.toString(),
                        "--user");
                int before =
                        server.server().archive().recordings().ofStudy(STUDY).size();
                assertEquals(1, run(cli, "student"), "a student may not record");
                assertEquals(0, run(cli, "attending"));
                List<Recording> both = server.server().archive().recordings().ofStudy(STUDY);
                assertTrue(both.size() > before, both.toString());
                assertTrue(both.stream()
                        .allMatch(x ->
                                x.owner().equals("attending") && x.procedure().equals("Laparoscopic cholecystectomy")));
                assertTrue(server.server().archive().recordings().ofStudy(STUDY).stream()
                        .anyMatch(x -> x.id().equals(rec.id())));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static int run(List<String> args, String user) {
        List<String> all = new ArrayList<>(args);
        all.add(user);
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("medsync: " + e.getMessage());
                    return 1;
                })
                .execute(all.toArray(String[]::new));
    }

    private static void refused(TestServer server, HttpClient c, String body, int status, String code, String message)
            throws Exception {
        HttpResponse<String> r = send(server, c, "POST", BASE, body);
        assertEquals(status, r.statusCode(), body + " -> " + r.body());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(code, answer.path("error").asText(), r.body());
        assertTrue(r.body().contains(message), body + " -> " + r.body());
    }

    private static HttpResponse<String> send(TestServer server, HttpClient c, String method, String path, String body)
            throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
