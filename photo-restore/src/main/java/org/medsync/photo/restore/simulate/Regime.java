package org.medsync.photo.restore.simulate;

/** Which ranges a drawn setting comes from. */
public enum Regime {
    /** Every parameter in its training range: training pairs and the in-range held-out set. */
    IN_RANGE,
    /**
     * Display gamma, moire period, shot and read noise outside their training ranges (the rest in range): the
     * second held-out set.
     */
    OUT_OF_RANGE
}
