package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.gateway.h264.H264Encoder;
import org.medsync.library.database.Database;
import org.medsync.server.NodeProcess;
import org.medsync.server.TestServer;
import org.medsync.server.cluster.RedisProcess;
import org.medsync.server.demo.DemoContent;

/**
 * Two nodes share the viewers of one OR (docs/or-gateway.md "Several nodes"): node a in this JVM, node b a server
 * process of its own (so that it can be killed as a crash does), one real PostgreSQL, one real Redis, each node its
 * own real Janus. The flow's one encode runs on the node that took its lease; the other node's Janus gets that
 * node's RTP and its viewers that node's metadata; the viewer counts agree; killing the encoding node moves the
 * encode to the survivor within a few seconds.
 */
class TwoNodeOrTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OR = "or7";
    private static final String FLOW = "endoscope";
    private static RedisProcess redis;
    private static Path shared;
    private static Database db;
    private static TestServer a;
    private static NodeProcess b;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RedisProcess.installed(), "redis-server is installed by scripts/setup --test");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup --test");
        redis = RedisProcess.start();
        shared = Files.createTempDirectory(Path.of("/tmp"), "medsync-or-cluster-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        db = Database.start(Database.Settings.embedded(shared.resolve("db"), dbPort));
        a = TestServer.start(false, node("node-a", dbPort, "44100-44199", "44200-44249"));
        b = NodeProcess.start(node("node-b", dbPort, "44250-44349", "44350-44399"));
    }

    private static Properties node(String name, int dbPort, String ice, String ingest) throws Exception {
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        p.setProperty("db.user", "postgres");
        p.setProperty(
                "db.password",
                Files.readString(Database.embeddedPasswordFile(shared.resolve("db")))
                        .trim());
        p.setProperty("cluster.redis-url", redis.url().toString());
        p.setProperty("cluster.node-name", name);
        p.setProperty("cluster.node-ttl-seconds", "3");
        p.setProperty("ors", OR);
        p.setProperty("or." + OR + ".name", "OR 7");
        p.setProperty("or." + OR + ".flows", FLOW);
        p.setProperty("or." + OR + ".flow." + FLOW + ".sdp", "test-pattern:720p10");
        p.setProperty(
                "or." + OR + ".test-pattern.metadata",
                "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"CLUSTER^PAT\"}]},"
                        + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"Two-node test\"]}}");
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", ice);
        p.setProperty("or.sfu.ingest-ports", ingest);
        p.setProperty("or.gateway.latency-ms", "200");
        p.setProperty("or.gateway.bitrate-kbps", "800");
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, db, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // node b was killed by the test
                }
            }
        }
        if (shared != null) {
            try (var walk = Files.walk(shared)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static HttpClient login(URI node, String user) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(node.resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + user + "\",\"password\":\"" + DemoContent.PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return client;
    }

    private static JsonNode call(HttpClient c, URI node, String method, String path, String body) throws Exception {
        HttpResponse<String> r = c.send(
                HttpRequest.newBuilder(node.resolve(path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static int viewers(HttpClient c, URI node) throws Exception {
        return call(c, node, "GET", "/api/ors/" + OR, null)
                .path("flows")
                .get(0)
                .path("viewers")
                .asInt();
    }

    private static long await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within " + seconds + " s: " + what);
            Thread.sleep(100);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static boolean freshRtpAtA() {
        OptionalLong age = a.server().ors().ingestAgeMs(OR, FLOW);
        return age.isPresent() && age.getAsLong() < 500;
    }

    /** A metadata socket's text messages. */
    private static final class Messages implements WebSocket.Listener {
        final BlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    in.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    in.add(JSON.createObjectNode().put("type", "unparsable " + e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                JsonNode m = in.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && m.path("type").asText().equals(type)) {
                    return m;
                }
            }
            throw new AssertionError("no '" + type + "' message within 20 s");
        }
    }

    @Test
    void viewersOnBothNodes_oneEncode_countsAgree_andTheEncodeMovesWhenItsNodeDies() throws Exception {
        int encodersBefore = H264Encoder.openEncoders();
        HttpClient atB = login(b.http(), "attending");
        HttpClient atA = login(a.http(), "resident");

        // The first viewer is on node b: b takes the flow's lease and encodes.
        JsonNode watchB = call(atB, b.http(), "POST", "/api/ors/" + OR + "/watch", "{}");
        assertTrue(watchB.path("offer").path("sdp").asText().startsWith("v=0"), watchB.toString());
        JsonNode watchA = call(atA, a.http(), "POST", "/api/ors/" + OR + "/watch", "{}");
        assertTrue(watchA.path("offer").path("sdp").asText().startsWith("v=0"), watchA.toString());
        String viewingA = watchA.path("viewing").asText();

        // Node a encodes nothing, yet its Janus receives the flow: node b's one encode, sent to both nodes' Janus.
        await("node b's RTP reaches node a's Janus", 20, TwoNodeOrTest::freshRtpAtA);
        assertNull(a.server().ors().gatewayStatus(OR, FLOW), "node a runs no gateway for the flow");
        assertEquals(encodersBefore, H264Encoder.openEncoders(), "no encoder opened in node a's process");

        // The counts agree: both nodes say 2 viewers.
        await("both nodes count 2 viewers", 10, () -> {
            try {
                return viewers(atA, a.http()) == 2 && viewers(atB, b.http()) == 2;
            } catch (Exception e) {
                return false;
            }
        });

        // Node a's viewer gets the flow's metadata from node b's gateway, through Redis.
        Messages messages = new Messages();
        WebSocket ws = atA.newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://" + a.http().getAuthority() + "/api/ors/" + OR + "/viewings/" + viewingA
                                + "/metadata"),
                        messages)
                .get(10, TimeUnit.SECONDS);
        assertEquals(false, messages.next("hello").path("deidentified").asBoolean());
        JsonNode staticPart = messages.next("static");
        assertEquals(
                "CLUSTER^PAT",
                staticPart
                        .path("dataset")
                        .path("00100010")
                        .path("Value")
                        .get(0)
                        .path("Alphabetic")
                        .asText(),
                "the resident sees the identity");
        JsonNode frame = messages.next("frame");
        assertTrue(frame.path("rtpTimestamp").asLong() > 0, frame.toString());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "");

        // Node b dies (SIGKILL: no goodbye, its lease is left to expire): node a takes the encode over.
        b.kill();
        long movedMs = await("node a encodes after node b died", 15, () -> {
            var s = a.server().ors().gatewayStatus(OR, FLOW);
            return s != null && s.framesEncoded() > 0 && freshRtpAtA();
        });
        System.out.println("OR cluster: the encode moved to node a " + movedMs + " ms after node b was killed");
        assertTrue(movedMs < 10_000, "moved within a few seconds: " + movedMs + " ms");
        assertEquals(encodersBefore + 1, H264Encoder.openEncoders(), "one encoder: node a's");
        // Node b's entry expires with it: node a's one viewer is the cluster's.
        await("node a counts 1 viewer", 10, () -> {
            try {
                return viewers(atA, a.http()) == 1;
            } catch (Exception e) {
                return false;
            }
        });

        // Each viewing was recorded by the node that served it.
        Map<String, String> nodeOf = Map.of(watchB.path("viewing").asText(), "node-b", viewingA, "node-a");
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select id, node from or_viewing where id = any(?)")) {
            s.setArray(1, c.createArrayOf("text", List.copyOf(nodeOf.keySet()).toArray()));
            int rows = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows++;
                    assertEquals(nodeOf.get(r.getString(1)), r.getString(2), "viewing " + r.getString(1));
                }
            }
            assertEquals(2, rows);
        }
        assertNotNull(a.server().ors().clusterNode());
        call(atA, a.http(), "POST", "/api/ors/" + OR + "/viewings/" + viewingA + "/stop", null);
    }
}
