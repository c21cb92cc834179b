package org.medsync.archive.media;

import java.io.IOException;

/** A file (or what FFmpeg says about it) that the archive cannot use, with a message that says exactly why. */
public final class MediaFormatException extends IOException {
    public MediaFormatException(String message) {
        super(message);
    }
}
