package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.server.TestServer;

/** The signaling WebSocket over a real server with java.net.http clients: authentication, relaying, bad input. */
class SignalingSocketTest {
    private static final Codec CODEC = new Codec(ReadoutService.LIMITS);
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A participant: a WebSocket that decodes what the server sends. */
    static final class Peer implements WebSocket.Listener {
        final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
        WebSocket ws;
        private ByteBuffer partial = ByteBuffer.allocate(1 << 17);

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            partial.put(data);
            if (last) {
                partial.flip();
                byte[] b = new byte[partial.remaining()];
                partial.get(b);
                partial.clear();
                try {
                    in.add(CODEC.decodeServer(b));
                } catch (Exception e) {
                    in.add(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            in.add("closed:" + statusCode);
            return null;
        }

        <T> T next(Class<T> type) throws InterruptedException {
            while (true) {
                Object m = in.poll(5, TimeUnit.SECONDS);
                assertNotNull(m, "no " + type.getSimpleName());
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }

        void send(ClientMessage m) {
            send(CODEC.encode(m));
        }

        void send(byte[] b) {
            ws.sendBinary(ByteBuffer.wrap(b), true).join();
        }
    }

    static String createReadout(HttpClient c) throws Exception {
        HttpResponse<String> r = c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts"))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"title\":\"t\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\"1.2.3\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    static Peer connect(HttpClient c, String readout) {
        Peer p = new Peer();
        p.ws = c.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + readout), p)
                .join();
        return p;
    }

