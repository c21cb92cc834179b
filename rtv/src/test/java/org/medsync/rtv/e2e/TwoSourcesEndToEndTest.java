package org.medsync.rtv.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.Json;
import org.medsync.rtv.control.ReceiverControl;
import org.medsync.rtv.control.TransmitterControl;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.receiver.ComposedFrame;
import org.medsync.rtv.receiver.Compositor;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.Y4mSource;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.rtv.video.Raster;
import org.medsync.rtv.video.Y4m;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * The Rennes setup on loopback: an "endoscope" (test pattern, multicast) and a "hand camera" (Y4M
 * file, unicast) transmitter, one receiver given their SDPs (fetched with the token) through the control API. The
 * composed frames put frames of the SAME RTP timestamp side by side (both burned-in stamps equal the
 * composed frame's timestamp), the hand camera's pixels are the file's, the metadata overlay sits in
 * zone 7, nothing is lost.
 */
@Timeout(60)
class TwoSourcesEndToEndTest {

    // 5 fps: two senders, two receive paths and the playout share one JVM on 2 cores that other builds
    // keep busy (load average 6-8 seen); a starved receive thread must not overflow the 4 MB socket
    // buffer (rmem_max). Correctness does not depend on the rate; the benchmark measures 50 fps.
    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(5, 1), VideoFormat.Colorimetry.BT709);

    @TempDir
    Path tmp;

    @Test
    void endoscopeAndHandCamera_composedInSync_withMetadataZone_noLoss() throws Exception {
        MediaClock clock = new SystemMediaClock();
        Path file = Loopback.y4m(tmp, F, 3);
        try (Transmitter endo = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("ENDOSCOPE", f), clock, "127.0.0.1", "lo");
                Transmitter hand =
                        new Transmitter("Hand camera", f -> new Y4mSource(file, f), clock, "127.0.0.1", "lo");
                TransmitterControl endoCtl =
                        new TransmitterControl(endo, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS);
                TransmitterControl handCtl =
                        new TransmitterControl(hand, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS);
                Receiver rx = new Receiver("OR display", clock, "lo");
                ReceiverControl rxCtl =
                        new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS)) {
            String group = Loopback.group();
            assertEquals(
                    200,
                    Loopback.send(
                                    "PUT",
                                    endoCtl.port(),
                                    "/config",
                                    Loopback.txConfig(
                                            F, group, Loopback.freeUdpPort(), Loopback.group(), Loopback.freeUdpPort()))
                            .statusCode());
            assertEquals(
                    200,
                    Loopback.send(
                                    "PUT",
                                    handCtl.port(),
                                    "/config",
                                    Loopback.txConfig(
                                            F,
                                            "127.0.0.1",
                                            Loopback.freeUdpPort(),
                                            "127.0.0.1",
                                            Loopback.freeUdpPort()))
                            .statusCode());
            String sdp = Loopback.send("GET", endoCtl.port(), "/SDP", null).body();
            assertTrue(sdp.contains("a=rtpmap:104 dicom/90000") && sdp.contains("c=IN IP4 " + group + "/1"), sdp);

            String handSdp = Loopback.send("GET", handCtl.port(), "/SDP", null).body();
            HttpResponse<String> cfg =
                    Loopback.send("PUT", rxCtl.port(), "/config", """
                    {"flows": [{"sdp": %s}, {"sdp": %s}],
                     "layout": "side-by-side",
                     "overlay": {"zone": 7, "attributes": ["00100010", "00100020", "00204000"]},
                     "latencyMs": 500}
                    """.formatted(Json.write(sdp), Json.write(handSdp)));
            assertEquals(200, cfg.statusCode(), cfg.body());
            assertEquals(
                    204,
                    Loopback.send(
                                    "POST",
                                    endoCtl.port(),
                                    "/metadata/dynamic",
                                    "{\"00204000\": {\"vr\": \"LT\", \"Value\": [\"probe at 3 o'clock\"]}}")
                            .statusCode());

            List<ComposedFrame> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch enough = new CountDownLatch(1);
            rx.frames().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ComposedFrame f) {
                    if (!f.concealed().contains(true)
                            && f.metadata().getFirst().isPresent()
                            && f.metadata().getFirst().get().contains(0x00204000)) {
                        seen.add(f);
                        if (seen.size() >= 10) {
                            enough.countDown();
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
            });
            assertEquals(
                    204, Loopback.send("POST", handCtl.port(), "/start", null).statusCode());
            assertEquals(
                    204, Loopback.send("POST", endoCtl.port(), "/start", null).statusCode());
            Path recorded = tmp.resolve("or-display.y4m");
            rx.recordY4m(recorded);
            assertTrue(
                    enough.await(20, TimeUnit.SECONDS),
                    "10 composed frames with metadata; status "
                            + Loopback.send("GET", rxCtl.port(), "/status", null)
                                    .body() + " tx "
                            + Loopback.send("GET", endoCtl.port(), "/status", null)
                                    .body() + " "
                            + Loopback.send("GET", handCtl.port(), "/status", null)
                                    .body());
            rx.recordY4m(null);

            VideoFormat out = seen.getFirst().format();
            assertEquals(2560, out.width());
            Set<Integer> lumas = Set.of(Loopback.y4mLuma(0), Loopback.y4mLuma(1), Loopback.y4mLuma(2));
            for (ComposedFrame f : new ArrayList<>(seen)) {
                ByteBuffer b = f.frame();
                OptionalLong left = FrameStamp.read(b, out, TestPatternSource.STAMP_X, TestPatternSource.STAMP_Y);
                if (left.isEmpty()) {
                    Files.write(tmp.resolve("no-stamp.png"), org.medsync.rtv.video.Snapshots.png(b, out));
                }
                OptionalLong right =
                        FrameStamp.read(b, out, 1280 + TestPatternSource.STAMP_X, TestPatternSource.STAMP_Y);
                assertEquals(OptionalLong.of(f.rtpTimestamp()), left, "endoscope frame at the composed timestamp");
                assertEquals(OptionalLong.of(f.rtpTimestamp()), right, "hand camera frame at the composed timestamp");
                assertTrue(lumas.contains(Raster.luma(b, out, 1280 + 900, 300)), "hand camera pixels are the file's");
                Dataset md = f.metadata().getFirst().orElseThrow();
                assertEquals("DOE^JANE", md.string(Tags.PATIENT_NAME));
                assertEquals("probe at 3 o'clock", md.string(0x00204000));
                assertTrue(countLuma(b, out, 7, 100) > 500, "overlay box drawn in zone 7");
                assertEquals(0, countLuma(b, out, 3, 100), "nothing drawn in zone 3");
            }

            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) Json.parse(
                    Loopback.send("GET", rxCtl.port(), "/status", null).body());
            for (Object o : (List<?>) status.get("flows")) {
                Map<?, ?> flow = (Map<?, ?>) o;
                assertEquals("0", flow.get("packetsLost").toString(), "no loss: " + flow);
                assertTrue(Long.parseLong(flow.get("framesComplete").toString()) >= 10, flow.toString());
                assertEquals("0", flow.get("malformedPackets").toString());
            }
            assertEquals("Endoscope", ((Map<?, ?>) ((List<?>) status.get("flows")).getFirst()).get("sdpSession"));
            String txStatus =
                    Loopback.send("GET", endoCtl.port(), "/status", null).body();
            assertTrue(txStatus.contains("\"state\":\"sending\"") && txStatus.contains("\"alerts\":[]"), txStatus);
            assertTrue(txStatus.contains("\"pacing\":{\"cinstMax\""), "pacing self-check reported: " + txStatus);

            HttpResponse<byte[]> png = Loopback.getBytes(rxCtl.port(), "/snapshot.png");
            assertEquals(200, png.statusCode());
            assertEquals(
                    2560, ImageIO.read(new ByteArrayInputStream(png.body())).getWidth());

            try (InputStream in = Y4m.open(recorded)) {
                Y4m.Header h = Y4m.readHeader(in);
                assertEquals(2560, h.width());
                assertEquals(10, h.depth());
                assertTrue(Files.size(recorded) > h.frameBytes(), "at least one frame recorded");
            }
            assertEquals(
                    204, Loopback.send("POST", endoCtl.port(), "/stop", null).statusCode());
            assertFalse(
                    Loopback.send("GET", endoCtl.port(), "/status", null).body().contains("\"sending\""));
        }
    }

    static int countLuma(ByteBuffer b, VideoFormat f, int zone, int luma) {
        int[] r = Compositor.zoneRect(zone, f.width(), f.height());
        int n = 0;
        for (int y = r[1]; y < r[1] + r[3]; y += 2) {
            for (int x = r[0]; x < r[0] + r[2]; x += 2) {
                if (Raster.luma(b, f, x, y) == luma) {
                    n++;
                }
            }
        }
        return n;
    }
}
