package org.medsync.server.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session on Janus's HTTP API (janus.conf.meetecho.com/docs/rest.html): requests are POSTed, events come
 * from a long-poll GET (which also keeps the session alive). Asynchronous plugin requests ("ack" first) wait for
 * the event carrying their transaction; other events (webrtcup, hangup, media) go to the handle's listener.
 */
public final class JanusSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JanusSession.class);
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TRANSACTIONS = new AtomicLong();
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final HttpClient http;
    private final URI base;
    private final String apiSecret;
    private final Duration timeout;
    private final long id;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<JsonNode>> listeners = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    private JanusSession(HttpClient http, URI base, String apiSecret, Duration timeout, long id) {
        this.http = http;
        this.base = base;
        this.apiSecret = apiSecret;
        this.timeout = timeout;
        this.id = id;
        this.poller = Thread.ofVirtual().name("janus-poll-" + id).start(this::poll);
    }

    /** Creates a session on the Janus at {@code base} (e.g. http://127.0.0.1:8088/janus). */
    public static JanusSession create(HttpClient http, URI base, String apiSecret, Duration timeout)
            throws JanusException {
        JsonNode r = post(http, base, apiSecret, timeout, request("create", apiSecret));
        expect(r, "success", "create session");
        return new JanusSession(
                http, base, apiSecret, timeout, r.path("data").path("id").asLong());
    }

    /** Attaches to {@code plugin} (e.g. janus.plugin.videoroom); {@code listener} gets the handle's unsolicited events. */
    public Handle attach(String plugin, Consumer<JsonNode> listener) throws JanusException {
        ObjectNode body = request("attach").put("plugin", plugin);
        JsonNode r = post(http, sessionUri(), apiSecret, timeout, body);
        expect(r, "success", "attach " + plugin);
        Handle h = new Handle(r.path("data").path("id").asLong());
        listeners.put(h.id, listener);
        return h;
    }

    /** One plugin handle: one PeerConnection on Janus's side (or none, for room administration). */
    public final class Handle {
        private final long id;

        private Handle(long id) {
            this.id = id;
        }

        public long id() {
            return id;
        }

        private URI uri() {
            return base.resolve(base.getPath() + "/" + JanusSession.this.id + "/" + id);
        }

        /**
         * A plugin request, with an optional JSEP. Returns the plugin's data (with the event's "jsep" copied in as
         * "jsep", if any), waiting for the asynchronous event when Janus acknowledges first.
         *
         * @throws JanusException when Janus or the plugin refuses it (the plugin's error text), or on timeout
         */
        public JsonNode message(ObjectNode body, JsonNode jsep) throws JanusException {
            ObjectNode m = request("message");
            m.set("body", body);
            if (jsep != null) {
                m.set("jsep", jsep);
            }
            String tx = m.path("transaction").asText();
            CompletableFuture<JsonNode> event = new CompletableFuture<>();
            pending.put(tx, event);
            try {
                JsonNode r = post(http, uri(), apiSecret, timeout, m);
                JsonNode answer = switch (r.path("janus").asText()) {
                    case "success" -> r;
                    case "ack" -> event.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    default -> throw new JanusException(body.path("request").asText() + ": " + error(r));
                };
                JsonNode data = answer.path("plugindata").path("data");
                if (data.has("error")) {
                    throw new JanusException(body.path("request").asText() + ": "
                            + data.path("error").asText() + " ("
                            + data.path("error_code").asInt() + ")");
                }
                if (!(data instanceof ObjectNode o)) {
                    throw new JanusException(body.path("request").asText() + ": no plugin data in "
                            + answer.path("janus").asText());
                }
                if (answer.has("jsep")) {
                    o.set("jsep", answer.get("jsep"));
                }
                return o;
            } catch (TimeoutException e) {
                throw new JanusException(
                        body.path("request").asText() + ": no answer from Janus in " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new JanusException(body.path("request").asText() + ": " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JanusException("interrupted", e);
            } finally {
                pending.remove(tx);
            }
        }

        /** An ICE candidate of the peer of this handle (RTCIceCandidateInit JSON, or {"completed": true}). */
        public void trickle(JsonNode candidate) throws JanusException {
            ObjectNode m = request("trickle");
            m.set("candidate", candidate);
            expect(post(http, uri(), apiSecret, timeout, m), "ack", "trickle");
        }

        /** Detaches the handle; Janus closes its PeerConnection. A handle already gone is not an error. */
        public void detach() {
            listeners.remove(id);
            try {
                post(http, uri(), apiSecret, timeout, request("detach"));
            } catch (JanusException e) {
                log.debug("janus: detach handle {}: {}", id, e.getMessage());
            }
        }
    }

    /** Destroys the session (Janus detaches every handle, closing their PeerConnections) and stops polling. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            post(http, sessionUri(), apiSecret, timeout, request("destroy"));
        } catch (JanusException e) {
            log.debug("janus: destroy session {}: {}", id, e.getMessage());
        }
        poller.interrupt();
        pending.values().forEach(f -> f.completeExceptionally(new JanusException("session closed")));
    }

    public boolean closed() {
        return closed;
    }

    private URI sessionUri() {
        return base.resolve(base.getPath() + "/" + id);
    }

    /** The long-poll: Janus holds the GET up to 30 s and answers with up to maxev events (or a keepalive). */
    private void poll() {
        String query = "?maxev=10"
                + (apiSecret.isEmpty() ? "" : "&apisecret=" + URLEncoder.encode(apiSecret, StandardCharsets.UTF_8));
        HttpRequest get = HttpRequest.newBuilder(URI.create(sessionUri() + query))
                .timeout(Duration.ofSeconds(45))
                .GET()
                .build();
        int failures = 0;
        long lastKeepalive = System.nanoTime();
        while (!closed) {
            try {
                if (System.nanoTime() - lastKeepalive > KEEPALIVE_NANOS) {
                    // Explicit keepalives: Janus ends sessions idle for session_timeout (60 s by default).
                    post(http, sessionUri(), apiSecret, timeout, request("keepalive"));
                    lastKeepalive = System.nanoTime();
                }
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                JsonNode events = JSON.readTree(r.body());
                if (events.isArray()) {
                    events.forEach(this::dispatch);
                } else {
                    dispatch(events);
                }
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException | JanusException e) {
                if (closed) {
                    return;
                }
                if (++failures >= 3) {
                    log.warn("janus: session {} lost its event poll: {}", id, e.toString());
                    closed = true;
                    pending.values().forEach(f -> f.completeExceptionally(new JanusException("Janus went away: " + e)));
                    listeners
                            .values()
                            .forEach(l -> l.accept(JSON.createObjectNode().put("janus", "gone")));
                    return;
                }
                try {
                    Thread.sleep(200L * failures);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void dispatch(JsonNode event) {
        String type = event.path("janus").asText();
        if (type.equals("keepalive")) {
            return;
        }
        CompletableFuture<JsonNode> waiting =
                event.has("transaction") ? pending.get(event.path("transaction").asText()) : null;
        if (waiting != null && type.equals("event")) {
            waiting.complete(event);
            return;
        }
        if (type.equals("error") && waiting != null) {
            waiting.completeExceptionally(new JanusException(error(event)));
            return;
        }
        Consumer<JsonNode> listener = listeners.get(event.path("sender").asLong());
        if (listener != null) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("janus: event listener failed on {}: {}", type, e.toString());
            }
        }
    }

    private ObjectNode request(String janus) {
        return request(janus, apiSecret);
    }

    private static ObjectNode request(String janus, String apiSecret) {
        ObjectNode m =
                JSON.createObjectNode().put("janus", janus).put("transaction", "t" + TRANSACTIONS.incrementAndGet());
        if (!apiSecret.isEmpty()) {
            m.put("apisecret", apiSecret);
        }
        return m;
    }

    static JsonNode post(HttpClient http, URI uri, String apiSecret, Duration timeout, JsonNode body)
            throws JanusException {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new JanusException("HTTP " + r.statusCode() + " from Janus");
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new JanusException("Janus unreachable at " + uri.getHost() + ":" + uri.getPort() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JanusException("interrupted", e);
        }
    }

    private static void expect(JsonNode r, String janus, String what) throws JanusException {
        if (!r.path("janus").asText().equals(janus)) {
            throw new JanusException(what + ": " + error(r));
        }
    }

    private static String error(JsonNode r) {
        JsonNode e = r.path("error");
        return e.isMissingNode()
                ? "unexpected '" + r.path("janus").asText() + "'"
                : e.path("reason").asText() + " (" + e.path("code").asInt() + ")";
    }
}
