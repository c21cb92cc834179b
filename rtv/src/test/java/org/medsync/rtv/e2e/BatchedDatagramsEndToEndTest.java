package org.medsync.rtv.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.net.DatagramIo;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.SendPacing;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;
import org.medsync.st2110.video.VideoFrame;

/**
 * Our transmitter into our receiver on loopback through each datagram path (native sendmmsg + GSO / recvmmsg, the JDK's
 * calls, and the two mixed) and each pacing: every frame that arrives complete is the test pattern the sender rendered
 * for that RTP timestamp, byte for byte, and none is lost.
 */
@Timeout(120)
class BatchedDatagramsEndToEndTest {

    static final VideoFormat F = VideoFormat.hd720p50x10();

    @ParameterizedTest
    @CsvSource({
        "native, native, NARROW_LINEAR, sendmmsg+gso, recvmmsg",
        "java, java, NARROW_LINEAR, write, receive",
        "native, java, WIDE, sendmmsg+gso, receive",
        "java, native, BURST, write, recvmmsg"
    })
    void framesArriveBitExact(String txMode, String rxMode, SendPacing pacing, String txIo, String rxIo)
            throws Exception {
        if (txIo.startsWith("sendmmsg") || rxIo.equals("recvmmsg")) {
            assumeTrue(DatagramIo.nativeAvailable(), "FFM natives not linked on this host");
        }
        SystemMediaClock clock = new SystemMediaClock();
        FrameClock fc = FrameClock.video(F.rate());
        List<VideoFrame> got = Collections.synchronizedList(new ArrayList<>());
        String before = System.getProperty(DatagramIo.MODE_PROPERTY);
        try (Transmitter tx = new Transmitter("tx", g -> new TestPatternSource("BATCH", g), clock, "127.0.0.1", "lo");
                Receiver rx = new Receiver("rx", clock, "lo")) {
            tx.configure(new TransmitterConfig(
                    F,
                    new TransmitterConfig.Endpoint("127.0.0.1", Loopback.freeUdpPort()),
                    new TransmitterConfig.Endpoint("127.0.0.1", Loopback.freeUdpPort()),
                    1,
                    RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                    Dataset.EMPTY));
            tx.pacing(pacing);
            rx.onFlowFrame((i, f) -> got.add(f));
            System.setProperty(DatagramIo.MODE_PROPERTY, rxMode);
            rx.configure(new ReceiverConfig(
                    List.of(FlowDescription.parse(tx.sdp())), ReceiverConfig.SIDE_BY_SIDE, 1, List.of(), 60));
            System.setProperty(DatagramIo.MODE_PROPERTY, txMode);
            tx.start();
            long end = System.nanoTime() + 30_000_000_000L;
            while (countComplete(got) < 20 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(List.of(rxIo), rx.datagramIo());
            assertEquals(txIo, tx.datagramIo().orElseThrow());
            tx.stop();
            Receiver.FlowStatus st = rx.status().flows().getFirst();
            assertTrue(countComplete(got) >= 20, "complete frames: " + st);
            assertEquals(0, st.packetsLost(), st.toString());
            assertEquals(0, st.malformedPackets(), st.toString());
            TestPatternSource pattern = new TestPatternSource("BATCH", F);
            ByteBuffer want = ByteBuffer.allocate(F.frameBytes());
            List<VideoFrame> frames;
            synchronized (got) {
                frames = List.copyOf(got);
            }
            long now = clock.taiNanos();
            for (VideoFrame f : frames) {
                if (!f.complete()) {
                    continue;
                }
                long n = frameOf(fc, f.rtpTimestamp(), now);
                want.clear();
                pattern.fill(n, fc.rtpTimestamp(n), fc.alignmentNanos(n), want);
                assertArrayEquals(want.array(), f.toByteArray(), "frame " + n);
            }
        } finally {
            if (before == null) {
                System.clearProperty(DatagramIo.MODE_PROPERTY);
            } else {
                System.setProperty(DatagramIo.MODE_PROPERTY, before);
            }
        }
    }

    /** The frame, of the last minute, whose RTP timestamp this is. */
    private static long frameOf(FrameClock fc, long rtpTimestamp, long nowTai) {
        long last = fc.frameAtOrBefore(nowTai);
        for (long n = last; n > last - 3000; n--) {
            if (fc.rtpTimestamp(n) == rtpTimestamp) {
                return n;
            }
        }
        throw new AssertionError("no frame of the last minute has RTP timestamp " + rtpTimestamp);
    }

    private static long countComplete(List<VideoFrame> frames) {
        synchronized (frames) {
            return frames.stream().filter(VideoFrame::complete).count();
        }
    }

    /** The mode is configuration: a value that names no mode is refused, not taken for the default. */
    @Test
    void theModeComesFromItsPropertyAndGarbageIsRefused() {
        String before = System.getProperty(DatagramIo.MODE_PROPERTY);
        try {
            System.setProperty(DatagramIo.MODE_PROPERTY, "java");
            assertEquals(DatagramIo.Mode.JAVA, DatagramIo.Mode.configured());
            System.setProperty(DatagramIo.MODE_PROPERTY, "fast");
            assertThrows(IllegalArgumentException.class, DatagramIo.Mode::configured);
        } finally {
            if (before == null) {
                System.clearProperty(DatagramIo.MODE_PROPERTY);
            } else {
                System.setProperty(DatagramIo.MODE_PROPERTY, before);
            }
        }
    }
}
