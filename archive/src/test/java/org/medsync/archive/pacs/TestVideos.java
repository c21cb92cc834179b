package org.medsync.archive.pacs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medsync.archive.media.FfmpegProgram;

/** Tiny synthetic videos made by the shipped FFmpeg (test pattern, 2 s), never shipped binaries. */
final class TestVideos {
    private TestVideos() {}

    /** {@code encoder}: libx264 or libx265; {@code extra}: encoder options (profile, pixel format). */
    static Path make(Path out, String size, int fps, double seconds, String encoder, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + size + ":rate=" + fps,
                "-t",
                String.valueOf(seconds),
                "-c:v",
                encoder,
                "-preset",
                "ultrafast"));
        args.addAll(List.of(extra));
        if (encoder.equals("libx265")) {
            args.addAll(List.of("-tag:v", "hvc1", "-x265-params", "log-level=error"));
        }
        args.addAll(List.of("-movflags", "+faststart", "-metadata", "title=Doe^Jane", out.toString()));
        Process p =
                FfmpegProgram.ffmpeg().command(args).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + log);
        }
        return out;
    }
}
