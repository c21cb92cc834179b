package org.medsync.st2110.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.Rfc4175Payloader;
import org.medsync.st2110.video.VideoFormat;

class PacingTest {

    private static final int NPKTS_1080 =
            new Rfc4175Payloader(VideoFormat.hd1080p50x10(), Rfc4175Payloader.Options.standard(1), 0).packetsPerFrame();
    private static final FrameClock CLOCK = FrameClock.video(FrameRate.FPS_50);
    private static final long FIRST = CLOCK.frameAtOrAfter(1_700_000_000L * 1_000_000_000L);

    @Test
    void constants_1080p50_narrowLinear() {
        PacingModel m = new PacingModel(SenderType.NARROW_LINEAR, FrameRate.FPS_50, 1080, NPKTS_1080);
        assertEquals(3608, NPKTS_1080);
        assertEquals(4, m.cmax());
        assertEquals(8, m.vrxFull());
        assertEquals(20_000_000.0 / 3608, m.trsNanos(), 1e-6); // about 5.5 us
        assertEquals(20_000_000.0 * 43 / 1125, m.troffsetNanos(), 1e-6); // 764.4 us
        long[] off = m.departureOffsetsNanos();
        assertEquals(764_444, off[0]);
        assertEquals(769_987, off[1]); // floor(764444.44 + 5543.24)
    }

    @Test
    void constants_gapped_andWide() {
        PacingModel n = new PacingModel(SenderType.NARROW, FrameRate.FPS_50, 1080, NPKTS_1080);
        assertEquals(20_000_000.0 * 1080 / 1125 / 3608, n.trsNanos(), 1e-6);
        assertEquals(4, n.cmax());
        PacingModel w = new PacingModel(SenderType.WIDE, FrameRate.FPS_59_94, 720, 1605);
        assertEquals(16, w.cmax());
        assertEquals(720, w.vrxFull());
        assertEquals(1001.0 / 60000 * 1e9 * 28 / 750, w.troffsetNanos(), 1e-6);
    }

    @Test
    void ourSchedule_isCompliant() {
        for (SenderType type : SenderType.values()) {
            PacingModel m = new PacingModel(type, FrameRate.FPS_50, 1080, NPKTS_1080);
            PacketScheduler s = new PacketScheduler(m, CLOCK);
            PacingAnalyzer.Report r = PacingAnalyzer.measure(m, CLOCK, FIRST, s.departures(FIRST, 5));
            assertTrue(r.compliant(), type + " " + r);
            assertTrue(r.cinstMax() <= 2 && r.vrxMax() <= 1, type + " " + r);
        }
    }

    @Test
    void jitterWithinATrs_staysCompliant() {
        PacingModel m = new PacingModel(SenderType.NARROW_LINEAR, FrameRate.FPS_50, 1080, NPKTS_1080);
        long[] t = new PacketScheduler(m, CLOCK).departures(FIRST, 3);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < t.length; i++) {
            t[i] -= rnd.nextLong((long) m.trsNanos()); // early by up to one TRS, never late
        }
        java.util.Arrays.sort(t);
        assertTrue(PacingAnalyzer.measure(m, CLOCK, FIRST, t).compliant());
    }

    @Test
    void wholeFrameBurst_breaksCmax() {
        PacingModel m = new PacingModel(SenderType.NARROW_LINEAR, FrameRate.FPS_50, 1080, NPKTS_1080);
        long[] t = new long[NPKTS_1080];
        long start = CLOCK.alignmentNanos(FIRST);
        for (int i = 0; i < t.length; i++) {
            t[i] = start + i * 100L; // 10 Gb/s line rate: 100 ns a packet
        }
        PacingAnalyzer.Report r = PacingAnalyzer.measure(m, CLOCK, FIRST, t);
        assertFalse(r.compliant());
        assertTrue(r.cinstMax() > 1000, r.toString());
        assertTrue(r.vrxMax() > 8, r.toString());
    }

    @Test
    void lateSender_underrunsTheReceiver() {
        PacingModel m = new PacingModel(SenderType.NARROW_LINEAR, FrameRate.FPS_50, 1080, NPKTS_1080);
        long[] t = new PacketScheduler(m, CLOCK).departures(FIRST, 2);
        for (int i = 0; i < t.length; i++) {
            t[i] += 1_000_000; // 1 ms late
        }
        PacingAnalyzer.Report r = PacingAnalyzer.measure(m, CLOCK, FIRST, t);
        assertFalse(r.compliant());
        assertEquals(t.length, r.latePackets());
        assertEquals(1_000_000, r.maxLateNanos());
    }

    @Test
    void earlySender_overfillsTheVirtualReceiver() {
        PacingModel m = new PacingModel(SenderType.NARROW_LINEAR, FrameRate.FPS_50, 1080, NPKTS_1080);
        long[] t = new PacketScheduler(m, CLOCK).departures(FIRST, 2);
        for (int i = 0; i < t.length; i++) {
            t[i] -= 500_000; // 0.5 ms early: about 90 packets waiting in the receiver
        }
        PacingAnalyzer.Report r = PacingAnalyzer.measure(m, CLOCK, FIRST, t);
        assertFalse(r.compliant());
        assertTrue(r.vrxMax() > 80 && r.vrxMax() < 100, r.toString());
        assertTrue(r.cinstMax() <= 2, "still smooth: " + r);
    }
}
