package org.medsync.rtv.ffmpeg;

/** FFmpeg could not open or read an input; the message names the input. */
public final class FfmpegSourceException extends RuntimeException {

    public FfmpegSourceException(String message) {
        super(message);
    }

    public FfmpegSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
