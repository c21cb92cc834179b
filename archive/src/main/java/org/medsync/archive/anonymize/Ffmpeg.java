package org.medsync.archive.anonymize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.medsync.archive.media.FfmpegProgram;

/** Runs the shipped ffmpeg for the anonymize job; media.Probe measures what it writes. */
final class Ffmpeg {
    private static final int KEEP_STDERR = 4000;

    /** ffmpeg refused the file: running again would not help. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final FfmpegProgram ffmpeg;

    Ffmpeg() throws IOException {
        this.ffmpeg = FfmpegProgram.ffmpeg();
    }

    /** Runs ffmpeg; a non-zero exit is an IOException with the end of its error output (no input metadata in it). */
    void run(List<String> arguments) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        args.addAll(arguments);
        String err = exec(ffmpeg.command(args).redirectOutput(ProcessBuilder.Redirect.DISCARD));
        if (err != null) {
            throw new Refused("ffmpeg failed: " + err);
        }
    }

    /** Null when the process succeeded, else its exit code and the end of its error output. */
    private static String exec(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        byte[] err;
        try (InputStream in = p.getErrorStream()) {
            err = in.readAllBytes();
        }
        int code = p.waitFor();
        if (code == 0) {
            return null;
        }
        String text = new String(err, StandardCharsets.UTF_8).strip();
        if (text.length() > KEEP_STDERR) {
            text = "…" + text.substring(text.length() - KEEP_STDERR);
        }
        return "exit " + code + (text.isEmpty() ? "" : ": " + text);
    }
}
