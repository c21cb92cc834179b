package org.medsync.rtv.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.control.ReceiverControl;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * SMPTE ST 2022-7 on loopback: a transmitter sends every packet on two paths, each through a UDP proxy that loses
 * packets the other delivers (every 20th video packet on one path, a different 20th on the other, and a third of
 * the metadata packets each), then the secondary path goes silent for 1.6 s. The receiver's merged stream has every
 * frame complete and bit-exact with what was sent, nothing lost, nothing concealed; each path's loss, its use and
 * its outage show in status, and the outage raises a {@code path-down} alert that clears when the path is back.
 */
@Timeout(120)
class RedundancyEndToEndTest {

    @Test
    void pathsThatEachLosePackets_mergeHitlessly_andAnOutageIsReported() throws Exception {
        MediaClock clock = new SystemMediaClock();
        AtomicBoolean secondaryDown = new AtomicBoolean();
        int rv1 = Loopback.freeUdpPort();
        int rv2 = Loopback.freeUdpPort();
        int rm1 = Loopback.freeUdpPort();
        int rm2 = Loopback.freeUdpPort();
        RedundantFlow.Frames frames = new RedundantFlow.Frames(clock);
        try (UdpProxy pv1 = new UdpProxy("primary-video", rv1, s -> s % 20 == 0 && !secondaryDown.get());
                UdpProxy pv2 = new UdpProxy("secondary-video", rv2, s -> s % 20 == 10 || secondaryDown.get());
                UdpProxy pm1 = new UdpProxy("primary-meta", rm1, s -> s % 3 == 0 && !secondaryDown.get());
                UdpProxy pm2 = new UdpProxy("secondary-meta", rm2, s -> s % 3 == 1 || secondaryDown.get());
                Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource(RedundantFlow.LABEL, f), clock, "127.0.0.1", "lo");
                Receiver rx = new Receiver("OR display", clock, "lo");
                ReceiverControl rxCtl =
                        new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), Loopback.ACCESS)) {
            tx.configure(RedundantFlow.config(pv1.port(), pm1.port(), pv2.port(), pm2.port()));
            String sdp = tx.sdp();
            assertTrue(sdp.contains("a=group:DUP primary secondary\r\n"), sdp);
            assertTrue(sdp.contains("a=group:DUP metadata-primary metadata-secondary\r\n"), sdp);
            // the receiver listens behind the proxies: its SDP names their far ends
            String rxSdp = sdp.replace("m=video " + pv1.port() + " ", "m=video " + rv1 + " ")
                    .replace("m=video " + pv2.port() + " ", "m=video " + rv2 + " ")
                    .replace("m=application " + pm1.port() + " ", "m=application " + rm1 + " ")
                    .replace("m=application " + pm2.port() + " ", "m=application " + rm2 + " ");
            FlowDescription d = FlowDescription.parse(rxSdp);
            assertEquals(
                    new FlowDescription.Leg("127.0.0.1", rv2, List.of()),
                    d.secondaryVideo().orElseThrow());
            assertEquals(
                    rm2, d.metadata().orElseThrow().secondary().orElseThrow().port());
            rx.onFlowFrame(frames);
            rx.configure(new ReceiverConfig(List.of(d), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), 1000));
            tx.start();

            RedundantFlow.await(() -> frames.count() >= 5, 30_000, "5 frames arrived");
            assertTrue(
                    rx.status().alerts().stream().noneMatch(a -> a.code().equals(Receiver.PATH_DOWN)),
                    rx.status().toString());
            secondaryDown.set(true);
            RedundantFlow.await(
                    () -> RedundantFlow.pathDown(rx, "secondary").isPresent(), 5_000, "the secondary is reported down");
            Receiver.PathStatus down = rx.status().flows().getFirst().paths().get(1);
            assertFalse(down.up(), rx.status().toString());
            HttpResponse<String> json = Loopback.send("GET", rxCtl.port(), "/status", null);
            assertTrue(
                    json.body().contains("\"path\":\"secondary\"")
                            && json.body().contains("\"up\":false"),
                    json.body());
            assertTrue(json.body().contains("\"code\":\"path-down\""), json.body());
            Thread.sleep(600); // the outage lasts 1.6 s: ~8 frames carried by the primary alone
            int beforeBack = frames.count();
            secondaryDown.set(false);
            RedundantFlow.await(
                    () -> RedundantFlow.pathDown(rx, "secondary").isEmpty(), 5_000, "the path-down alert cleared");
            RedundantFlow.await(() -> frames.count() >= beforeBack + 5, 30_000, "5 more frames");

            Receiver.FlowStatus st = rx.status().flows().getFirst();
            long missing = frames.missing();
            tx.stop();
            // no sequence number missing from the merged stream: every packet sent arrived, so every frame sent
            assertEquals(0, st.packetsLost(), st.toString());
            assertEquals(List.of(), frames.problems(), "every frame complete and bit-exact");
            assertEquals(0, st.framesIncomplete(), st.toString());
            assertTrue(st.framesComplete() >= 10, st.toString());
            // the missing timestamps were never sent (a loaded host renders late and skips): only those concealed
            assertTrue(st.framesConcealed() <= missing, missing + " never sent: " + st);
            Receiver.PathStatus primary = st.paths().get(0);
            Receiver.PathStatus secondary = st.paths().get(1);
            assertTrue(primary.up() && secondary.up(), st.toString());
            assertTrue(primary.packetsLost() > 100, st.toString());
            assertTrue(secondary.packetsLost() > 100, st.toString());
            assertTrue(primary.packetsUsed() > 0 && secondary.packetsUsed() > 0, "both paths filled gaps: " + st);
        }
    }
}
