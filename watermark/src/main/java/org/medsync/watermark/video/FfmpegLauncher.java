package org.medsync.watermark.video;

import java.util.List;

/**
 * Makes an ffmpeg process from its arguments. The watermark module ships no FFmpeg: the archive passes its bundled
 * program ({@code FfmpegProgram.ffmpeg()::command}), a test or a tool any other.
 */
@FunctionalInterface
public interface FfmpegLauncher {
    ProcessBuilder command(List<String> arguments);
}
