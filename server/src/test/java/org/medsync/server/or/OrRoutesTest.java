package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;

/** The live-OR routes without media: allow-list, refusals with their codes, the administrator's viewing list. */
class OrRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("ors", "or1,or2");
        p.setProperty("or.or1.name", "OR 1");
        p.setProperty("or.or1.flows", "endoscope");
        p.setProperty("or.or1.flow.endoscope.sdp", "/nonexistent/or1.sdp");
        p.setProperty("or.or2.name", "OR 2");
        p.setProperty("or.or2.flows", "room");
        p.setProperty("or.or2.flow.room.sdp", "/nonexistent/or2.sdp");
        p.setProperty("or.or2.roles", "student");
        // students only for teaching procedures (or.rules.teaching-only-roles, by default student and observer)
        p.setProperty("or.or2.teaching", "true");
        p.setProperty("or.or2.users", "resident");
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(HttpClient c, String method, String path, String body) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachUserSeesTheOrsOnTheirAllowList_andIsRefusedTheOthers() throws Exception {
        HttpClient attending = server.login("attending");
        HttpClient resident = server.login("resident");
        HttpClient student = server.login("student");
        assertEquals("[\"or1\"]", ids(send(attending, "GET", "/api/ors", null)));
        assertEquals("[\"or1\",\"or2\"]", ids(send(resident, "GET", "/api/ors", null)), "or2 names the resident");
        assertEquals("[\"or2\"]", ids(send(student, "GET", "/api/ors", null)));

        HttpResponse<String> r = send(student, "POST", "/api/ors/or1/watch", "{}");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("forbidden", JSON.readTree(r.body()).path("error").asText());
        r = send(attending, "GET", "/api/ors/or9", null);
        assertEquals(404, r.statusCode());
        assertEquals("unknown-or", JSON.readTree(r.body()).path("error").asText());
        r = send(attending, "POST", "/api/ors/or1/watch", "{\"flow\":\"room\"}");
        assertEquals(404, r.statusCode());
        assertEquals("unknown-flow", JSON.readTree(r.body()).path("error").asText());
        r = send(attending, "POST", "/api/ors/or1/watch", "{\"flow\":7}");
        assertEquals(400, r.statusCode());
        assertEquals("bad-request", JSON.readTree(r.body()).path("error").asText());
        // allowed, but the flow's SDP cannot be read: 503 before any encoder or Janus starts
        r = send(attending, "POST", "/api/ors/or1/watch", "{}");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("cannot be read"), r.body());
        r = send(attending, "POST", "/api/ors/or1/viewings/nope/answer", "{\"sdp\":\"v=0\"}");
        assertEquals(404, r.statusCode());
        assertEquals("unknown-viewing", JSON.readTree(r.body()).path("error").asText());
        assertEquals(-1, server.server().ors().janusPid(), "no Janus for refused or failed requests");
    }

    @Test
    void onlyAdministratorsListViewings() throws Exception {
        HttpResponse<String> r = send(server.login("admin"), "GET", "/api/admin/or-viewings?limit=5", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).path("viewings").isArray(), r.body());
        assertEquals(
                403,
                send(server.login("attending"), "GET", "/api/admin/or-viewings", null)
                        .statusCode());
        assertEquals(
                400,
                send(server.login("admin"), "GET", "/api/admin/or-viewings?limit=x", null)
                        .statusCode());
    }

    private static String ids(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode ors = JSON.readTree(r.body()).path("ors");
        StringBuilder b = new StringBuilder("[");
        for (JsonNode o : ors) {
            b.append(b.length() > 1 ? "," : "")
                    .append('"')
                    .append(o.path("id").asText())
                    .append('"');
        }
        return b.append(']').toString();
    }
}
