package org.medsync.st2110.timing;

import java.util.function.LongSupplier;

/**
 * TAI time steered towards a reference by offset measurements, without touching the host clock:
 * the shape a PTP-disciplined clock takes here (feed it {@code (local, master)} pairs from ptp4l's
 * management socket, a PHC read, or any PTP stack). It keeps its own linear model
 * {@code tai = anchorTai + (local - anchorLocal) * (1 + rate)} over a monotonic local counter and
 * corrects it by slewing the rate (a PI servo), never by stepping backwards.
 *
 * <p>The first measurement sets the model (a step of this model only, not of any clock). After
 * that, phase errors are removed over about {@code 1 / kp} measurement intervals, and the rate
 * is clamped to +-500 ppm so the clock stays monotonic.
 */
public final class DisciplinedMediaClock implements MediaClock {

    private static final double MAX_RATE = 500e-6;
    private static final double KP = 0.7;
    private static final double KI = 0.3;

    private final LongSupplier local;
    private long anchorLocal;
    private long anchorTai;
    private double rate; // total rate correction applied now
    private double frequency; // integral part: the estimated frequency error of the local counter
    private long lastLocal;
    private boolean locked;
    private long lastTai = Long.MIN_VALUE;

    /** @param local a monotonic nanosecond counter, {@code System::nanoTime} in production */
    public DisciplinedMediaClock(LongSupplier local) {
        this.local = local;
    }

    @Override
    public synchronized long taiNanos() {
        if (!locked) {
            throw new IllegalStateException("no reference measurement yet");
        }
        long t = at(local.getAsLong());
        if (t < lastTai) {
            return lastTai;
        }
        lastTai = t;
        return t;
    }

    public synchronized boolean locked() {
        return locked;
    }

    /**
     * One measurement: at local counter value {@code localNanos} the reference said
     * {@code referenceTaiNanos}. Returns the phase error before correction (reference - ours).
     */
    public synchronized long observe(long localNanos, long referenceTaiNanos) {
        if (!locked) {
            anchorLocal = localNanos;
            anchorTai = referenceTaiNanos;
            lastLocal = localNanos;
            locked = true;
            return 0;
        }
        long ours = at(localNanos);
        long error = referenceTaiNanos - ours;
        double interval = Math.max(1, localNanos - lastLocal);
        frequency = clamp(frequency + KI * error / interval);
        rate = clamp(frequency + KP * error / interval);
        anchorTai = ours; // continuity: the model bends, it does not jump
        anchorLocal = localNanos;
        lastLocal = localNanos;
        return error;
    }

    /** The current rate correction in parts per billion. */
    public synchronized double ratePpb() {
        return rate * 1e9;
    }

    private long at(long localNanos) {
        long elapsed = localNanos - anchorLocal;
        return anchorTai + elapsed + Math.round(elapsed * rate);
    }

    private static double clamp(double r) {
        return Math.max(-MAX_RATE, Math.min(MAX_RATE, r));
    }
}