    @Test
    void withoutSession_upgradeIsRefused() throws Exception {
        String id = createReadout(server.login("attending"));
        HttpClient anonymous = HttpClient.newHttpClient();
        CompletableFuture<WebSocket> f = anonymous
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), new Peer());
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(
                String.valueOf(e.getCause()).contains("401")
                        || e.getCause() instanceof java.net.http.WebSocketHandshakeException,
                e.toString());
    }

    @Test
    void mesh_signalsStamped_floorArbitrated_badInputRefused_othersUndisturbed() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        Peer a = connect(att, id);
        Peer r = connect(server.login("resident"), id);
        Peer s = connect(server.login("student"), id);
        int pa = a.next(ServerMessage.Welcome.class).you();
        int pr = r.next(ServerMessage.Welcome.class).you();
        int ps = s.next(ServerMessage.Welcome.class).you();
        assertEquals(3, a.next(ServerMessage.Roster.class).peers().size() >= 1 ? 3 : 0);

        // A signal reaches only its addressee, stamped with the real sender (the student cannot speak as the
        // attending).
        s.send(new ClientMessage.Signal(pr, SignalKind.OFFER, "v=0 forged?"));
        ServerMessage.Signal got = r.next(ServerMessage.Signal.class);
        assertEquals(ps, got.from());

        // Student may not take the floor; malformed, oversized and unknown-peer messages are refused.
        s.send(new ClientMessage.FloorRequest(false));
        assertEquals("floor-not-allowed", s.next(ServerMessage.Error.class).code());
        s.send(new byte[] {(byte) 0x93, 0x10});
        assertEquals("malformed", s.next(ServerMessage.Error.class).code());
        s.send(CODEC.encode(new ClientMessage.Chat("x".repeat(1000))).length > 0 ? new byte[40_000] : new byte[0]);
        assertEquals("too-large", s.next(ServerMessage.Error.class).code());
        s.send(new ClientMessage.Signal(999, SignalKind.ANSWER, "x"));
        assertEquals("unknown-peer", s.next(ServerMessage.Error.class).code());

        // Two ask at once: exactly one driver.
        a.send(new ClientMessage.FloorRequest(false));
        r.send(new ClientMessage.FloorRequest(false));
        ServerMessage.Floor f1 = s.next(ServerMessage.Floor.class);
        ServerMessage.Floor f2 = s.next(ServerMessage.Floor.class);
        assertTrue(f1.holder() == pa || f1.holder() == pr);
        assertEquals(f1.holder(), f2.holder());
        assertEquals(1, f2.requests().size());

        // Chat reaches everyone, including the student who misbehaved.
        r.send(new ClientMessage.Chat("look at the left frontal lobe"));
        assertEquals(
                "look at the left frontal lobe",
                s.next(ServerMessage.Chat.class).text());
        assertEquals(pr, a.next(ServerMessage.Chat.class).from());

        // The driver drops: the floor frees itself.
        Peer driver = f1.holder() == pa ? a : r;
        driver.ws.abort();
        ServerMessage.Floor freed = s.next(ServerMessage.Floor.class);
        assertEquals(0, freed.holder());
        assertFalse(server.server().toString().isEmpty());
    }

    @Test
    void tamperedAndExpiredInvites_areRefused_guestInviteAdmitsStudent() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        HttpResponse<String> inv = att.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts/" + id + "/invites"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"student\",\"minutes\":5}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, inv.statusCode(), inv.body());
        String token = inv.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        HttpClient guest = HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .build();
        String tampered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
        assertEquals(403, join(guest, tampered).statusCode());
        assertEquals(403, join(guest, "v1.garbage").statusCode());
        HttpResponse<String> ok = join(guest, token);
        assertEquals(200, ok.statusCode(), ok.body());
        Peer g = connect(guest, id);
        assertEquals("student", g.next(ServerMessage.Welcome.class).role());
        // The guest reads the readout's studies and nothing else of the library.
        assertEquals(403, get(guest, "/api/worklist").statusCode());
        assertEquals(403, get(guest, "/dicomweb/local/studies").statusCode());
        assertEquals(403, get(guest, "/dicomweb/local/studies/9.9.9/series").statusCode());
        assertEquals(200, get(guest, "/dicomweb/local/studies/1.2.3/series").statusCode());
    }

    private static String invite(HttpClient organizer, String readout, String body) throws Exception {
        HttpResponse<String> inv = organizer.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts/" + readout + "/invites"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, inv.statusCode(), inv.body());
        return inv.body();
    }

    private static String field(String json, String name) {
        return json.replaceAll("(?s).*\"" + name + "\":\"([^\"]+)\".*", "$1");
    }

    private static HttpClient guestClient() {
        return HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .build();
    }

    /** A guest joined with a fresh one-use student invite, connected; returns [the guest's client, the invite's id]. */
    private static Object[] guestIn(HttpClient organizer, String readout, Peer[] socket) throws Exception {
        String inv = invite(organizer, readout, "{\"role\":\"student\",\"minutes\":5}");
        HttpClient guest = guestClient();
        assertEquals(200, join(guest, field(inv, "token")).statusCode());
        socket[0] = connect(guest, readout);
        socket[0].next(ServerMessage.Welcome.class);
        return new Object[] {guest, field(inv, "id")};
    }

    private static String closeCode(Peer p) throws InterruptedException {
        while (true) {
            Object m = p.in.poll(ReadoutService.ACCESS_SWEEP.toSeconds() + 5, TimeUnit.SECONDS);
            assertNotNull(m, "socket not closed");
            if (m instanceof String s && s.startsWith("closed:")) {
                return s;
            }
        }
    }

    @Test
    void crossSiteWebSocketHijackingIsRefused() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        // A page on another site opens the readout socket: the browser would add the attending's cookie.
        CompletableFuture<WebSocket> hijack = att.newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), new Peer());
        CompletionException e = assertThrows(CompletionException.class, hijack::join);
        assertTrue(
                String.valueOf(e.getCause()).contains("403")
                        || e.getCause() instanceof java.net.http.WebSocketHandshakeException,
                e.toString());
        // The app's own page may.
        Peer own = new Peer();
        own.ws = att.newWebSocketBuilder()
                .header("Origin", "http://" + server.http().getAuthority())
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), own)
                .join();
        own.next(ServerMessage.Welcome.class);
    }

    @Test
    void revokedInviteEndsTheGuestsSessionAndSocket() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        Peer[] g = new Peer[1];
        Object[] guest = guestIn(att, id, g);
        HttpClient gc = (HttpClient) guest[0];
        assertEquals(200, get(gc, "/dicomweb/local/studies/1.2.3/series").statusCode());
        HttpResponse<String> listed = get(att, "/api/readouts/" + id + "/invites");
        assertTrue(listed.body().contains("\"uses\":1"), listed.body());

        // A student may not revoke; the attending may.
        Peer[] other = new Peer[1];
        HttpClient otherGuest = (HttpClient) guestIn(att, id, other)[0];
        assertEquals(
                403,
                delete(otherGuest, "/api/readouts/" + id + "/invites/" + guest[1])
                        .statusCode());
        assertEquals(
                204, delete(att, "/api/readouts/" + id + "/invites/" + guest[1]).statusCode());

        assertEquals("closed:" + SignalingSocket.ACCESS_ENDED, closeCode(g[0]));
        HttpResponse<String> after = get(gc, "/dicomweb/local/studies/1.2.3/series");
        assertEquals(401, after.statusCode(), after.body());
        assertEquals(401, get(gc, "/api/readouts/" + id).statusCode());
        CompletableFuture<WebSocket> again = gc.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), new Peer());
        assertThrows(CompletionException.class, again::join);
        // The other guest's invite still holds.
        assertEquals(
                200, get(otherGuest, "/dicomweb/local/studies/1.2.3/series").statusCode());
    }

    @Test
    void expiredInviteEndsTheGuestsAccess() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        Peer[] g = new Peer[1];
        Object[] guest = guestIn(att, id, g);
        HttpClient gc = (HttpClient) guest[0];
        // The invite's time runs out (moved in the database rather than waited for).
        try (java.sql.Connection c = server.server().readouts().store.dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "update readout_invite set expires_at = now() - interval '1 second' where id = ?")) {
            ps.setString(1, (String) guest[1]);
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(401, get(gc, "/dicomweb/local/studies/1.2.3/series").statusCode());
        assertEquals("closed:" + SignalingSocket.ACCESS_ENDED, closeCode(g[0]));
    }

    @Test
    void endedReadoutClosesEveryoneAndAdmitsNobody() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        Peer a = connect(att, id);
        a.next(ServerMessage.Welcome.class);
        Peer[] g = new Peer[1];
        HttpClient gc = (HttpClient) guestIn(att, id, g)[0];
        String unused = field(invite(att, id, "{\"role\":\"observer\",\"minutes\":5}"), "token");
        HttpResponse<String> ended = att.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts/" + id + "/end"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, ended.statusCode(), ended.body());
        assertEquals("closed:" + SignalingSocket.ACCESS_ENDED, closeCode(a));
        assertEquals("closed:" + SignalingSocket.ACCESS_ENDED, closeCode(g[0]));
        assertEquals(401, get(gc, "/dicomweb/local/studies/1.2.3/series").statusCode());
        assertEquals(410, join(guestClient(), unused).statusCode());
        assertThrows(
                CompletionException.class,
                () -> att.newWebSocketBuilder()
                        .buildAsync(
                                URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), new Peer())
                        .join());
    }

    @Test
    void forwardedInviteAdmitsNoMoreGuestsThanItsUses() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        String one = field(invite(att, id, "{\"role\":\"student\",\"minutes\":5}"), "token");
        HttpClient first = guestClient();
        assertEquals(200, join(first, one).statusCode());
        // The guest opening the link again stays who they are and takes no second use.
        HttpResponse<String> again = join(first, one);
        assertEquals(200, again.statusCode(), again.body());
        HttpResponse<String> second = join(guestClient(), one);
        assertEquals(403, second.statusCode());
        assertTrue(second.body().contains("invite-used-up"), second.body());
        String classInvite = field(invite(att, id, "{\"role\":\"student\",\"minutes\":5,\"maxUses\":3}"), "token");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, join(guestClient(), classInvite).statusCode());
        }
        assertEquals(403, join(guestClient(), classInvite).statusCode());
    }

    @Test
    void oneGuestCannotTakeEverySeat() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        Peer a = connect(att, id);
        a.next(ServerMessage.Welcome.class);
        Peer[] g = new Peer[1];
        HttpClient gc = (HttpClient) guestIn(att, id, g)[0];
        // The same guest session opens more sockets: each replaces the one before, the guest keeps one seat.
        Peer latest = g[0];
        for (int i = 0; i < 3; i++) {
            Peer next = connect(gc, id);
            next.next(ServerMessage.Welcome.class);
            assertEquals("closed:" + SignalingSocket.REPLACED, closeCode(latest));
            latest = next;
        }
        ServerMessage.Roster roster = a.next(ServerMessage.Roster.class);
        long deadline = System.currentTimeMillis() + 5000;
        while (roster.peers().size() != 2 && System.currentTimeMillis() < deadline) {
            roster = a.next(ServerMessage.Roster.class);
        }
        assertEquals(2, roster.peers().size(), roster.toString());
    }

    @Test
    void guestCannotJoinUnderAnAccountsName() throws Exception {
        HttpClient att = server.login("attending");
        String id = createReadout(att);
        String token = field(invite(att, id, "{\"role\":\"student\",\"minutes\":5}"), "token");
        for (String name : new String[] {"attending", "Dr Ada Attending"}) {
            HttpResponse<String> r = guestClient()
                    .send(
                            HttpRequest.newBuilder(server.http().resolve("/api/readouts/join"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"token\":\"" + token + "\",\"name\":\"" + name + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(409, r.statusCode(), name + ": " + r.body());
        }
        // Refusing the name used none of the invite's one use.
        assertEquals(200, join(guestClient(), token).statusCode());
    }

    private static HttpResponse<String> delete(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> join(HttpClient c, String token) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts/join"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"name\":\"Sam\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
