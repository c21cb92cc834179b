package org.medsync.st2110.video;

/** A video format this implementation does not payload; thrown once, when the format is negotiated. */
public final class UnsupportedVideoFormatException extends IllegalArgumentException {

    public UnsupportedVideoFormatException(String message) {
        super(message);
    }
}
