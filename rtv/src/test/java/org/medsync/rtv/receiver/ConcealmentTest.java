package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.sdp.ExactFrameRate;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.Rfc4175Payloader;
import org.medsync.st2110.video.VideoFormat;

/**
 * A broken frame (one packet dropped) and a missing frame are concealed by repeating the last good
 * frame; the playout keeps its pace and counts them.
 */
@Timeout(30)
class ConcealmentTest {

    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);

    @Test
    void brokenAndMissingFrames_repeatTheLastGoodOne() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = s.getLocalPort();
        }
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Probe\r\nt=0 0\r\nm=video " + port + " RTP/AVP 96\r\n"
                + "c=IN IP4 127.0.0.1\r\na=rtpmap:96 raw/90000\r\na=fmtp:96 "
                + org.medsync.sdp.RawVideoFormat.of(
                                "YCbCr-4:2:2", 10, 1280, 720, new ExactFrameRate(10, 1), "BT709", "2110TPNL")
                        .parameters()
                + "\r\na=mediaclk:direct=0\r\n";
        SystemMediaClock clock = new SystemMediaClock();
        FrameClock fc = FrameClock.video(F.rate());
        Map<Long, ComposedFrame> played = new ConcurrentHashMap<>();
        try (Receiver rx = new Receiver("rx", clock, "lo");
                DatagramChannel tx = DatagramChannel.open()) {
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(sdp)), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), 400));
            rx.frames().subscribe(new Flow.Subscriber<>() {
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(ComposedFrame f) {
                    played.put(f.rtpTimestamp(), f);
                }

                public void onError(Throwable t) {}

                public void onComplete() {}
            });
            tx.connect(new InetSocketAddress("127.0.0.1", port));
            Rfc4175Payloader pay = new Rfc4175Payloader(F, Rfc4175Payloader.Options.standard(7), 0);
            TestPatternSource src = new TestPatternSource("PROBE", F);
            ByteBuffer frame = ByteBuffer.allocate(F.frameBytes());
            ByteBuffer out = ByteBuffer.allocate(pay.maxDatagramSize());
            // rendered and packetized before the clock runs: on a loaded host the sender must not be what is late
            long first = fc.frameAtOrAfter(clock.taiNanos()) + 20;
            List<List<ByteBuffer>> packets = new ArrayList<>();
            for (long n = first; n < first + 6; n++) {
                List<ByteBuffer> datagrams = new ArrayList<>();
                if (n != first + 3) { // frame 3 never sent
                    src.fill(n, fc.rtpTimestamp(n), fc.alignmentNanos(n), frame);
                    Rfc4175Payloader.FrameCursor c = pay.frame(frame.clear(), fc.rtpTimestamp(n));
                    while (c.hasNext()) {
                        int j = c.packetIndex();
                        out.clear();
                        c.writeNext(out);
                        if (n != first + 2 || j != 100) { // frame 2 broken
                            datagrams.add(ByteBuffer.allocate(out.position())
                                    .put(out.flip())
                                    .flip());
                        }
                    }
                }
                packets.add(datagrams);
            }
            Assumptions.assumeTrue(
                    fc.alignmentNanos(first) > clock.taiNanos(), "rendering took longer than 2 s: host too busy");
            for (int i = 0; i < 6; i++) {
                long wait = fc.alignmentNanos(first + i) - clock.taiNanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                for (ByteBuffer d : packets.get(i)) {
                    tx.write(d);
                }
            }
            long last = fc.rtpTimestamp(first + 5);
            long end = System.nanoTime() + 5_000_000_000L;
            while (!played.containsKey(last) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            ComposedFrame one = played.get(fc.rtpTimestamp(first + 1));
            ComposedFrame broken = played.get(fc.rtpTimestamp(first + 2));
            ComposedFrame missing = played.get(fc.rtpTimestamp(first + 3));
            ComposedFrame four = played.get(fc.rtpTimestamp(first + 4));
            assertEquals(List.of(false), one.concealed(), rx.status().toString());
            assertEquals(List.of(true), broken.concealed());
            assertEquals(List.of(true), missing.concealed());
            assertEquals(List.of(false), four.concealed());
            OptionalLong shown = FrameStamp.read(broken.frame(), broken.format(), 16, 16);
            assertEquals(OptionalLong.of(fc.rtpTimestamp(first + 1)), shown, "the broken frame shows frame 1");
            assertEquals(shown, FrameStamp.read(missing.frame(), missing.format(), 16, 16), "so does the missing one");
            assertEquals(
                    OptionalLong.of(fc.rtpTimestamp(first + 4)), FrameStamp.read(four.frame(), four.format(), 16, 16));
            Receiver.FlowStatus st = rx.status().flows().getFirst();
            assertTrue(st.framesConcealed() >= 2, st.toString());
            assertEquals(1, st.packetsLost(), st.toString());
            assertEquals(1, st.framesIncomplete(), st.toString());
        }
    }
}
