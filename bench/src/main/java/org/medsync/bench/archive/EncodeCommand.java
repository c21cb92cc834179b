package org.medsync.bench.archive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The encodes the archive benchmark measures, built in this one place. The transcode benchmark times "MedSync's
 * encoding path" with {@link #playbackTopRung}: the top rung of the playback ladder (docs: ARCHIVE.md "Renditions":
 * H.264 8-bit 4:2:0, keyframe every 2 s exactly, no scene-cut keyframes). When the archive's own transcode job
 * builds its FFmpeg arguments in one method, point {@link #playbackTopRung} at it and the benchmark measures that.
 */
final class EncodeCommand {
    private EncodeCommand() {}

    /** The 1080p playback rung from {@code source}, as the transcode job writes it, into an MP4. */
    static List<String> playbackTopRung(Path source, int fps, Path output) {
        String gop = Integer.toString(2 * fps);
        return List.of(
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                source.toString(),
                "-map",
                "0:v:0",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "21",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-g",
                gop,
                "-keyint_min",
                gop,
                "-sc_threshold",
                "0",
                "-an",
                "-f",
                "mp4",
                output.toString());
    }

    /**
     * One point of the rate-quality table: {@code codec} libx264 or libx265 at a preset and a CRF, or (crf < 0) the
     * paper's assumption, H.264 at a constant {@code bitrateKbps}.
     */
    static List<String> rateQuality(Path source, String codec, String preset, int crf, int bitrateKbps, Path output) {
        List<String> a = new ArrayList<>(List.of(
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", source.toString(), "-map", "0:v:0"));
        a.addAll(List.of("-c:v", codec, "-preset", preset, "-pix_fmt", "yuv420p"));
        if (crf >= 0) {
            a.addAll(List.of("-crf", Integer.toString(crf)));
        } else {
            String rate = bitrateKbps + "k";
            a.addAll(List.of("-b:v", rate, "-maxrate", rate, "-bufsize", 2 * bitrateKbps + "k"));
        }
        if (codec.equals("libx265")) {
            a.addAll(List.of("-x265-params", "log-level=error", "-tag:v", "hvc1"));
        }
        a.addAll(List.of("-an", "-f", "mp4", output.toString()));
        return a;
    }
}
