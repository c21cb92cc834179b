package org.medsync.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The archive's admin API as a test drives it: an HTTP client logged in as an admin. */
final class ArchiveAdmin {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final URI server;

    ArchiveAdmin(HttpClient client, URI server) {
        this.client = client;
        this.server = server;
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    JsonNode ok(HttpResponse<String> r, int status) throws IOException {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    void hospital(String id) throws Exception {
        HttpResponse<String> r =
                send("POST", "/api/archive/hospitals", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new AssertionError(r.statusCode() + ": " + r.body());
        }
    }

    void member(String hospital, String user) throws Exception {
        ok(send("PUT", "/api/archive/hospitals/" + hospital + "/members/" + user, null), 204);
    }

    /** Issues a device and returns its credential. */
    String device(String id, String hospital) throws Exception {
        JsonNode d = ok(
                send(
                        "POST",
                        "/api/archive/devices",
                        "{\"id\":\"" + id + "\",\"hospital\":\"" + hospital + "\",\"operatingRoom\":\"OR 1\"}"),
                201);
        return d.get("credential").asText();
    }

    void revoke(String id) throws Exception {
        ok(send("DELETE", "/api/archive/devices/" + id, null), 204);
    }
}
