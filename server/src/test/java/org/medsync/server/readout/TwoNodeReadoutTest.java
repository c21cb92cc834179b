package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.library.database.Database;
import org.medsync.server.TestServer;
import org.medsync.server.cluster.RedisProcess;

/**
 * Two server processes' worth of nodes (two MedSyncServers in this JVM, each with its own HTTP port, sessions and
 * hub) on one real PostgreSQL and one real Redis: participants whose sockets reach different nodes share one
 * readout, run by its home node, and survive that node stopping by reconnecting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeReadoutTest {
    private static final Codec CODEC = new Codec(ReadoutService.LIMITS);
    private static final int WAIT_SECONDS = 30;
    private static RedisProcess redis;
    private static Path dbDir;
    private static Database db;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisProcess.start();
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        dbDir = Files.createTempDirectory(Path.of("/tmp"), "medsync-cluster-db-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        db = Database.start(Database.Settings.embedded(dbDir.resolve("postgres"), dbPort));
        a = TestServer.start(false, node("node-a", dbPort));
        b = TestServer.start(false, node("node-b", dbPort));
    }

    private static Properties node(String name, int dbPort) throws java.io.IOException {
        String dbPassword = Files.readString(Database.embeddedPasswordFile(dbDir.resolve("postgres")))
                .trim();
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        p.setProperty("db.user", "postgres");
        p.setProperty("db.password", dbPassword);
        p.setProperty("cluster.redis-url", redis.url().toString());
        p.setProperty("cluster.node-name", name);
        p.setProperty("cluster.node-ttl-seconds", "3");
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, db, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the failover test stops one node itself
                }
            }
        }
        if (dbDir != null) {
            try (var walk = Files.walk(dbDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** A participant: a WebSocket that decodes what the server sends. */
    static final class Peer implements WebSocket.Listener {
        final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
        WebSocket ws;
        private final ByteBuffer partial = ByteBuffer.allocate(1 << 17);

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            partial.put(data);
            if (last) {
                partial.flip();
                byte[] bytes = new byte[partial.remaining()];
                partial.get(bytes);
                partial.clear();
                try {
                    in.add(CODEC.decodeServer(bytes));
                } catch (Exception e) {
                    in.add(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            in.add(new Closed(statusCode));
            return null;
        }

        <T> T next(Class<T> type) throws InterruptedException {
            return next(type, m -> true);
        }

        /** The next message of this type that matches, skipping the others. */
        <T> T next(Class<T> type, Predicate<T> matches) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                Object m = in.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(m, "no matching " + type.getSimpleName() + " within " + WAIT_SECONDS + " s");
                if (type.isInstance(m) && matches.test(type.cast(m))) {
                    return type.cast(m);
                }
            }
        }

        void send(ClientMessage m) {
            send(CODEC.encode(m));
        }

        void send(byte[] bytes) {
            ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
        }
    }

    record Closed(int code) {}

    static String createReadout(TestServer node, HttpClient c) throws Exception {
        HttpResponse<String> r = c.send(
                HttpRequest.newBuilder(node.http().resolve("/api/readouts"))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"title\":\"t\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\"1.2.3\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    static Peer connect(TestServer node, HttpClient c, String readout) {
        Peer p = new Peer();
        p.ws = c.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + node.http().getAuthority() + "/ws/readouts/" + readout), p)
                .join();
        return p;
    }

    static String homeNode(String readout) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select home_node from readout where id = ?")) {
            ps.setString(1, readout);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "readout not stored");
                return rs.getString(1);
            }
        }
    }

    static Set<Integer> ids(ServerMessage.Roster r) {
        return r.peers().stream().map(ServerMessage.Peer::id).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void participantsOnTwoNodes_shareOneReadout() throws Exception {
        HttpClient attendingOnA = a.login("attending");
        String id = createReadout(a, attendingOnA);
        // The readout is visible on both nodes (it lives in the database), and so is its invite key.
        assertEquals(
                200,
                b.login("resident")
                        .send(
                                HttpRequest.newBuilder(b.http().resolve("/api/readouts/" + id))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());

        Peer att = connect(a, attendingOnA, id);
        Peer res = connect(b, b.login("resident"), id);
        Peer stu = connect(b, b.login("student"), id);
        int pa = att.next(ServerMessage.Welcome.class).you();
        int pr = res.next(ServerMessage.Welcome.class).you();
        int ps = stu.next(ServerMessage.Welcome.class).you();
        // Peer ids come from the one home hub: distinct across nodes.
        assertEquals(3, Set.of(pa, pr, ps).size());
        Set<Integer> all = Set.of(pa, pr, ps);
        for (Peer p : List.of(att, res, stu)) {
            p.next(ServerMessage.Roster.class, r -> ids(r).equals(all));
        }

        // Signals cross nodes either way, stamped with the real sender by the home node.
        stu.send(new ClientMessage.Signal(pa, SignalKind.OFFER, "v=0 from node b"));
        ServerMessage.Signal toA = att.next(ServerMessage.Signal.class);
        assertEquals(new ServerMessage.Signal(ps, SignalKind.OFFER, "v=0 from node b"), toA);
        att.send(new ClientMessage.Signal(pr, SignalKind.ANSWER, "v=0 from node a"));
        assertEquals(
                new ServerMessage.Signal(pa, SignalKind.ANSWER, "v=0 from node a"),
                res.next(ServerMessage.Signal.class));

        // Garbage from a participant on either node is refused by the home hub, to that participant only.
        stu.send(new byte[] {(byte) 0xc1});
        assertEquals("malformed", stu.next(ServerMessage.Error.class).code());
        stu.send(new ClientMessage.FloorRequest(false));
        assertEquals("floor-not-allowed", stu.next(ServerMessage.Error.class).code());

        // Two floor requests at once, from two nodes: exactly one holder, the other queued, seen alike everywhere.
        att.send(new ClientMessage.FloorRequest(false));
        res.send(new ClientMessage.FloorRequest(false));
        ServerMessage.Floor settled = stu.next(
                ServerMessage.Floor.class, f -> f.holder() != 0 && f.requests().size() == 1);
        assertTrue(settled.holder() == pa || settled.holder() == pr, settled.toString());
        assertEquals(settled.holder() == pa ? pr : pa, settled.requests().getFirst());
        assertEquals(
                settled,
                att.next(
                        ServerMessage.Floor.class,
                        f -> f.epoch() == settled.epoch() && f.requests().size() == 1));
        assertEquals(
                settled,
                res.next(
                        ServerMessage.Floor.class,
                        f -> f.epoch() == settled.epoch() && f.requests().size() == 1));

        // Chat reaches both nodes.
        res.send(new ClientMessage.Chat("look at the left frontal lobe"));
        assertEquals(pr, att.next(ServerMessage.Chat.class).from());
        assertEquals(
                "look at the left frontal lobe",
                stu.next(ServerMessage.Chat.class).text());
        att.send(new ClientMessage.Chat("agreed"));
        assertEquals(
                "agreed",
                res.next(ServerMessage.Chat.class, c -> c.from() == pa).text());

        // Late joiners on either node get the history.
        for (TestServer node : List.of(a, b)) {
            Peer late = connect(node, node.login("observer"), id);
            ServerMessage.Welcome w = late.next(ServerMessage.Welcome.class);
            assertEquals(
                    List.of("look at the left frontal lobe", "agreed"),
                    w.chat().stream().map(ServerMessage.Chat::text).toList());
            assertEquals(settled.holder(), w.floor().holder());
            late.ws.sendClose(1000, "bye").join();
        }

        // The driver is the participant on node b; its socket drops: the floor frees itself on both nodes.
        if (settled.holder() == pa) {
            att.send(new ClientMessage.FloorHandOver(pr));
            stu.next(ServerMessage.Floor.class, f -> f.holder() == pr);
        }
        res.ws.abort();
        att.next(ServerMessage.Floor.class, f -> f.holder() == 0);
        stu.next(ServerMessage.Floor.class, f -> f.holder() == 0);
        att.next(ServerMessage.Roster.class, r -> ids(r).equals(Set.of(pa, ps)));
        att.ws.sendClose(1000, "done").join();
        stu.ws.sendClose(1000, "done").join();
    }

    @Test
    @Order(2)
    void guestInvitedOnOneNode_joinsOnTheOther() throws Exception {
        HttpClient att = b.login("attending");
        String id = createReadout(b, att);
        HttpResponse<String> inv = att.send(
                HttpRequest.newBuilder(b.http().resolve("/api/readouts/" + id + "/invites"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"student\",\"minutes\":5}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, inv.statusCode(), inv.body());
        String token = inv.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        // Signed by node b, redeemed on node a: the invite key is the installation's, in the database.
        HttpClient guest = HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .build();
        HttpResponse<String> joined = guest.send(
                HttpRequest.newBuilder(a.http().resolve("/api/readouts/join"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"name\":\"Sam\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, joined.statusCode(), joined.body());
        Peer g = connect(a, guest, id);
        assertEquals("student", g.next(ServerMessage.Welcome.class).role());
        assertEquals(
                200,
                guest.send(
                                HttpRequest.newBuilder(a.http().resolve("/dicomweb/local/studies/1.2.3/series"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
        assertEquals(
                403,
                guest.send(
                                HttpRequest.newBuilder(a.http().resolve("/dicomweb/local/studies/9.9.9/series"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());

        // Revoked on node b, the guest on node a is out: the invite's record in the database decides on every node.
        String inviteId = inv.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        assertEquals(
                204,
                att.send(
                                HttpRequest.newBuilder(b.http().resolve("/api/readouts/" + id + "/invites/" + inviteId))
                                        .DELETE()
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
        assertEquals(
                401,
                guest.send(
                                HttpRequest.newBuilder(a.http().resolve("/dicomweb/local/studies/1.2.3/series"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
        long t0 = System.nanoTime();
        assertEquals(new Closed(SignalingSocket.ACCESS_ENDED), g.next(Closed.class));
        assertTrue(
                System.nanoTime() - t0
                        < ReadoutService.ACCESS_SWEEP.plusSeconds(5).toNanos(),
                "closed within a sweep (and some slack for a busy machine)");
    }

    @Test
    @Order(3)
    void readoutTakenOverByAnotherNode_isReleasedByTheOld_participantsFollow() throws Exception {
        HttpClient attOnA = a.login("attending");
        HttpClient resOnB = b.login("resident");
        String id = createReadout(a, attOnA);
        Peer att = connect(a, attOnA, id);
        Peer res = connect(b, resOnB, id);
        att.next(ServerMessage.Welcome.class);
        res.next(ServerMessage.Welcome.class);
        String home = homeNode(id);
        String other;
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(redis.url())) {
            other = j.smembers("medsync:nodes").stream()
                    .filter(n -> !n.equals(home))
                    .findFirst()
                    .orElseThrow();
        }
        // As if the other node had taken the readout over while this home was thought gone (a race that the
        // heartbeat cannot see): the old home notices at a heartbeat and lets go.
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("update readout set home_node = ? where id = ?")) {
            ps.setString(1, other);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(1012, att.next(Closed.class).code());
        assertEquals(1012, res.next(Closed.class).code());
        Peer att2 = connect(a, attOnA, id);
        Peer res2 = connect(b, resOnB, id);
        int pa = att2.next(ServerMessage.Welcome.class).you();
        int pr = res2.next(ServerMessage.Welcome.class).you();
        att2.next(ServerMessage.Roster.class, r -> ids(r).equals(Set.of(pa, pr)));
        res2.next(ServerMessage.Roster.class, r -> ids(r).equals(Set.of(pa, pr)));
        assertEquals(other, homeNode(id));
        att2.ws.sendClose(1000, "done").join();
        res2.ws.sendClose(1000, "done").join();
    }

    @Test
    @Order(4)
    void homeNodeStops_itsParticipantsReconnect_andAnotherNodeRunsTheReadout() throws Exception {
        HttpClient attOnA = a.login("attending");
        HttpClient resOnB = b.login("resident");
        String id = createReadout(a, attOnA);
        Peer att = connect(a, attOnA, id);
        Peer res = connect(b, resOnB, id);
        att.next(ServerMessage.Welcome.class);
        res.next(ServerMessage.Welcome.class);
        att.send(new ClientMessage.Chat("before"));
        res.next(ServerMessage.Chat.class);

        String home = homeNode(id);
        boolean homeIsA = home.startsWith("node-a-");
        assertTrue(homeIsA || home.startsWith("node-b-"), home);
        TestServer homeServer = homeIsA ? a : b;
        TestServer survivor = homeIsA ? b : a;
        Peer onSurvivor = homeIsA ? res : att;
        HttpClient survivorClient = homeIsA ? resOnB : attOnA;

        homeServer.close();
        // The participant bridged from the surviving node is closed and told to reconnect (1001: going away) ...
        assertEquals(1001, onSurvivor.next(Closed.class).code());
        // ... and reconnecting, as browsers do, it finds the readout run by the surviving node, fresh.
        Peer back = connect(survivor, survivorClient, id);
        ServerMessage.Welcome w = back.next(ServerMessage.Welcome.class);
        assertEquals(id, w.readoutId());
        assertEquals(0, w.floor().holder());
        assertTrue(homeNode(id).startsWith(homeIsA ? "node-b-" : "node-a-"), homeNode(id));
        back.send(new ClientMessage.FloorRequest(false));
        assertEquals(w.you(), back.next(ServerMessage.Floor.class).holder());
        back.ws.sendClose(1000, "done").join();
    }
}
