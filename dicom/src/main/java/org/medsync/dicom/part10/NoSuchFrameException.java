package org.medsync.dicom.part10;

/** A 1-based frame number outside 1..numberOfFrames (a caller error: WADO-RS answers 404). */
public final class NoSuchFrameException extends IllegalArgumentException {

    private final int frameNumber;
    private final int numberOfFrames;

    public NoSuchFrameException(int frameNumber, int numberOfFrames) {
        super("frame " + frameNumber + " requested, the instance has frames 1.." + numberOfFrames);
        this.frameNumber = frameNumber;
        this.numberOfFrames = numberOfFrames;
    }

    public int frameNumber() {
        return frameNumber;
    }

    public int numberOfFrames() {
        return numberOfFrames;
    }
}
