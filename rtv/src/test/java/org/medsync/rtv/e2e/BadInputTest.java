package org.medsync.rtv.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.Json;
import org.medsync.rtv.control.ReceiverControl;
import org.medsync.rtv.control.TransmitterControl;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.Y4mSource;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * Garbage on the wire and on the control port is counted or refused with a clear message; the
 * devices keep their configuration and keep working.
 */
@Timeout(60)
class BadInputTest {

    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);

    @TempDir
    Path tmp;

    @Test
    void nonsenseControlRequests_areRefusedWithReasons_andNothingChanges() throws Exception {
        SystemMediaClock clock = new SystemMediaClock();
        try (Transmitter tx =
                        new Transmitter("Endoscope", f -> new TestPatternSource("E", f), clock, "127.0.0.1", "lo");
                TransmitterControl txCtl =
                        new TransmitterControl(tx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS);
                Receiver rx = new Receiver("rx", clock, "lo");
                ReceiverControl rxCtl =
                        new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS)) {
            int t = txCtl.port();
            expect(409, "wrong-state", Loopback.send("POST", t, "/start", null));
            expect(404, "not-configured", Loopback.send("GET", t, "/SDP", null));
            expect(400, "bad-json", Loopback.send("PUT", t, "/config", "{\"video\": {"));
            expect(400, "bad-json", Loopback.send("PUT", t, "/config", "[1, 2,]"));
            String good =
                    Loopback.txConfig(F, "127.0.0.1", Loopback.freeUdpPort(), "127.0.0.1", Loopback.freeUdpPort());
            expect(
                    400,
                    "bad-request",
                    Loopback.send("PUT", t, "/config", good.replace("\"depth\": 10", "\"depth\": 12")));
            expect(
                    400,
                    "bad-request",
                    Loopback.send("PUT", t, "/config", good.replace("\"height\": 720", "\"height\": 577")));
            expect(400, "bad-request", Loopback.send("PUT", t, "/config", good.replace("YCbCr-4:2:2", "RGB")));
            expect(
                    400,
                    "bad-request",
                    Loopback.send("PUT", t, "/config", good.replace("\"rate\": \"10\"", "\"rate\": \"fast\"")));
            expect(400, "bad-request", Loopback.send("PUT", t, "/config", good.replace("BT709", "SMPTE240M")));
            expect(
                    400,
                    "bad-request",
                    Loopback.send("PUT", t, "/config", good.replace("\"127.0.0.1\"", "\"localhost\"")));
            expect(400, "bad-request", Loopback.send("PUT", t, "/config", good.replace("\"PN\"", "\"XX\"")));
            expect(404, "not-found", Loopback.send("GET", t, "/nothing", null));
            expect(405, "method-not-allowed", Loopback.send("DELETE", t, "/config", null));
            assertTrue(Loopback.send("GET", t, "/status", null).body().contains("\"state\":\"idle\""));
            assertEquals(200, Loopback.send("PUT", t, "/config", good).statusCode());
            expect(400, "bad-request", Loopback.send("POST", t, "/metadata/dynamic", "{\"0020\": {\"vr\": \"LT\"}}"));
            expect(400, "bad-json", Loopback.send("POST", t, "/metadata/dynamic", "nope"));

            int r = rxCtl.port();
            String sdp = Loopback.send("GET", t, "/SDP", null).body();
            String flows = "{\"flows\": [{\"sdp\": " + Json.write(sdp) + "}], \"overlay\": {\"zone\": %d, "
                    + "\"attributes\": [\"00100010\"]}, \"latencyMs\": 200}";
            expect(400, "bad-request", Loopback.send("PUT", r, "/config", flows.formatted(10)));
            expect(400, "bad-request", Loopback.send("PUT", r, "/config", flows.formatted(0)));
            expect(400, "bad-sdp", Loopback.send("PUT", r, "/config", "{\"flows\": [{\"sdp\": \"v=0\\r\\nhello\"}]}"));
            expect(
                    400,
                    "bad-sdp",
                    Loopback.send("PUT", r, "/config", "{\"flows\": [{\"sdpUrl\": \"http://127.0.0.1:1/SDP\"}]}"));
            HttpResponse<String> byUrl = Loopback.send(
                    "PUT", r, "/config", "{\"flows\": [{\"sdpUrl\": \"http://127.0.0.1:" + t + "/SDP\"}]}");
            expect(400, "bad-sdp", byUrl);
            assertTrue(
                    byUrl.body().contains("answered 401"), "a receiver holds no transmitter's token: " + byUrl.body());
            expect(400, "bad-request", Loopback.send("PUT", r, "/config", "{\"flows\": []}"));
            expect(400, "bad-json", Loopback.send("PUT", r, "/config", "{\"flows\": [}"));
            expect(409, "no-frame-yet", Loopback.send("GET", r, "/snapshot.png", null));
            assertEquals(
                    200, Loopback.send("PUT", r, "/config", flows.formatted(5)).statusCode());
            expect(400, "bad-request", Loopback.send("PUT", r, "/config", flows.formatted(42)));
            assertEquals(
                    5, rx.config().orElseThrow().overlayZone(), "the refused config did not replace the applied one");
        }
    }

    @Test
    void garbledPackets_areCounted_andFramesStillArrive() throws Exception {
        SystemMediaClock clock = new SystemMediaClock();
        int vport = Loopback.freeUdpPort();
        int mport = Loopback.freeUdpPort();
        try (Transmitter tx =
                        new Transmitter("Endoscope", f -> new TestPatternSource("E", f), clock, "127.0.0.1", "lo");
                TransmitterControl txCtl =
                        new TransmitterControl(tx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS);
                Receiver rx = new Receiver("rx", clock, "lo");
                ReceiverControl rxCtl =
                        new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS);
                DatagramSocket junk = new DatagramSocket()) {
            Loopback.send("PUT", txCtl.port(), "/config", Loopback.txConfig(F, "127.0.0.1", vport, "127.0.0.1", mport));
            String sdp = Loopback.send("GET", txCtl.port(), "/SDP", null).body();
            assertEquals(
                    200,
                    Loopback.send(
                                    "PUT",
                                    rxCtl.port(),
                                    "/config",
                                    "{\"flows\": [{\"sdp\": " + Json.write(sdp)
                                            + "}], \"overlay\": {\"zone\": 1, \"attributes\": []}, \"latencyMs\": 300}")
                            .statusCode());
            Random rnd = new Random(4);
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 50; i++) {
                byte[] b = new byte[rnd.nextInt(11)]; // shorter than an RTP header
                rnd.nextBytes(b);
                junk.send(new DatagramPacket(b, b.length, lo, i % 2 == 0 ? vport : mport));
                byte[] v1 = new byte[40];
                rnd.nextBytes(v1);
                v1[0] = 0x40; // RTP version 1
                junk.send(new DatagramPacket(v1, v1.length, lo, i % 2 == 0 ? vport : mport));
            }
            Loopback.send("POST", txCtl.port(), "/start", null);
            long end = System.nanoTime() + 15_000_000_000L;
            Map<?, ?> flow = Map.of();
            while (System.nanoTime() < end) {
                flow = (Map<?, ?>) ((java.util.List<?>)
                                ((Map<?, ?>) Json.parse(Loopback.send("GET", rxCtl.port(), "/status", null)
                                                .body()))
                                        .get("flows"))
                        .getFirst();
                if (Long.parseLong(flow.get("framesComplete").toString()) >= 5) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("100", flow.get("malformedPackets").toString(), flow.toString());
            assertTrue(Long.parseLong(flow.get("framesComplete").toString()) >= 5, flow.toString());
            assertEquals("0", flow.get("packetsLost").toString(), flow.toString());
            assertEquals(200, Loopback.getBytes(rxCtl.port(), "/snapshot.png").statusCode());
        }
    }

    @Test
    void y4mOfAnotherSize_raisesAFormatMismatchAlert_andSendsAMismatchFrame() throws Exception {
        Path small = Loopback.y4m(
                tmp, new VideoFormat(10, 640, 360, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709), 1);
        try (Transmitter tx = new Transmitter(
                        "Hand camera", f -> new Y4mSource(small, f), new SystemMediaClock(), "127.0.0.1", "lo");
                TransmitterControl txCtl =
                        new TransmitterControl(tx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS)) {
            Loopback.send(
                    "PUT",
                    txCtl.port(),
                    "/config",
                    Loopback.txConfig(F, "127.0.0.1", Loopback.freeUdpPort(), "127.0.0.1", Loopback.freeUdpPort()));
            String status = Loopback.send("GET", txCtl.port(), "/status", null).body();
            assertTrue(status.contains("\"code\":\"format-mismatch\"") && status.contains("640x360"), status);
        }
    }

    private static void expect(int status, String code, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
        assertEquals(code, m.get("error"), r.body());
        assertTrue(m.get("message").toString().length() > 5, r.body());
    }
}
