package org.medsync.photo.restore.simulate;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One complete simulator setting: a value for every {@link Parameter} plus the seed of its random parts (noise,
 * moire phase, corner-error directions). Equal settings give bit-identical photos.
 */
public final class Settings {
    private final EnumMap<Parameter, Double> values;
    private final long seed;

    private Settings(EnumMap<Parameter, Double> values, long seed) {
        this.values = values;
        this.seed = seed;
    }

    /** Every effect off: the photo is the displayed image up to 8-bit rounding and (quality 100) JPEG. */
    public static Settings neutral(long seed) {
        EnumMap<Parameter, Double> v = new EnumMap<>(Parameter.class);
        for (Parameter p : Parameter.values()) {
            v.put(p, p.neutral());
        }
        return new Settings(v, seed);
    }

    /** A setting drawn uniformly from each parameter's range for {@code regime}; same seed, same setting. */
    public static Settings draw(Regime regime, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EnumMap<Parameter, Double> v = new EnumMap<>(Parameter.class);
        for (Parameter p : Parameter.values()) {
            double r = random.nextDouble();
            double inRange = p.low() + r * (p.high() - p.low());
            double[] out = p.outOfRange();
            int side = random.nextInt(2);
            double u = random.nextDouble();
            double[] harsh = p.harshRange();
            // The same uniform number as the in-range draw, so a harsh setting differs from its in-range twin only
            // in the recalibrated parameters.
            double harshValue = harsh[0] + r * (harsh[1] - harsh[0]);
            v.put(
                    p,
                    switch (regime) {
                        case OUT_OF_RANGE ->
                            out.length > 0 ? out[2 * side] + u * (out[2 * side + 1] - out[2 * side]) : inRange;
                        case HARSH -> harshValue;
                        case IN_RANGE -> inRange;
                    });
        }
        v.put(Parameter.JPEG_QUALITY, (double) Math.round(v.get(Parameter.JPEG_QUALITY)));
        return new Settings(v, random.nextLong());
    }

    public double get(Parameter p) {
        return values.get(p);
    }

    public long seed() {
        return seed;
    }

    /** This setting with one parameter changed. */
    public Settings with(Parameter p, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(p + " must be finite, got " + value);
        }
        EnumMap<Parameter, Double> v = new EnumMap<>(values);
        v.put(p, value);
        return new Settings(v, seed);
    }

    public Map<Parameter, Double> values() {
        return Map.copyOf(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("seed=").append(seed);
        values.forEach((p, x) -> s.append(' ')
                .append(p.name().toLowerCase(Locale.ROOT))
                .append('=')
                .append(String.format(Locale.ROOT, "%.4g", x)));
        return s.toString();
    }
}
