package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.medsync.rtv.control.ControlToken;

/**
 * A RECORDING ENDPOINT, not a device: a JDK HttpServer on loopback that speaks the request/answer shapes
 * of docs/rtv-control.md and records every request it gets, so a test can check the exact JSON the
 * configurator sends. It has no video, no RTP and no behaviour beyond the status codes of the contract,
 * including 401 for a request without its bearer token (a token file in {@code dir}, mode 0600).
 */
final class RecordingDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(long order, String method, String path, String contentType, String authorization, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** What GET /SDP answers. */
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=recording\r\nt=0 0\r\n";

    private static final AtomicLong ORDER = new AtomicLong();
    private final HttpServer http;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** When set, PUT /config answers 400 with this error code, as a device that cannot apply it. */
    volatile String refuseConfigWith;
    /** When set, GET /status answers a state string of this many bytes, as a hostile or broken device. */
    volatile int statusBytes;

    final ControlToken token;
    final Path tokenFile;

    RecordingDevice(Path dir, String name) throws IOException {
        tokenFile = dir.resolve(name + ".token");
        token = ControlToken.loadOrCreate(tokenFile).token();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", this::handle);
        http.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    List<Request> requests(String method, String path) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(
                    ORDER.incrementAndGet(),
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"),
                    auth,
                    body));
            if (auth == null || !auth.startsWith("Bearer ") || !token.matches(auth.substring(7))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"medsync-rtv\"");
                answer(
                        ex,
                        401,
                        "application/json",
                        "{\"error\":\"unauthorized\",\"message\":\"the bearer token is not this device's\"}");
                return;
            }
            switch (key) {
                case "PUT /config" -> {
                    if (refuseConfigWith != null) {
                        answer(
                                ex,
                                400,
                                "application/json",
                                "{\"error\":\"" + refuseConfigWith
                                        + "\",\"message\":\"cannot apply this configuration\"}");
                    } else {
                        answer(ex, 200, "application/json", body);
                    }
                }
                case "GET /SDP" -> answer(ex, 200, "application/sdp", SDP);
                case "GET /status" ->
                    answer(
                            ex,
                            200,
                            "application/json",
                            statusBytes == 0
                                    ? "{\"state\":\"recorded\"}"
                                    : "{\"state\":\"" + "x".repeat(statusBytes) + "\"}");
                case "POST /start", "POST /stop", "POST /metadata/dynamic" -> ex.sendResponseHeaders(204, -1);
                default -> answer(ex, 404, "application/json", "{\"error\":\"not-found\",\"message\":\"" + key + "\"}");
            }
        }
    }

    private static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
