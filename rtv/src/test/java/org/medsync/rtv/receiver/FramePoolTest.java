package org.medsync.rtv.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/** Receive-side frame buffers are reused: a steady flow stops allocating them. */
@Timeout(60)
class FramePoolTest {

    @Test
    void aBufferGivenBackIsTheNextOneTaken() {
        FramePool pool = new FramePool(1000, 2);
        ByteBuffer a = pool.take(1000);
        ByteBuffer b = pool.take(1000);
        assertNotSame(a, b);
        pool.recycle(a);
        a.position(17);
        assertSame(a, pool.take(1000));
        assertEquals(0, a.position());
        pool.recycle(a);
        pool.recycle(b);
        pool.recycle(ByteBuffer.allocateDirect(1000)); // over the limit: left to the collector
        assertEquals(2, pool.free());
        assertEquals(2, pool.allocated());
        assertThrows(IllegalArgumentException.class, () -> pool.take(999));
    }

    /** 720p50 for about 3 s (150 frames) through a flow receiver that hands frames to nobody outside. */
    @Test
    void aSteadyFlowAllocatesOnlyThePoolsFrames() throws Exception {
        VideoFormat f = VideoFormat.hd720p50x10();
        SystemMediaClock clock = new SystemMediaClock();
        try (Transmitter tx = new Transmitter("tx", g -> new TestPatternSource("POOL", g), clock, "127.0.0.1", "lo")) {
            tx.configure(new TransmitterConfig(
                    f,
                    new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                    new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                    1,
                    RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                    Dataset.EMPTY));
            try (FlowReceiver rx = new FlowReceiver(FlowDescription.parse(tx.sdp()), clock, 60, null)) {
                rx.start("pool", "lo");
                tx.start();
                long end = System.nanoTime() + 40_000_000_000L;
                while (rx.videoStats().framesComplete() < 150 && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                tx.stop();
                assertTrue(
                        rx.videoStats().framesComplete() >= 150, rx.videoStats().toString());
                // the kept frames, the one in assembly and a spare: never one per frame
                assertTrue(rx.frameBuffersAllocated() <= 9, rx.frameBuffersAllocated() + " frame buffers allocated");
            }
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }
}
