package org.medsync.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server's {@code /api/archive/or-recordings} from outside ({@code medsync record --or}): signs in as a user, starts
 * recording an OR's flow on the server (the server receives and encodes it, so the command needs no multicast access
 * to the OR network) and stops it, answering what the archive received. The server checks who may; a refusal is an
 * IOException with the server's message.
 */
public final class OrRecordingClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "api/archive/or-recordings";

    private final URI server;
    private final HttpClient http;

    /** What a stop answered: the recordings the archive received, and the parts that could not be delivered. */
    public record Stopped(List<String> recordings, List<String> failures) {}

    private OrRecordingClient(URI server, HttpClient http) {
        this.server = server;
        this.http = http;
    }

    /** Signs in to {@code server} (its base URL) as {@code user}. */
    public static OrRecordingClient signIn(URI server, String user, String password)
            throws IOException, InterruptedException {
        URI base = server.toString().endsWith("/") ? server : URI.create(server + "/");
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        OrRecordingClient c = new OrRecordingClient(base, http);
        c.send("POST", "api/session", JSON.writeValueAsString(Map.of("username", user, "password", password)), 200);
        return c;
    }

    /** Starts recording flow {@code flow} of OR {@code or} for {@code hospital} on the server. */
    public void start(String or, String flow, String hospital) throws IOException, InterruptedException {
        send("POST", BASE, JSON.writeValueAsString(Map.of("or", or, "flow", flow, "hospital", hospital)), 201);
    }

    /** Stops the recording; the server finalizes it and delivers it into the archive before answering. */
    public Stopped stop(String or, String flow) throws IOException, InterruptedException {
        JsonNode n = send("DELETE", BASE + "/" + or + "/" + flow, null, 200);
        return new Stopped(texts(n.path("recordings")), texts(n.path("failures")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return List.copyOf(out);
    }

    private JsonNode send(String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(server.resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(5)) // a stop waits for the recording's delivery
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode answer;
        try {
            answer = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            answer = JSON.createObjectNode();
        }
        if (r.statusCode() != expected) {
            String message = answer.path("message").asText("");
            throw new IOException(method + " " + path + ": the server answered " + r.statusCode()
                    + (message.isEmpty() ? "" : ": " + message));
        }
        return answer;
    }
}
