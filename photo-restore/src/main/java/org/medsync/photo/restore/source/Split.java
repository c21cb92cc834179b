package org.medsync.photo.restore.source;

/** Whether an image may be used to train, or is kept for measuring only. */
public enum Split {
    TRAINING,
    HELD_OUT
}
