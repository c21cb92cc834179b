package org.medsync.photo.restore.simulate;

/** Which ranges a drawn setting comes from. */
public enum Regime {
    /** Every parameter in its training range: training pairs and the in-range held-out set. */
    IN_RANGE,
    /**
     * Display gamma, moire period, shot and read noise outside their training ranges (the rest in range): the
     * second held-out set.
     */
    OUT_OF_RANGE,
    /**
     * The training ranges before the 2026-12-07 calibration ({@link Parameter#harshRange()}: noise without the
     * phone's noise reduction, glare up to 12% of white), the rest in range: kept as a third held-out set.
     */
    HARSH
}
