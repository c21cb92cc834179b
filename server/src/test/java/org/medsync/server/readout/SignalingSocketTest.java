package org.medsync.server.readout;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.conference.protocol.ClientMessage;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.server.TestServer;

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

import static org.junit.jupiter.api.Assertions.*;

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
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(server.http().resolve("/api/readouts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\"1.2.3\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    static Peer connect(HttpClient c, String readout) {
        Peer p = new Peer();
        p.ws = c.newWebSocketBuilder().buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + readout), p).join();
        return p;
    }

    @Test
    void withoutSession_upgradeIsRefused() throws Exception {
        String id = createReadout(server.login("attending"));
        HttpClient anonymous = HttpClient.newHttpClient();
        CompletableFuture<WebSocket> f = anonymous.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + id), new Peer());
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertTrue(String.valueOf(e.getCause()).contains("401") || e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
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

        // A signal reaches only its addressee, stamped with the real sender (the student cannot speak as the attending).
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
        assertEquals("look at the left frontal lobe", s.next(ServerMessage.Chat.class).text());
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
        HttpResponse<String> inv = att.send(HttpRequest.newBuilder(server.http().resolve("/api/readouts/" + id + "/invites"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"student\",\"minutes\":5}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, inv.statusCode(), inv.body());
        String token = inv.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        HttpClient guest = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
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

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> join(HttpClient c, String token) throws Exception {
        return c.send(HttpRequest.newBuilder(server.http().resolve("/api/readouts/join")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"name\":\"Sam\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
