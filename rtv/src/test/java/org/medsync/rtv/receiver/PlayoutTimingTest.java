package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
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
import org.medsync.sdp.RawVideoFormat;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.Rfc4175Payloader;
import org.medsync.st2110.video.VideoFormat;

/**
 * How a receiver places senders' RTP timestamps on its playout grid (docs/rtv.md "Playout"): an SDP's
 * {@code mediaclk:direct=<offset>} is honoured, and a sender whose timestamps follow no reference clock is played by
 * arrival time, frame after frame, with the not-PTP-aligned alert. The sender here sends one frame per alignment
 * point with RTP timestamp = grid timestamp + a chosen offset and burns that timestamp into the picture.
 */
@Timeout(40)
class PlayoutTimingTest {

    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);
    static final int FRAMES = 8;

    @Test
    void mediaclkDirectOffset_isHonoured_frameExact() throws Exception {
        long offset = 3_000_000_123L;
        Played p = run("a=mediaclk:direct=" + offset + "\r\n", offset);
        // every sent frame n is played as grid frame n, showing the timestamp it was sent with
        int exact = 0;
        for (long n = p.first; n < p.first + FRAMES; n++) {
            ComposedFrame f = p.frames.get(p.fc.rtpTimestamp(n));
            if (f != null && !f.concealed().getFirst()) {
                assertEquals(
                        OptionalLong.of((p.fc.rtpTimestamp(n) + offset) & 0xFFFF_FFFFL),
                        FrameStamp.read(f.frame(), f.format(), 16, 16),
                        "grid frame " + n);
                exact++;
            }
        }
        // a loaded 2-core host skips playout slots and its publisher drops frames for a slow subscriber: every
        // frame that is shown must be at its own grid point
        assertTrue(exact >= 3, exact + " of " + FRAMES + " frames played at their own grid point");
        assertEquals("direct", p.status.timing());
        assertEquals(1, p.alerts.size(), "no ts-refclk:ptp: " + p.alerts);
    }

    @Test
    void unalignedSender_isPlayedByArrival_notBlack_withAnAlert() throws Exception {
        long offset = 1_234_567_891L; // not a multiple of the frame period: off the grid
        Played p = run("", offset);
        List<Long> shown = new ArrayList<>();
        for (ComposedFrame f : p.frames.values()) {
            if (!f.concealed().getFirst()) {
                shown.add(FrameStamp.read(f.frame(), f.format(), 16, 16).orElseThrow());
            }
        }
        shown.sort(Long::compare);
        assertTrue(shown.size() >= 3, "frames shown, not black: " + shown.size() + " of " + FRAMES);
        long period = 90_000 / 10;
        for (int i = 1; i < shown.size(); i++) {
            assertTrue((shown.get(i) - shown.get(i - 1)) % period == 0, "sender frames in order: " + shown);
        }
        assertEquals(shown.size(), shown.stream().distinct().count(), "each sent frame played once: " + shown);
        assertEquals("arrival", p.status.timing());
        assertEquals(Receiver.NOT_PTP_ALIGNED, p.alerts.getFirst().code());
        assertTrue(p.alerts.getFirst().message().contains("arrival"), p.alerts.toString());
    }

    record Played(
            long first,
            FrameClock fc,
            ConcurrentHashMap<Long, ComposedFrame> frames,
            Receiver.FlowStatus status,
            List<Receiver.Alert> alerts) {}

    private static Played run(String clockLines, long offset) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = s.getLocalPort();
        }
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Probe\r\nt=0 0\r\nm=video " + port + " RTP/AVP 96\r\n"
                + "c=IN IP4 127.0.0.1\r\na=rtpmap:96 raw/90000\r\na=fmtp:96 "
                + RawVideoFormat.of("YCbCr-4:2:2", 10, 1280, 720, new ExactFrameRate(10, 1), "BT709", "2110TPNL")
                        .parameters()
                + "\r\n" + clockLines;
        SystemMediaClock clock = new SystemMediaClock();
        FrameClock fc = FrameClock.video(F.rate());
        ConcurrentHashMap<Long, ComposedFrame> played = new ConcurrentHashMap<>();
        try (Receiver rx = new Receiver("rx", clock, "lo");
                DatagramChannel tx = DatagramChannel.open()) {
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(sdp)), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), 250, false));
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
            for (long n = first; n < first + FRAMES; n++) {
                long ts = (fc.rtpTimestamp(n) + offset) & 0xFFFF_FFFFL;
                src.fill(n, ts, fc.alignmentNanos(n), frame);
                List<ByteBuffer> datagrams = new ArrayList<>();
                Rfc4175Payloader.FrameCursor c = pay.frame(frame.clear(), ts);
                while (c.hasNext()) {
                    out.clear();
                    c.writeNext(out);
                    datagrams.add(
                            ByteBuffer.allocate(out.position()).put(out.flip()).flip());
                }
                packets.add(datagrams);
            }
            Assumptions.assumeTrue(
                    fc.alignmentNanos(first) > clock.taiNanos(), "rendering took longer than 2 s: host too busy");
            for (int i = 0; i < FRAMES; i++) {
                long wait = fc.alignmentNanos(first + i) - clock.taiNanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                for (ByteBuffer d : packets.get(i)) {
                    tx.write(d);
                }
            }
            Thread.sleep(800); // the last frame's playout: 250 ms latency plus arrival mapping
            Receiver.Status st = rx.status();
            return new Played(first, fc, played, st.flows().getFirst(), st.alerts());
        }
    }
}
