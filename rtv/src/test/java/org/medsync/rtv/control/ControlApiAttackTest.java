package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * What a web page open on an OR workstation, or anyone else on the OR network, can try against a device's
 * control port, and what stops it (docs/rtv-control.md "Authentication"). Every request here goes over a
 * plain socket, so the test sends exactly the headers an attacker would.
 */
@Timeout(30)
class ControlApiAttackTest {

    private static final String CONFIG = """
            {"video": {"width": 1280, "height": 720, "rate": "10", "sampling": "YCbCr-4:2:2", "depth": 10,
                       "colorimetry": "BT709"},
             "destination": {"video": {"address": "127.0.0.1", "port": 40000},
                             "metadata": {"address": "127.0.0.1", "port": 40002}, "ttl": 1}}""";

    private final ControlToken token = ControlToken.random();
    private Transmitter tx;
    private TransmitterControl txCtl;
    private Receiver rx;
    private ReceiverControl rxCtl;

    @BeforeEach
    void start() throws Exception {
        SystemMediaClock clock = new SystemMediaClock();
        tx = new Transmitter("Endoscope", f -> new TestPatternSource("E", f), clock, "127.0.0.1", "lo");
        txCtl = new TransmitterControl(
                tx,
                new InetSocketAddress("127.0.0.1", 0),
                new ControlAccess(token, List.of("tx1.or1.hospital.example")));
        rx = new Receiver("rx", clock, "lo");
        rxCtl = new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), ControlAccess.of(token));
    }

    @AfterEach
    void stop() {
        txCtl.close();
        tx.close();
        rxCtl.close();
        rx.close();
    }

    private String host(int port) {
        return "Host: 127.0.0.1:" + port;
    }

    private String bearer() {
        return "Authorization: Bearer " + token.bearer();
    }

    @Test
    void controlRequestWithoutTokenIsRefused() throws Exception {
        int t = txCtl.port();
        for (String[] route : new String[][] {
            {"GET", "/SDP"},
            {"GET", "/status"},
            {"PUT", "/config"},
            {"POST", "/metadata/dynamic"},
            {"POST", "/start"},
            {"POST", "/stop"},
            {"DELETE", "/config"}
        }) {
            String body = route[0].equals("PUT") ? CONFIG : route[1].equals("/metadata/dynamic") ? "{}" : null;
            RawHttp.Answer a = RawHttp.send(t, route[0], route[1], body, host(t), "Content-Type: application/json");
            assertUnauthorized(a, route[0] + " " + route[1]);
        }
        int r = rxCtl.port();
        for (String[] route : new String[][] {{"GET", "/status"}, {"PUT", "/config"}, {"GET", "/snapshot.png"}}) {
            RawHttp.Answer a = RawHttp.send(
                    r,
                    route[0],
                    route[1],
                    route[0].equals("PUT") ? "{\"flows\": []}" : null,
                    host(r),
                    "Content-Type: application/json");
            assertUnauthorized(a, "receiver " + route[0] + " " + route[1]);
        }
        assertNull(tx.status().format(), "the refused PUT /config configured nothing");
        assertEquals("idle", tx.status().state());

        RawHttp.Answer ok =
                RawHttp.send(t, "PUT", "/config", CONFIG, host(t), bearer(), "Content-Type: application/json");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(
                200, RawHttp.send(t, "GET", "/SDP", null, host(t), bearer()).status());
    }

    private static void assertUnauthorized(RawHttp.Answer a, String what) {
        assertEquals(401, a.status(), what + ": " + a.body());
        assertEquals("Bearer realm=\"medsync-rtv\"", a.header("WWW-Authenticate"), what);
        assertEquals("unauthorized", ((Map<?, ?>) Json.parse(a.body())).get("error"), what);
        assertNull(a.header("Access-Control-Allow-Origin"), what);
    }

    @Test
    void wrongTokenIsRefusedInConstantTime() throws Exception {
        int t = txCtl.port();
        String right = token.bearer();
        String flipped = (right.charAt(0) == 'A' ? 'B' : 'A') + right.substring(1);
        for (String wrong : List.of(
                flipped,
                right.substring(0, right.length() - 1),
                right + "x",
                right.substring(0, 8),
                ControlToken.random().bearer())) {
            RawHttp.Answer a = RawHttp.send(t, "POST", "/start", null, host(t), "Authorization: Bearer " + wrong);
            assertEquals(401, a.status(), wrong);
            assertEquals("Bearer realm=\"medsync-rtv\", error=\"invalid_token\"", a.header("WWW-Authenticate"), wrong);
            assertFalse(token.matches(wrong), wrong);
        }
        for (String notBearer : List.of("Basic " + right, right, "Bearer")) {
            assertEquals(
                    401,
                    RawHttp.send(t, "GET", "/status", null, host(t), "Authorization: " + notBearer)
                            .status(),
                    notBearer);
        }
        assertTrue(token.matches(right));
        assertEquals(
                200,
                RawHttp.send(t, "GET", "/status", null, host(t), "Authorization: bearer " + right)
                        .status(),
                "the scheme is case-insensitive (RFC 9110)");
        assertFalse(token.toString().contains(right), "the token never shows in toString (and so in logs)");
    }

    @Test
    void dnsRebindingHostHeaderIsRefused() throws Exception {
        int t = txCtl.port();
        // The page at http://attacker.example:PORT rebinds attacker.example to 127.0.0.1: the browser then
        // connects to the device but still sends its own name. Even with the token, that is not this device.
        for (String evil : List.of(
                "attacker.example:" + t,
                "attacker.example",
                "127.0.0.1.attacker.example:" + t,
                "localhost.attacker.example",
                "10.9.9.9:" + t,
                "[::2]:" + t,
                "127.0.0.1:" + t + "@evil",
                "0x7f.0.0.1:" + t,
                "2130706433:" + t,
                "127.000.0.1:" + t,
                "")) {
            RawHttp.Answer a = RawHttp.send(
                    t, "PUT", "/config", CONFIG, "Host: " + evil, bearer(), "Content-Type: application/json");
            assertEquals(421, a.status(), evil + ": " + a.body());
            assertEquals("misdirected-host", ((Map<?, ?>) Json.parse(a.body())).get("error"));
        }
        assertEquals(421, RawHttp.send(t, "GET", "/status", null, bearer()).status(), "no Host at all");
        assertNull(tx.status().format());
        for (String good : List.of(
                "127.0.0.1:" + t,
                "localhost:" + t,
                "LOCALHOST",
                "[::1]:" + t,
                "tx1.or1.hospital.example:" + t,
                "TX1.or1.hospital.example.")) {
            assertEquals(
                    200,
                    RawHttp.send(t, "GET", "/status", null, "Host: " + good, bearer())
                            .status(),
                    good);
        }
    }

    @Test
    void textPlainJsonSimpleRequestIsRefused() throws Exception {
        int t = txCtl.port();
        // What fetch(url, {method: "POST", mode: "no-cors", body: json}) sends: no preflight for these types.
        for (String type : List.of(
                "Content-Type: text/plain",
                "Content-Type: text/plain;charset=UTF-8",
                "Content-Type: application/x-www-form-urlencoded",
                "Content-Type: multipart/form-data; boundary=x",
                "Content-Type: application/json; charset=ISO-8859-1",
                "X-No-Type: 1")) {
            RawHttp.Answer a = RawHttp.send(t, "PUT", "/config", CONFIG, host(t), bearer(), type);
            assertEquals(415, a.status(), type + ": " + a.body());
            assertEquals("unsupported-media-type", ((Map<?, ?>) Json.parse(a.body())).get("error"));
        }
        assertNull(tx.status().format(), "nothing was applied");
        assertEquals(
                200,
                RawHttp.send(
                                t,
                                "PUT",
                                "/config",
                                CONFIG,
                                host(t),
                                bearer(),
                                "Content-Type: application/json; charset=utf-8")
                        .status());
        assertEquals(
                204,
                RawHttp.send(
                                t,
                                "POST",
                                "/metadata/dynamic",
                                "{\"00204000\": {\"vr\": \"LT\", \"Value\": [\"x\"]}}",
                                host(t),
                                bearer(),
                                "Content-Type: application/dicom+json")
                        .status());
    }

    @Test
    void browserOriginIsRefusedAndNoCorsHeaderIsEverSent() throws Exception {
        int t = txCtl.port();
        RawHttp.Answer a = RawHttp.send(t, "POST", "/start", null, host(t), "Origin: http://intranet.example");
        assertEquals(403, a.status(), a.body());
        assertEquals("cross-origin", ((Map<?, ?>) Json.parse(a.body())).get("error"));
        RawHttp.Answer preflight = RawHttp.send(
                t,
                "OPTIONS",
                "/config",
                null,
                host(t),
                "Origin: http://intranet.example",
                "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization, content-type");
        assertEquals(403, preflight.status());
        assertNull(preflight.header("Access-Control-Allow-Origin"));
        assertNull(preflight.header("Access-Control-Allow-Headers"));
        assertEquals(
                403,
                RawHttp.send(t, "GET", "/status", null, host(t), bearer(), "Origin: null")
                        .status(),
                "a sandboxed page's opaque origin too, even with the token");
    }

    @Test
    void networkAddressWithoutTlsIsWarnedInStatus() throws Exception {
        ControlGuard onVlan =
                new ControlGuard(ControlAccess.of(token), new InetSocketAddress("10.1.0.11", 9001), "transmitter");
        assertEquals(1, onVlan.warnings().size());
        assertTrue(
                onVlan.warnings()
                        .getFirst()
                        .startsWith("control-api-without-tls: transmitter listens on 10.1.0.11:9001"),
                onVlan.warnings().toString());
        assertFalse(onVlan.hostAllowed("localhost:9001"), "localhost is not this device when bound on the VLAN");
        assertTrue(onVlan.hostAllowed("10.1.0.11:9001"));
        ControlGuard everywhere = new ControlGuard(ControlAccess.of(token), new InetSocketAddress(9001), "receiver");
        assertEquals(1, everywhere.warnings().size());
        assertTrue(everywhere.hostAllowed("127.0.0.1:9001") && everywhere.hostAllowed("localhost"));
        assertFalse(everywhere.hostAllowed("0.0.0.0:9001"));
        assertFalse(everywhere.hostAllowed("attacker.example:9001"));

        int t = txCtl.port();
        Map<?, ?> status = (Map<?, ?>) Json.parse(
                RawHttp.send(t, "GET", "/status", null, host(t), bearer()).body());
        assertEquals(List.of(), status.get("warnings"), "loopback: nothing to warn about");
        assertThrows(IllegalArgumentException.class, () -> new ControlAccess(token, List.of("http://x/")));
    }

    @Test
    void hostileSdpServerCannotExhaustTheReceiver() throws Exception {
        HttpServer sdpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        sdpServer.createContext("/", x -> {
            try (x) {
                x.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                for (int k = 0; k < 128; k++) { // 8 MB, unless the client hangs up first
                    x.getResponseBody().write(chunk);
                }
            } catch (IOException clientLeft) {
                // the receiver stopped reading: what this test wants
            }
        });
        sdpServer.start();
        try {
            int r = rxCtl.port();
            RawHttp.Answer a = RawHttp.send(
                    r,
                    "PUT",
                    "/config",
                    "{\"flows\": [{\"sdpUrl\": \"http://127.0.0.1:"
                            + sdpServer.getAddress().getPort() + "/SDP\"}]}",
                    host(r),
                    bearer(),
                    "Content-Type: application/json");
            assertEquals(400, a.status(), a.body());
            assertTrue(a.body().contains("longer than " + ReceiverControl.MAX_SDP + " bytes"), a.body());
        } finally {
            sdpServer.stop(0);
        }
    }
}
