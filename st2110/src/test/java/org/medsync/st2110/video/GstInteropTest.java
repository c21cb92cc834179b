package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.rtp.RtpDecodeResult;
import org.medsync.rtp.RtpPacket;
import org.medsync.st2110.pacing.PacingModel;
import org.medsync.st2110.pacing.PacketScheduler;
import org.medsync.st2110.pacing.SenderType;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.testsupport.gstreamer.GstLaunch;

/**
 * Interop with GStreamer's RFC 4175 elements (gst-plugins-good rtpvrawpay / rtpvrawdepay), over
 * UDP on 127.0.0.1. Skipped when gst-launch-1.0 is not installed.
 */
@Tag("gstreamer")
@Timeout(60)
class GstInteropTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsGStreamer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(GstLaunch.available(), "gst-launch-1.0 not installed");
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(new VideoFormat(10, 1280, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709), 3),
                Arguments.of(new VideoFormat(8, 1920, 1080, FrameRate.FPS_59_94, VideoFormat.Colorimetry.BT709), 2));
    }

    /**
     * (a) Our payloader, paced ST 2110-21 narrow-linear on the TAI frame grid, into GStreamer's
     * rtpvrawdepay: every frame GStreamer writes equals ours bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void ourPackets_gstreamerDepaysBitExact(VideoFormat f, int frames) throws Exception {
        int port = freeUdpPort();
        Path out = tmp.resolve("gst-depay.raw");
        String caps = "application/x-rtp,media=(string)video,clock-rate=(int)90000,encoding-name=(string)RAW,"
                + "sampling=(string)YCbCr-4:2:2,depth=(string)" + f.depth() + ",width=(string)" + f.width()
                + ",height=(string)" + f.height() + ",colorimetry=(string)BT709,payload=(int)96";
        List<byte[]> sent = new ArrayList<>();
        try (GstLaunch gst = GstLaunch.start(
                tmp,
                "udpsrc",
                "address=127.0.0.1",
                "port=" + port,
                "buffer-size=33554432",
                "caps=" + caps,
                "!",
                "rtpvrawdepay",
                "!",
                "filesink",
                "location=" + out,
                "buffer-mode=unbuffered")) {
            gst.awaitUdpBound(port, Duration.ofSeconds(15));
            Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(0x4D534E43L), 0xFFF0);
            PacketScheduler schedule = new PacketScheduler(
                    new PacingModel(SenderType.NARROW_LINEAR, f.rate(), f.height(), pay.packetsPerFrame()),
                    FrameClock.video(f.rate()));
            MediaClock clock = new SystemMediaClock();
            FrameClock frameClock = FrameClock.video(f.rate());
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ByteBuffer buf = ByteBuffer.allocateDirect(pay.maxDatagramSize());
                long n = frameClock.frameAtOrAfter(clock.taiNanos()) + 1;
                for (int i = 0; i < frames; i++, n++) {
                    byte[] frame = TestFrames.random(f, 1000 + i);
                    sent.add(frame);
                    Rfc4175Payloader.FrameCursor c = pay.frame(ByteBuffer.wrap(frame), frameClock.rtpTimestamp(n));
                    while (c.hasNext()) {
                        long due = schedule.departureNanos(n, c.packetIndex());
                        long wait = due - clock.taiNanos();
                        if (wait > 100_000) {
                            LockSupport.parkNanos(wait - 50_000);
                        }
                        buf.clear();
                        c.writeNext(buf);
                        ch.write(buf.flip());
                    }
                }
            }
            long expected = (long) frames * f.frameBytes();
            gst.await(() -> size(out) >= expected, Duration.ofSeconds(30), expected + " bytes from rtpvrawdepay");
        }
        byte[] got = Files.readAllBytes(out);
        assertEquals((long) frames * f.frameBytes(), got.length);
        for (int i = 0; i < frames; i++) {
            byte[] frame = Arrays.copyOfRange(got, i * f.frameBytes(), (i + 1) * f.frameBytes());
            assertArrayEquals(sent.get(i), frame, "frame " + i + " differs from what we sent");
        }
    }

    /**
     * (b) GStreamer's videotestsrc in UYVP, teed to a file and through rtpvrawpay to our
     * depacketizer: our reassembled frames equal the raw frames GStreamer wrote. The sequence
     * number starts near 65535 so the 16-bit wrap happens inside the test.
     */
    @Test
    void gstreamerPackets_weDepayBitExact() throws Exception {
        VideoFormat f = new VideoFormat(10, 1280, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);
        int frames = 4;
        Path raw = tmp.resolve("videotestsrc.raw");
        List<VideoFrame> ours = Collections.synchronizedList(new ArrayList<>());
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), ours::add);
        int[] malformedRtp = new int[1];
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            rx.setReceiveBufferSize(4 << 20);
            rx.setSoTimeout(200);
            Thread receiver = Thread.ofPlatform().name("rtp-rx").start(() -> {
                byte[] b = new byte[65536];
                DatagramPacket dp = new DatagramPacket(b, b.length);
                long idleSince = System.nanoTime();
                while (ours.size() < frames && System.nanoTime() - idleSince < 5_000_000_000L) {
                    try {
                        rx.receive(dp);
                    } catch (SocketTimeoutException e) {
                        continue;
                    } catch (IOException e) {
                        return;
                    }
                    idleSince = System.nanoTime();
                    switch (RtpPacket.decode(ByteBuffer.wrap(b, 0, dp.getLength()))) {
                        case RtpDecodeResult.Decoded d -> depay.push(d.packet());
                        default -> malformedRtp[0]++;
                    }
                }
            });
            try (GstLaunch gst = GstLaunch.start(
                    tmp,
                    "videotestsrc",
                    "num-buffers=" + frames,
                    "pattern=snow",
                    "!",
                    "video/x-raw,format=UYVP,width=1280,height=720,framerate=50/1",
                    "!",
                    "tee",
                    "name=t",
                    "t.",
                    "!",
                    "queue",
                    "!",
                    "filesink",
                    "location=" + raw,
                    "t.",
                    "!",
                    "queue",
                    "!",
                    "rtpvrawpay",
                    "seqnum-offset=65000",
                    "!",
                    "udpsink",
                    "host=127.0.0.1",
                    "port=" + rx.getLocalPort(),
                    "max-bitrate=200000000")) {
                assertEquals(0, gst.waitFor(Duration.ofSeconds(40)), gst.log());
            }
            receiver.join(10_000);
        }
        byte[] file = Files.readAllBytes(raw);
        assertEquals((long) frames * f.frameBytes(), file.length, "GStreamer wrote " + frames + " UYVP frames");
        assertEquals(0, malformedRtp[0]);
        assertEquals(frames, ours.size(), "frames reassembled; stats " + depay.stats());
        for (int i = 0; i < frames; i++) {
            VideoFrame v = ours.get(i);
            assertTrue(v.complete(), "frame " + i + " complete; stats " + depay.stats());
            assertArrayEquals(
                    Arrays.copyOfRange(file, i * f.frameBytes(), (i + 1) * f.frameBytes()),
                    v.toByteArray(),
                    "frame " + i);
        }
        assertEquals(0, depay.stats().packetsLost());
        assertEquals(0, depay.stats().problems().size(), depay.stats().toString());
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }
}
