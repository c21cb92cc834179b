package org.medsync.st2110.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.rtp.RtpPacket;
import org.medsync.st2110.timing.FrameRate;

class Rfc4175RoundTripTest {

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(new VideoFormat(10, 1280, 720, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709)),
                Arguments.of(new VideoFormat(10, 1920, 1080, FrameRate.FPS_59_94, VideoFormat.Colorimetry.BT709)),
                Arguments.of(new VideoFormat(8, 1280, 720, FrameRate.FPS_59_94, VideoFormat.Colorimetry.BT601)),
                Arguments.of(new VideoFormat(8, 1920, 1080, FrameRate.FPS_50, VideoFormat.Colorimetry.BT2020)));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void everyPacket_followsSt2110_20_andTheFrameComesBackBitExact(VideoFormat f) {
        Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(0x5EED), 0xFFFF_FF00);
        byte[] frame = TestFrames.random(f, 42);
        List<byte[]> packets = TestFrames.packetize(pay, frame, 1800);
        assertEquals(pay.packetsPerFrame(), packets.size());
        List<VideoFrame> out = new ArrayList<>();
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), out::add);
        long expectSeq = 0xFFFF_FF00L;
        for (int i = 0; i < packets.size(); i++) {
            byte[] d = packets.get(i);
            assertTrue(d.length <= 1460, "UDP payload " + d.length + " > MAXUDP 1460");
            RtpPacket p = TestFrames.rtp(d);
            assertEquals(i == packets.size() - 1, p.marker(), "marker only on the last packet");
            Rfc4175Payload.Segments s =
                    assertInstanceOf(Rfc4175Payload.Segments.class, Rfc4175Payload.decode(p.payload(), 3));
            assertTrue(s.segments().size() <= 3);
            assertEquals(
                    expectSeq & 0xFFFF_FFFFL,
                    (long) s.extendedSequenceHigh() << 16 | p.sequenceNumber(),
                    "32-bit extended sequence number, wrapping");
            expectSeq++;
            depay.push(p);
        }
        assertEquals(1, out.size());
        assertTrue(out.getFirst().complete());
        assertArrayEquals(frame, out.getFirst().toByteArray());
        assertEquals(0, depay.stats().problems().size());
    }

    @Test
    void packetCounts_forTheDicomRtvFormats() {
        // payload budget 1460 - 12 - 2 = 1446 bytes; a full packet carries 1440 (one header) or less
        assertEquals(
                1605,
                new Rfc4175Payloader(VideoFormat.hd720p50x10(), Rfc4175Payloader.Options.standard(1), 0)
                        .packetsPerFrame());
        assertEquals(
                3608,
                new Rfc4175Payloader(VideoFormat.hd1080p50x10(), Rfc4175Payloader.Options.standard(1), 0)
                        .packetsPerFrame());
    }

    @Test
    void sameFrame_splitDifferently_reassemblesIdentically() {
        VideoFormat f = VideoFormat.hd720p50x10();
        byte[] frame = TestFrames.random(f, 7);
        for (int maxUdp : new int[] {1460, 1400, 8960, 300, 50}) {
            for (int segs : new int[] {1, 3}) {
                Rfc4175Payloader pay = new Rfc4175Payloader(f, new Rfc4175Payloader.Options(maxUdp, 96, 1, segs), 0);
                List<VideoFrame> out = new ArrayList<>();
                Rfc4175Depacketizer depay =
                        new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), out::add);
                for (byte[] d : TestFrames.packetize(pay, frame, 0)) {
                    assertTrue(d.length <= maxUdp);
                    depay.push(TestFrames.rtp(d));
                }
                assertEquals(1, out.size(), "MAXUDP " + maxUdp);
                assertTrue(out.getFirst().complete(), "MAXUDP " + maxUdp);
                assertArrayEquals(frame, out.getFirst().toByteArray(), "MAXUDP " + maxUdp + " segments " + segs);
            }
        }
    }

    @Test
    void lostPacket_frameIsReportedIncomplete_andCounted() {
        VideoFormat f = VideoFormat.hd720p50x10();
        Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(1), 0);
        List<VideoFrame> out = new ArrayList<>();
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), out::add);
        List<byte[]> frame1 = TestFrames.packetize(pay, TestFrames.random(f, 1), 0);
        List<byte[]> frame2 = TestFrames.packetize(pay, TestFrames.random(f, 2), 1800);
        frame1.remove(100);
        frame1.forEach(d -> depay.push(TestFrames.rtp(d)));
        frame2.forEach(d -> depay.push(TestFrames.rtp(d)));
        assertEquals(2, out.size());
        assertFalse(out.get(0).complete());
        assertTrue(out.get(0).bytesReceived() < f.frameBytes());
        assertTrue(out.get(1).complete());
        assertEquals(1, depay.stats().packetsLost());
        assertEquals(1, depay.stats().framesIncomplete());
    }

    @Test
    void lostMarker_timestampChangeEmitsIncompleteFrame() {
        VideoFormat f = VideoFormat.hd720p50x10();
        Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(1), 0);
        List<VideoFrame> out = new ArrayList<>();
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), out::add);
        List<byte[]> frame1 = TestFrames.packetize(pay, TestFrames.random(f, 1), 0);
        frame1.removeLast();
        frame1.forEach(d -> depay.push(TestFrames.rtp(d)));
        assertEquals(0, out.size(), "nothing until the marker or the next timestamp");
        depay.push(TestFrames.rtp(
                TestFrames.packetize(pay, TestFrames.random(f, 2), 1800).getFirst()));
        assertEquals(1, out.size());
        assertEquals(0, out.getFirst().rtpTimestamp());
        assertFalse(out.getFirst().complete());
    }

    @Test
    void latePacketOfAnEmittedFrame_isCountedNotAFrame() {
        VideoFormat f = VideoFormat.hd720p50x10();
        Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(1), 0);
        List<VideoFrame> out = new ArrayList<>();
        Rfc4175Depacketizer depay = new Rfc4175Depacketizer(f, Rfc4175Depacketizer.Options.standard(), out::add);
        List<byte[]> frame1 = TestFrames.packetize(pay, TestFrames.random(f, 1), 0);
        byte[] late = frame1.remove(5);
        frame1.forEach(d -> depay.push(TestFrames.rtp(d)));
        depay.push(TestFrames.rtp(late));
        assertEquals(1, out.size());
        assertEquals(1, depay.stats().problems(Rfc4175Payload.Reason.LATE_PACKET));
    }

    @Test
    void frameOfWrongSize_isRefused() {
        Rfc4175Payloader pay = new Rfc4175Payloader(VideoFormat.hd720p50x10(), Rfc4175Payloader.Options.standard(1), 0);
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> pay.frame(ByteBuffer.allocate(100), 0));
    }
}
