package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.library.database.Database;
import org.medsync.server.TestServer;
import org.medsync.server.cluster.RedisProcess;

/**
 * Redis stopped under two running nodes and started again (empty, as after a crash): each node reports it
 * (health "degraded", redis "down"), keeps serving with new readouts placed on itself, refuses a participant it
 * cannot bridge with a clear close code, and works as one cluster again once Redis is back.
 */
class RedisOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisProcess redis;
    private static Path dbDir;
    private static Database db;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        // Under /tmp: when tests run as root the embedded PostgreSQL runs in a user namespace and must reach it.
        dbDir = Files.createTempDirectory(Path.of("/tmp"), "medsync-redis-outage-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        db = Database.start(Database.Settings.embedded(dbDir.resolve("postgres"), dbPort));
        String password = Files.readString(Database.embeddedPasswordFile(dbDir.resolve("postgres")))
                .trim();
        a = TestServer.start(false, node("node-a", dbPort, password));
        b = TestServer.start(false, node("node-b", dbPort, password));
    }

    private static Properties node(String name, int dbPort, String password) {
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        p.setProperty("db.user", "postgres");
        p.setProperty("db.password", password);
        p.setProperty("cluster.redis-url", redis.url().toString());
        p.setProperty("cluster.node-name", name);
        p.setProperty("cluster.node-ttl-seconds", "3");
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, db, redis}) {
            if (c != null) {
                c.close();
            }
        }
        try (var walk = Files.walk(dbDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void redisOutageIsReportedAndRecovered() throws Exception {
        HttpClient attOnA = a.login("attending");
        HttpClient resOnB = b.login("resident");
        awaitHealth(a, "up");
        awaitHealth(b, "up");
        String before = TwoNodeReadoutTest.createReadout(a, attOnA);

        redis.stop();
        JsonNode down = awaitHealth(a, "degraded");
        assertEquals("down", down.path("redis").asText());
        assertEquals("up", down.path("database").asText());
        assertEquals("down", awaitHealth(b, "degraded").path("redis").asText());

        // Each node still serves: a new readout is placed on the node that created it, and runs there.
        String onA = TwoNodeReadoutTest.createReadout(a, attOnA);
        String onB = TwoNodeReadoutTest.createReadout(b, resOnB);
        assertTrue(homeNode(onA).startsWith("node-a-"), homeNode(onA));
        assertTrue(homeNode(onB).startsWith("node-b-"), homeNode(onB));
        TwoNodeReadoutTest.Peer local = TwoNodeReadoutTest.connect(a, attOnA, onA);
        local.next(ServerMessage.Welcome.class);
        // A participant whose readout runs on the other node cannot be bridged without Redis: told to retry, not left
        // hanging.
        TwoNodeReadoutTest.Peer cut = TwoNodeReadoutTest.connect(b, resOnB, onA);
        assertEquals(1013, cut.next(TwoNodeReadoutTest.Closed.class).code());
        local.ws.sendClose(1000, "done").join();

        redis.startAgain();
        awaitHealth(a, "up");
        awaitHealth(b, "up");
        // One cluster again: participants on either node share the readouts made before and during the outage.
        for (String id : new String[] {before, onA, onB}) {
            awaitBridgedWelcome(id, attOnA, resOnB);
        }
    }

    /** Both nodes' participants get into the readout; the subscriptions come back within a second of Redis, so a few tries. */
    private static void awaitBridgedWelcome(String id, HttpClient attOnA, HttpClient resOnB) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TwoNodeReadoutTest.Peer pa = TwoNodeReadoutTest.connect(a, attOnA, id);
            TwoNodeReadoutTest.Peer pb = TwoNodeReadoutTest.connect(b, resOnB, id);
            Object first = pb.in.poll(5, TimeUnit.SECONDS);
            Object firstA = pa.in.poll(5, TimeUnit.SECONDS);
            pa.ws.sendClose(1000, "done");
            pb.ws.sendClose(1000, "done");
            if (first instanceof ServerMessage.Welcome && firstA instanceof ServerMessage.Welcome) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("readout " + id + " not joined on both nodes after Redis came back: " + first + ", " + firstA);
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode awaitHealth(TestServer node, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(node.http().resolve("/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "a node without Redis still serves: " + r.body());
            JsonNode h = JSON.readTree(r.body());
            if (h.path("status").asText().equals(status)) {
                assertTrue(h.has("redis"), r.body());
                return h;
            }
            if (System.nanoTime() > deadline) {
                fail("health of " + node.http() + " is not '" + status + "' within 20 s: " + r.body());
            }
            Thread.sleep(200);
        }
    }

    private static String homeNode(String readout) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select home_node from readout where id = ?")) {
            ps.setString(1, readout);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "readout not stored");
                return rs.getString(1);
            }
        }
    }
}
