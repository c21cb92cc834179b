package org.medsync.st2110.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class FrameClockTest {

    private static final long S = 1_000_000_000L;

    @Test
    void fiftyHz_advances1800PerFrame_andMatchesTaiTimes90000() {
        FrameClock c = FrameClock.video(FrameRate.FPS_50);
        long tai = 1_700_000_000L * S; // an alignment point: whole seconds are multiples of 20 ms
        long n = c.frameAtOrBefore(tai);
        assertEquals(85_000_000_000L, n);
        assertEquals(tai, c.alignmentNanos(n));
        long expected = BigInteger.valueOf(1_700_000_000L)
                .multiply(BigInteger.valueOf(90_000))
                .mod(BigInteger.ONE.shiftLeft(32))
                .longValue();
        assertEquals(expected, c.rtpTimestamp(n));
        assertEquals((expected + 1800) & 0xFFFF_FFFFL, c.rtpTimestamp(n + 1));
        assertEquals(n + 1, c.frameAtOrAfter(tai + 1));
        assertEquals(n, c.frameAtOrBefore(tai + 20_000_000L - 1));
    }

    @Test
    void ntsc_alternates1501and1502_andIsExactOver1001Seconds() {
        FrameClock c = FrameClock.video(FrameRate.FPS_59_94);
        long n0 = c.frameAtOrAfter(1_700_000_000L * S);
        long prev = c.rtpTimestamp(n0);
        for (long n = n0 + 1; n < n0 + 100; n++) {
            long ts = c.rtpTimestamp(n);
            long step = (ts - prev) & 0xFFFF_FFFFL;
            assertTrue(step == 1501 || step == 1502, "step " + step);
            prev = ts;
        }
        // 60000 frames of 1001/60000 s = 1001 s exactly = 90,090,000 ticks
        long start = 60000L * 28333; // an alignment point at a whole second (28333 * 1001 s)
        assertEquals(28333L * 1001 * S, c.alignmentNanos(start));
        assertEquals((c.rtpTimestamp(start) + 90_090_000L) & 0xFFFF_FFFFL, c.rtpTimestamp(start + 60000));
    }

    @Test
    void mediaClockAtTheAlignmentPoint_isTheFrameTimestamp() {
        for (FrameRate r : new FrameRate[] {FrameRate.FPS_50, FrameRate.FPS_59_94, FrameRate.FPS_29_97}) {
            FrameClock c = FrameClock.video(r);
            long n0 = c.frameAtOrAfter(1_765_432_100L * S + 123_456_789L);
            for (long n = n0; n < n0 + 2000; n++) {
                long t = c.alignmentNanos(n);
                assertEquals(c.rtpTimestamp(n), c.mediaClockAt(t), r + " frame " + n);
                assertEquals(n, c.frameAtOrBefore(t), "the rounded-up point is still in frame n");
                assertEquals(n - 1, c.frameAtOrBefore(t - 1));
            }
        }
    }

    @Test
    void wrapsAt32Bits() {
        FrameClock c = FrameClock.video(FrameRate.FPS_50);
        // 2^32 / 1800 frames after 0 the timestamp wraps; frame 2386093 gives ts 4294967400 mod 2^32
        assertEquals(4_294_967_400L - (1L << 32), c.rtpTimestamp(2_386_093));
    }

    @Test
    void systemClock_isUtcPlus37s() {
        InstantSource fixed = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L, 5));
        assertEquals((1_700_000_037L) * S + 5, new SystemMediaClock(fixed, 37).taiNanos());
        long tai = new SystemMediaClock().taiNanos();
        long utc = Instant.now().getEpochSecond() * S;
        assertTrue(Math.abs(tai - utc - 37 * S) < 5 * S);
    }

    @Test
    void modelledClock_offsetAndDrift() {
        ModelledMediaClock.ManualTime truth = new ModelledMediaClock.ManualTime(1_000 * S);
        ModelledMediaClock clock = new ModelledMediaClock(truth, 2_000_000, 50_000); // +2 ms, +50 ppm
        assertEquals(1_000 * S + 2_000_000, clock.taiNanos());
        truth.advance(10 * S);
        assertEquals(1_010 * S + 2_000_000 + 500_000, clock.taiNanos()); // 10 s x 50 ppm = 500 us
    }
}
