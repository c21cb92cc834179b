package org.medsync.photo.restore.simulate;

/**
 * Every knob of the display-and-camera simulator, with the range training draws from and the range the
 * out-of-range held-out set draws from (outside the training range on purpose: a restorer measured only on
 * settings it was trained on measures the simulator learning itself). Parameters without an out-of-range stay in
 * their training range in both sets. docs/photo-intake.md "Simulator" is this table.
 */
public enum Parameter {
    /** Display EOTF exponent (luminance = black + (1 - black) * v^gamma); the camera encodes with 1/2.2. */
    DISPLAY_GAMMA("", 2.2, 2.0, 2.4, 1.6, 1.8, 2.6, 2.9),
    /** Display black plus reflected room light, as a fraction of white. */
    BLACK_LEVEL("of white", 0, 0.003, 0.03),
    /** Camera exposure: scene white lands at this fraction of sensor full scale. */
    EXPOSURE("of full scale", 1, 0.75, 1.0),
    /** Strength c of the phone's S-shaped tone curve y - c sin(2 pi y) / (2 pi). */
    TONE_CONTRAST("", 0, 0, 0.3),
    /** Period of the moire beat between the screen's sub-pixel grid and the sensor, in rectified pixels. */
    MOIRE_PERIOD("px", 6, 4, 10, 2.5, 3.5, 14, 20),
    /** Direction of the moire beat (its second, weaker component runs at right angles). */
    MOIRE_ANGLE("deg", 0, 0, 180),
    /** Modulation depth of the moire beat (multiplicative). */
    MOIRE_AMPLITUDE("", 0, 0.02, 0.10),
    /**
     * Peak of the glare blob (a lamp reflected in the screen), added to luminance. Calibrated 2026-12-07 from 0..0.12
     * (kept as {@link Regime#HARSH}): see {@link #harshRange()}.
     */
    GLARE_STRENGTH("of white", 0, 0, 0.04),
    /** Glare blob centre, as fractions of width and height. */
    GLARE_X("of width", 0.5, 0, 1),
    GLARE_Y("of height", 0.5, 0, 1),
    /** Glare blob radius (Gaussian sigma) as a fraction of the image diagonal. */
    GLARE_RADIUS("of diagonal", 0.2, 0.1, 0.35),
    /** Defocus (Gaussian sigma) in rectified pixels. */
    DEFOCUS_SIGMA("px", 0, 0.3, 1.0),
    /** Camera shake: length of the linear motion blur in rectified pixels, and its direction. */
    MOTION_LENGTH("px", 0, 0, 2),
    MOTION_ANGLE("deg", 0, 0, 180),
    /** Keystone: each screen corner moves by up to this fraction of the photo's shorter side. */
    PERSPECTIVE("of side", 0, 0, 0.12),
    /** Photo pixels per image pixel across the screen (below 1 the phone undersamples the image). */
    CAMERA_SCALE("", 1, 1.0, 1.6),
    /** Error of the corners rectification is given, in photo pixels (each corner, random direction). */
    CORNER_ERROR("px", 0, 0, 0.5),
    /**
     * Shot noise: variance per unit of signal (signal-dependent part of the noise left in the phone's JPEG, after
     * its noise reduction). Calibrated 2026-12-07 from 0.0005..0.003 (kept as {@link Regime#HARSH}).
     */
    SHOT_NOISE("", 0, 0.0001, 0.0006, 0.005, 0.008, 0.005, 0.008),
    /**
     * Read noise: standard deviation of the signal-independent part, of full scale, as left after the phone's noise
     * reduction. Calibrated 2026-12-07 from 0.001..0.006 (kept as {@link Regime#HARSH}).
     */
    READ_NOISE("of full scale", 0, 0.0003, 0.0015, 0.009, 0.014, 0.009, 0.014),
    /** JPEG quality the phone saves with (libjpeg scale, as javax.imageio applies it). */
    JPEG_QUALITY("", 100, 70, 95);

    private final String unit;
    private final double neutral;
    private final double low;
    private final double high;
    private final double[] outOfRange;

    Parameter(String unit, double neutral, double low, double high) {
        this(unit, neutral, low, high, new double[0]);
    }

    Parameter(
            String unit,
            double neutral,
            double low,
            double high,
            double lowA,
            double highA,
            double lowB,
            double highB) {
        this(unit, neutral, low, high, new double[] {lowA, highA, lowB, highB});
    }

    Parameter(String unit, double neutral, double low, double high, double[] outOfRange) {
        this.unit = unit;
        this.neutral = neutral;
        this.low = low;
        this.high = high;
        this.outOfRange = outOfRange;
    }

    public String unit() {
        return unit;
    }

    /** The value at which the effect is off (or, for the tone parameters, cancels the camera's encoding). */
    public double neutral() {
        return neutral;
    }

    /** Lower end of the training range. */
    public double low() {
        return low;
    }

    /** Upper end of the training range. */
    public double high() {
        return high;
    }

    /** Whether the out-of-range set moves this parameter outside its training range. */
    public boolean hasOutOfRange() {
        return outOfRange.length > 0;
    }

    /**
     * The training range before the 2026-12-07 calibration, {low, high}: the same as {@link #low()}..{@link #high()}
     * for the parameters it did not change. Those ranges made a rectified photo far less similar to its original
     * (mean SSIM 0.33 on the held-out images) than the paper's real iPhone photos (0.70): sensor noise as if the
     * phone did no noise reduction, which the 1/2.2 encoding amplifies in a CT's black background, and a reflected
     * lamp of up to 12% of white, a veil that lifts a black background to a third of the range. They stay as the
     * {@link Regime#HARSH} held-out set, measured next to the others.
     */
    public double[] harshRange() {
        return switch (this) {
            case GLARE_STRENGTH -> new double[] {0, 0.12};
            case SHOT_NOISE -> new double[] {0.0005, 0.003};
            case READ_NOISE -> new double[] {0.001, 0.006};
            default -> new double[] {low, high};
        };
    }

    /** Out-of-range intervals as {lowA, highA, lowB, highB} (one below and one above, or two above), or empty. */
    public double[] outOfRange() {
        return outOfRange.clone();
    }
}
