package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.server.TestServer;

/** The organizer's free text (title, worklist labels) may name the patient: de-identified participants never get it. */
class ReadoutDeidentificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "Jane Doe";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void studentNeverReceivesReadoutTitleWithPatientName() throws Exception {
        HttpClient attending = server.login("attending");
        HttpResponse<String> created = post(
                attending,
                "/api/readouts",
                "{\"title\":\"" + NAME + " follow-up\",\"worklist\":"
                        + "[{\"source\":\"local\",\"studyInstanceUid\":\"1.2.3\",\"label\":\"" + NAME
                        + ", CT head\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();
        assertTrue(get(attending, "/api/readouts/" + id).body().contains(NAME), "the organizer sees their title");

        HttpResponse<String> invite =
                post(attending, "/api/readouts/" + id + "/invites", "{\"role\":\"student\",\"minutes\":5}");
        String token = JSON.readTree(invite.body()).path("token").asText();
        HttpClient guest =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertEquals(
                200,
                post(guest, "/api/readouts/join", "{\"token\":\"" + token + "\",\"name\":\"Sam\"}")
                        .statusCode());

        for (HttpClient deidentified : new HttpClient[] {server.login("student"), server.login("observer"), guest}) {
            HttpResponse<String> r = get(deidentified, "/api/readouts/" + id);
            assertEquals(200, r.statusCode(), r.body());
            assertFalse(r.body().contains("Doe"), r.body());
            JsonNode view = JSON.readTree(r.body());
            assertEquals(ReadoutRoutes.NEUTRAL_TITLE, view.path("title").asText());
            assertEquals("", view.at("/worklist/0/label").asText());

            SignalingSocketTest.Peer p = new SignalingSocketTest.Peer();
            p.ws = deidentified
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), p)
                    .join();
            ServerMessage.Welcome welcome = p.next(ServerMessage.Welcome.class);
            assertEquals("", welcome.worklist().getFirst().label());
            p.ws.abort();
        }
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient c, String path, String json) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
