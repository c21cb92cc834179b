package org.medsync.rtv.configurator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlToken;
import org.medsync.testsupport.net.LoopbackPorts;

/**
 * The configurator's HTTP interface end to end: a real worklist SCP (dcmtk's wlmscpfs) behind it, and
 * recording endpoints (JDK HttpServers that record requests, see {@link RecordingDevice}) in place of two
 * transmitters and a receiver, to check the exact JSON sent per docs/rtv-control.md.
 */
@Timeout(30)
class ConfiguratorHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WorklistPeer worklist;
    private static RecordingDevice endoscope;
    private static RecordingDevice handCamera;
    private static RecordingDevice monitor;
    private static ConfiguratorServer server;
    /** The configurator API's own token, which every request of these tests presents. */
    private static final ControlToken TOKEN = ControlToken.random();

    private static int offlinePort;

    @TempDir
    static Path tokens;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(WorklistPeer.installed(), "dcmtk is installed by scripts/setup --test");
        worklist = WorklistPeer.start();
        endoscope = new RecordingDevice(tokens, "endoscope");
        handCamera = new RecordingDevice(tokens, "hand-camera");
        monitor = new RecordingDevice(tokens, "monitor");
        offlinePort = LoopbackPorts.free();
        OrConfig or = OrConfig.parse(orJson(worklist.port, WorklistPeer.AE, "endoscope"), "test", tokens);
        server = ConfiguratorServer.start(new Configurator(or), or.listen(), ControlAccess.of(TOKEN));
    }

    /** The OR file: the recording devices with their token files (endoscope's is {@code endoscopeToken}), one offline. */
    private static String orJson(int worklistPort, String calledAe, String endoscopeToken) {
        String dest = """
                "destination": {"video": {"address": "239.1.1.1", "port": 5004}, "metadata": {"address": "239.1.1.2", "port": 5006}}""";
        return """
                {"listen": "127.0.0.1:0",
                 "worklist": {"host": "127.0.0.1", "port": %d, "calledAe": "%s", "timeoutMs": 5000},
                 "deviceTimeoutMs": 2000,
                 "transmitters": [{"control": "%s", "tokenFile": "%s.token", %s},
                                  {"control": "%s", "tokenFile": "hand-camera.token", %s},
                                  {"control": "http://127.0.0.1:%d", "tokenFile": "hand-camera.token", %s}],
                 "receivers": [{"control": "%s", "tokenFile": "monitor.token"}]}
                """.formatted(
                        worklistPort,
                        calledAe,
                        endoscope.uri(),
                        endoscopeToken,
                        dest,
                        handCamera.uri(),
                        dest,
                        offlinePort,
                        dest,
                        monitor.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {server, endoscope, handCamera, monitor, worklist}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        for (RecordingDevice d : new RecordingDevice[] {endoscope, handCamera, monitor}) {
            d.requests.clear();
            d.refuseConfigWith = null;
            d.statusBytes = 0;
        }
    }

    private String applyBody(int zone) {
        return """
                {"transmitters": [
                   {"name": "endoscope", "control": "%s",
                    "video": {"width": 1920, "height": 1080, "rate": "50", "sampling": "YCbCr-4:2:2", "depth": 10, "colorimetry": "BT709"},
                    "destination": {"video": {"address": "239.1.1.1", "port": 5004}, "metadata": {"address": "239.1.1.2", "port": 5006}, "ttl": 8},
                    "equipment": {"manufacturer": "Acme Endoscopy", "modelName": "Scope 3", "stationName": "OR1-ENDO", "modality": "ES"}},
                   {"name": "hand camera", "control": "%s", "sopClassUid": "1.2.840.10008.10.2",
                    "destination": {"video": {"address": "239.1.1.3", "port": 5008}, "metadata": {"address": "239.1.1.4", "port": 5010}}}
                 ],
                 "receivers": [
                   {"name": "mosaic monitor", "control": "%s", "layout": "side-by-side",
                    "overlay": {"zone": %d, "attributes": ["00100010", "00100020", "00400009"]}, "latencyMs": 40}
                 ]}
                """.formatted(endoscope.uri(), handCamera.uri(), monitor.uri(), zone);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve(path))
                        .GET()
                        .header("Authorization", "Bearer " + TOKEN.bearer())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve(path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Authorization", "Bearer " + TOKEN.bearer())
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int indexOf(String patientName) throws Exception {
        HttpResponse<String> r = get("/worklist");
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode item : JSON.readTree(r.body()).get("items")) {
            if (patientName.equals(item.get("patientName").asText())) {
                return item.get("index").asInt();
            }
        }
        throw new AssertionError(patientName + " not in " + r.body());
    }

    @Test
    void worklist_listsTodaysProcedures() throws Exception {
        HttpResponse<String> r = get("/worklist");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode items = JSON.readTree(r.body()).get("items");
        assertEquals(
                List.of("DOE^JANE", "SMITH^JOHN"),
                StreamSupport.stream(items.spliterator(), false)
                        .map(i -> i.get("patientName").asText())
                        .sorted()
                        .toList());
        JsonNode first = items.get(0);
        assertEquals(0, first.get("index").asInt());
        assertTrue(first.get("scheduledStart")
                .asText()
                .startsWith(java.time.LocalDate.now().toString()));
        assertEquals(
                0,
                JSON.readTree(get("/worklist?date=2001-01-01").body())
                        .get("items")
                        .size());
        assertEquals(400, get("/worklist?date=yesterday").statusCode());
    }

    @Test
    void apply_pushesTheExactConfigs_thenStartsTheTransmitters() throws Exception {
        int john = indexOf("SMITH^JOHN");
        HttpResponse<String> r = post("/procedures/" + john + "/apply", applyBody(3));
        assertEquals(200, r.statusCode(), r.body());

        RecordingDevice.Request txPut = endoscope.requests("PUT", "/config").getFirst();
        assertEquals("application/json", txPut.contentType());
        JsonNode tx = txPut.json();
        assertEquals(JSON.readTree("""
                {"width":1920,"height":1080,"rate":"50","sampling":"YCbCr-4:2:2","depth":10,"colorimetry":"BT709"}"""), tx.get("video"));
        assertEquals(JSON.readTree("""
                {"video":{"address":"239.1.1.1","port":5004},"metadata":{"address":"239.1.1.2","port":5006},"ttl":8}"""), tx.get("destination"));
        assertEquals("1.2.840.10008.10.1", tx.get("sopClassUid").asText());
        JsonNode meta = tx.get("staticMetadata");
        assertEquals("SMITH^JOHN", meta.at("/00100010/Value/0/Alphabetic").asText());
        assertEquals("PN", meta.at("/00100010/vr").asText());
        assertEquals("PID2002", meta.at("/00100020/Value/0").asText());
        assertEquals("19551231", meta.at("/00100030/Value/0").asText());
        assertEquals("M", meta.at("/00100040/Value/0").asText());
        assertEquals("ACC2002", meta.at("/00080050/Value/0").asText());
        assertEquals(
                "1.2.826.0.1.3680043.10.1337.2002", meta.at("/0020000D/Value/0").asText());
        assertEquals("Nephrectomy", meta.at("/00081030/Value/0").asText());
        assertEquals("QUINN^MICHAELA", meta.at("/00081050/Value/0/Alphabetic").asText());
        assertEquals("SPS2002", meta.at("/00400009/Value/0").asText());
        assertEquals("RP2002", meta.at("/00400275/Value/0/00401001/Value/0").asText());
        assertEquals("Acme Endoscopy", meta.at("/00080070/Value/0").asText());
        assertEquals("OR1-ENDO", meta.at("/00081010/Value/0").asText());
        assertEquals("ES", meta.at("/00080060/Value/0").asText());
        assertEquals(1, meta.at("/00200011/Value/0").asInt());
        assertTrue(meta.at("/0020000E/Value/0").asText().startsWith("2.25."));
        List<String> keys = StreamSupport.stream(((Iterable<String>) meta::fieldNames).spliterator(), false)
                .toList();
        assertEquals(keys.stream().sorted().toList(), keys, "DICOM JSON keys in tag order");

        JsonNode tx2 = handCamera.requests("PUT", "/config").getFirst().json();
        assertEquals("1.2.840.10008.10.2", tx2.get("sopClassUid").asText());
        assertEquals(JSON.readTree("""
                {"width":1280,"height":720,"rate":"50","sampling":"YCbCr-4:2:2","depth":10,"colorimetry":"BT709"}"""), tx2.get("video"), "default video format");
        assertEquals(
                "SMITH^JOHN",
                tx2.at("/staticMetadata/00100010/Value/0/Alphabetic").asText());
        assertEquals(2, tx2.at("/staticMetadata/00200011/Value/0").asInt());
        assertNotEquals(meta.at("/0020000E/Value/0"), tx2.at("/staticMetadata/0020000E/Value/0"), "a series per flow");

        RecordingDevice.Request rxPut = monitor.requests("PUT", "/config").getFirst();
        assertEquals(
                JSON.readTree("""
                {"flows":[{"sdp":%s},{"sdp":%s}],
                 "layout":"side-by-side",
                 "overlay":{"zone":3,"attributes":["00100010","00100020","00400009"]},
                 "latencyMs":40}""".formatted(
                        JSON.writeValueAsString(RecordingDevice.SDP), JSON.writeValueAsString(RecordingDevice.SDP))),
                rxPut.json(),
                "the SDPs inline: receivers hold no transmitter token");

        // order: every transmitter configured and describing its flow before the receiver, started last
        long rxAt = rxPut.order();
        for (RecordingDevice d : List.of(endoscope, handCamera)) {
            assertTrue(d.requests("PUT", "/config").getFirst().order() < rxAt);
            assertTrue(d.requests("GET", "/SDP").getFirst().order() < rxAt);
            assertEquals(1, d.requests("POST", "/start").size());
            assertTrue(d.requests("POST", "/start").getFirst().order() > rxAt);
        }
        assertEquals(0, monitor.requests("POST", "/start").size(), "receivers are not started, configured only");

        JsonNode answer = JSON.readTree(r.body());
        assertEquals("SMITH^JOHN", answer.at("/procedure/patientName").asText());
        assertEquals(rxPut.json(), answer.at("/receivers/0/config"));
    }

    @Test
    void dynamicMetadata_isRelayedToTheChosenTransmitterOnly() throws Exception {
        assertEquals(
                200,
                post("/procedures/" + indexOf("DOE^JANE") + "/apply", applyBody(7))
                        .statusCode());
        clear();
        String probe = """
                {"00209113":{"vr":"SQ","Value":[{"00209164":{"vr":"FD","Value":[12.5,-3.25,40.0]}}]}}""";
        HttpResponse<String> r = post("/dynamic/1", probe);
        assertEquals(204, r.statusCode(), r.body());
        assertEquals(0, endoscope.requests.size());
        RecordingDevice.Request relayed =
                handCamera.requests("POST", "/metadata/dynamic").getFirst();
        assertEquals(JSON.readTree(probe), relayed.json());
        assertEquals("application/dicom+json", relayed.contentType());
    }

    @Test
    void badInput_isRefusedWithAClearMessage_nothingIsPushed_andTheConfiguratorKeepsRunning() throws Exception {
        int jane = indexOf("DOE^JANE");
        HttpResponse<String> r = post("/procedures/" + jane + "/apply", "{\"transmitters\": [");
        assertEquals(400, r.statusCode());
        assertEquals("invalid", JSON.readTree(r.body()).get("error").asText());
        assertTrue(r.body().contains("not valid JSON"), r.body());

        r = post("/procedures/99/apply", applyBody(7));
        assertEquals(404, r.statusCode());
        assertTrue(
                JSON.readTree(r.body()).get("message").asText().startsWith("no procedure 99: the worklist has 2"),
                r.body());

        r = post("/procedures/" + jane + "/apply", applyBody(12));
        assertEquals(400, r.statusCode());
        assertTrue(
                JSON.readTree(r.body()).get("message").asText().startsWith("receivers[0].overlay.zone must be 1..9"),
                r.body());
        r = post("/procedures/" + jane + "/apply", applyBody(0));
        assertEquals(400, r.statusCode());

        r = post("/procedures/" + jane + "/apply", applyBody(7).replace("\"port\": 5004", "\"port\": 70000"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("transmitters[0].destination.video.port must be 1..65535"), r.body());

        r = post("/dynamic/0", "{\"probe\": 1}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("not a tag of 8 upper-case hex digits"), r.body());
        r = post("/dynamic/5", "{\"00209164\":{\"vr\":\"FD\",\"Value\":[1.0]}}");
        assertTrue(r.statusCode() == 404 || r.statusCode() == 409, r.body());

        for (RecordingDevice d : List.of(endoscope, handCamera, monitor)) {
            assertEquals(List.of(), d.requests, "an invalid request pushes nothing");
        }

        assertEquals(405, get("/procedures/0/apply").statusCode());
        assertEquals(404, get("/nowhere").statusCode());
        assertEquals(200, get("/worklist").statusCode(), "still running");
    }

    @Test
    void unreachableOrRefusingDevice_isNamed_andTheConfiguratorKeepsRunning() throws Exception {
        int jane = indexOf("DOE^JANE");
        int closed = offlinePort;
        String body = applyBody(7).replace(handCamera.uri().toString(), "http://127.0.0.1:" + closed);
        long t0 = System.nanoTime();
        HttpResponse<String> r = post("/procedures/" + jane + "/apply", body);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(502, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals("device-unreachable", e.get("error").asText());
        assertEquals("http://127.0.0.1:" + closed, e.get("device").asText());
        assertTrue(e.get("message").asText().contains("PUT /config on http://127.0.0.1:" + closed), r.body());
        assertEquals(0, endoscope.requests("POST", "/start").size(), "nothing started after a failure");

        monitor.refuseConfigWith = "unsupported-layout";
        r = post("/procedures/" + jane + "/apply", applyBody(7));
        assertEquals(502, r.statusCode(), r.body());
        e = JSON.readTree(r.body());
        assertEquals("device-refused", e.get("error").asText());
        assertEquals("unsupported-layout", e.get("deviceError").asText());
        assertEquals(400, e.get("deviceStatus").asInt());
        assertTrue(e.get("message").asText().contains("cannot apply this configuration"), r.body());

        monitor.refuseConfigWith = null;
        assertEquals(200, post("/procedures/" + jane + "/apply", applyBody(7)).statusCode(), "recovers");
    }

    @Test
    void unreachableWorklist_isA502_withTheAe() throws Exception {
        int closed = LoopbackPorts.free();
        OrConfig or = OrConfig.parse(orJson(closed, "NOWHERE", "endoscope"), "test", tokens);
        try (ConfiguratorServer s = ConfiguratorServer.start(
                new Configurator(or), new InetSocketAddress("127.0.0.1", 0), ControlAccess.of(TOKEN))) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(s.uri().resolve("/worklist"))
                            .header("Authorization", "Bearer " + TOKEN.bearer())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, r.statusCode());
            JsonNode e = JSON.readTree(r.body());
            assertEquals("worklist-unreachable", e.get("error").asText());
            assertTrue(e.get("message").asText().contains("NOWHERE@127.0.0.1:" + closed), r.body());
            r = HTTP.send(
                    HttpRequest.newBuilder(s.uri().resolve("/procedures/0/apply"))
                            .header("Authorization", "Bearer " + TOKEN.bearer())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(applyBody(7)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, r.statusCode());
        }
    }

    @Test
    void status_showsTheLastApplyAndEachDevice() throws Exception {
        assertEquals(
                200,
                post("/procedures/" + indexOf("DOE^JANE") + "/apply", applyBody(7))
                        .statusCode());
        JsonNode s = JSON.readTree(get("/status").body());
        assertEquals("DOE^JANE", s.at("/applied/procedure/patientName").asText());
        assertEquals("recorded", s.at("/transmitterStatus/0/state").asText());
        assertEquals("recorded", s.at("/receiverStatus/0/state").asText());
        assertEquals(
                URI.create(endoscope.uri() + "/SDP").toString(),
                s.at("/applied/transmitters/0/sdpUrl").asText());
    }

    @Test
    void configuratorAuthenticatesToDevices() throws Exception {
        assertEquals(
                200,
                post("/procedures/" + indexOf("DOE^JANE") + "/apply", applyBody(7))
                        .statusCode());
        for (RecordingDevice d : List.of(endoscope, handCamera, monitor)) {
            assertFalse(d.requests.isEmpty());
            for (RecordingDevice.Request q : d.requests) {
                assertEquals("Bearer " + d.token.bearer(), q.authorization(), q.method() + " " + q.path());
            }
        }
        clear();
        // An OR file holding the hand camera's token for the endoscope: the endoscope refuses, nothing goes further.
        Configurator confused =
                new Configurator(OrConfig.parse(orJson(worklist.port, WorklistPeer.AE, "hand-camera"), "test", tokens));
        DeviceException e = assertThrows(DeviceException.class, () -> confused.apply(0, JSON.readTree(applyBody(7))));
        assertEquals(401, e.status(), e.getMessage());
        assertEquals(endoscope.uri().toString(), String.valueOf(e.device()));
        assertEquals(List.of(), monitor.requests);
        assertEquals(List.of(), handCamera.requests);
    }

    @Test
    void configuratorRequestWithoutTokenIsRefused() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/worklist")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(
                "Bearer realm=\"medsync-rtv\"",
                r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertFalse(
                r.body().contains("DOE") || r.body().contains("SMITH"), "no worklist, no patient names: " + r.body());
        r = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/procedures/0/apply"))
                        .header(
                                "Authorization",
                                "Bearer " + ControlToken.random().bearer())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(applyBody(7)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        r = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/procedures/0/apply"))
                        .header("Authorization", "Bearer " + TOKEN.bearer())
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(applyBody(7)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, r.statusCode(), "a CORS simple request: " + r.body());
        try (Socket s = new Socket("127.0.0.1", server.uri().getPort())) {
            s.getOutputStream()
                    .write(("GET /worklist HTTP/1.1\r\nHost: attacker.example:"
                                    + server.uri().getPort() + "\r\nAuthorization: Bearer " + TOKEN.bearer()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 421 "), "DNS rebinding: " + answer);
            assertFalse(answer.contains("DOE"), answer);
        }
        for (RecordingDevice d : List.of(endoscope, handCamera, monitor)) {
            assertEquals(List.of(), d.requests, "a refused request reaches no device");
        }
    }

    @Test
    void applyCannotSendPatientDataToADeviceOutsideTheOrFile() throws Exception {
        int jane = indexOf("DOE^JANE");
        try (RecordingDevice stranger = new RecordingDevice(tokens, "stranger")) {
            HttpResponse<String> r = post(
                    "/procedures/" + jane + "/apply",
                    applyBody(7)
                            .replace(handCamera.uri().toString(), stranger.uri().toString()));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("is not a device of the OR file"), r.body());
            assertEquals(List.of(), stranger.requests);
            r = post(
                    "/procedures/" + jane + "/apply",
                    applyBody(7)
                            .replace(
                                    "\"name\": \"endoscope\",",
                                    "\"name\": \"endoscope\", \"tokenFile\": \"" + stranger.tokenFile + "\","));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("transmitters[0].tokenFile is not accepted in a request"), r.body());
        }
        for (RecordingDevice d : List.of(endoscope, handCamera, monitor)) {
            assertEquals(List.of(), d.requests, "a refused request pushes nothing");
        }
    }

    @Test
    void oversizedDeviceAnswerIsRefusedNotHeld() throws Exception {
        assertEquals(
                200,
                post("/procedures/" + indexOf("DOE^JANE") + "/apply", applyBody(7))
                        .statusCode());
        monitor.statusBytes = 4 * DeviceClient.MAX_ANSWER;
        JsonNode s = JSON.readTree(get("/status").body());
        assertEquals("device-failed", s.at("/receiverStatus/0/error").asText(), s.toString());
        assertTrue(
                s.at("/receiverStatus/0/message")
                        .asText()
                        .contains("longer than " + DeviceClient.MAX_ANSWER + " bytes"),
                s.toString());
        assertEquals("recorded", s.at("/transmitterStatus/0/state").asText());
    }
}
