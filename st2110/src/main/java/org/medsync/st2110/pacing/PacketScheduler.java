package org.medsync.st2110.pacing;

import java.util.Objects;
import org.medsync.st2110.timing.FrameClock;

/**
 * When each packet of each frame should leave (ST 2110-21): frame N's alignment point on the TAI
 * timeline plus {@code TROFFSET + j x TRS}. The offsets are computed once; per packet it is one
 * addition. A sender waits on its {@link org.medsync.st2110.timing.MediaClock} until the
 * departure time (or sends a small batch early, within CMAX).
 */
public final class PacketScheduler {

    private final PacingModel model;
    private final FrameClock clock;
    private final long[] offsets;
    private long cachedFrame = Long.MIN_VALUE;
    private long cachedAlignment;

    public PacketScheduler(PacingModel model, FrameClock clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.offsets = model.departureOffsetsNanos();
    }

    public PacingModel model() {
        return model;
    }

    /** TAI nanoseconds at which packet {@code packet} of frame {@code frame} should leave. */
    public long departureNanos(long frame, int packet) {
        if (frame != cachedFrame) {
            cachedAlignment = clock.alignmentNanos(frame);
            cachedFrame = frame;
        }
        return cachedAlignment + offsets[packet];
    }

    /** All departures of {@code frames} consecutive frames from {@code firstFrame}, in order. */
    public long[] departures(long firstFrame, int frames) {
        long[] out = new long[Math.multiplyExact(frames, offsets.length)];
        for (int f = 0; f < frames; f++) {
            for (int j = 0; j < offsets.length; j++) {
                out[f * offsets.length + j] = departureNanos(firstFrame + f, j);
            }
        }
        return out;
    }
}
