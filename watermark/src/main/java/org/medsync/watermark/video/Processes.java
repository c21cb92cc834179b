package org.medsync.watermark.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starting ffmpeg with its log in a file (a full stderr pipe would block it) and ending it with a clear error. */
final class Processes {
    private Processes() {}

    record Running(Process process, Path log) {
        /** Waits for the end; an exit code other than 0 throws with the end of the log. */
        void finish(String what) throws IOException, InterruptedException {
            try {
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IOException(what + " failed (exit " + exit + "): " + tail());
                }
            } finally {
                close();
            }
        }

        void close() throws IOException, InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }

        String tail() throws IOException {
            String[] lines =
                    Files.readString(log, StandardCharsets.UTF_8).strip().split("\n");
            return String.join(" | ", Arrays.asList(lines).subList(Math.max(0, lines.length - 8), lines.length));
        }
    }

    static Running start(FfmpegLauncher ffmpeg, List<String> arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-nostats", "-loglevel", "error", "-y"));
        all.addAll(arguments);
        Path log = Files.createTempFile("ffmpeg-watermark-", ".log");
        try {
            return new Running(ffmpeg.command(all).redirectError(log.toFile()).start(), log);
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw e;
        }
    }
}
