package org.medsync.archive.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;
import org.medsync.watermark.mark.Embedder;
import org.medsync.watermark.video.VideoMarker;

/**
 * The playback ladder: HLS with fMP4 segments, H.264 High 8-bit 4:2:0 (what every browser decodes), one rung per
 * height among 1080, 720 and 360 that the source reaches (a source below 360 lines gets one rung at its own height:
 * upscaling adds bytes, not detail). Every rung has a keyframe every 2 s exactly and no scene-cut keyframes, so
 * rungs switch on the same boundaries and a seek lands within one 2 s GOP. The source is decoded once and split to
 * every rung in one ffmpeg run.
 */
public final class Ladder {
    /** Rung heights, tallest first, and their rate caps (kbit/s): 1080 at the paper's 6 Mbit/s. */
    private static final int[][] RUNGS = {{1080, 6000}, {720, 3000}, {360, 800}};

    public static final double SEGMENT_SECONDS = 2;

    /** A rung: its rendition name ("hls-720"), size, and rate cap. */
    public record Rung(String name, int width, int height, int maxKbps) {}

    /** A rung as written: its directory (index.m3u8, init.mp4, seg-00000.m4s ...) and peak bit rate. */
    public record Output(Rung rung, Path dir, List<Path> files, long peakBitrate) {}

    /** Encoder settings of the ladder. */
    public record Settings(int crf, String preset) {
        public static Settings defaults() {
            return new Settings(21, "veryfast");
        }
    }

    private Ladder() {}

    /** The rungs for a source of this size: never above its height. */
    public static List<Rung> rungs(int sourceWidth, int sourceHeight) {
        List<Rung> out = new ArrayList<>();
        for (int[] r : RUNGS) {
            if (r[0] <= sourceHeight) {
                out.add(rung(sourceWidth, sourceHeight, r[0], r[1]));
            }
        }
        if (out.isEmpty()) {
            int h = sourceHeight & ~1;
            int kbps = Math.max(200, (int) (800L * h / 360));
            out.add(rung(sourceWidth, sourceHeight, h, kbps));
        }
        return out;
    }

    private static Rung rung(int sourceWidth, int sourceHeight, int height, int kbps) {
        int width = (int) Math.round((double) sourceWidth * height / sourceHeight / 2) * 2;
        return new Rung("hls-" + height, Math.max(2, width), height, kbps);
    }

    /** GOP length in frames for a keyframe every {@link #SEGMENT_SECONDS}. */
    public static int gop(double fps) {
        return Math.max(1, (int) Math.round(fps * SEGMENT_SECONDS));
    }

    /**
     * Encodes every rung of {@code probe}'s source into {@code outDir/<rung name>/}; {@code progress} gets 0..1.
     */
    public static List<Output> encode(Path source, Probe probe, Path outDir, Settings settings, DoubleConsumer progress)
            throws IOException, InterruptedException {
        return encode(source, probe, outDir, settings, null, progress);
    }

    /**
     * As {@link #encode(Path, Probe, Path, Settings, DoubleConsumer)}, the frames that feed every rung first marked by
     * {@code mark} (null: unmarked): the source is decoded once to raw frames, each frame's luma marked, and the
     * marked frames piped into the ladder's encoder; the audio still comes from the source.
     */
    public static List<Output> encode(
            Path source, Probe probe, Path outDir, Settings settings, Embedder mark, DoubleConsumer progress)
            throws IOException, InterruptedException {
        List<Rung> rungs = rungs(probe.video().width(), probe.video().height());
        StringBuilder graph = new StringBuilder("[0:v:0]split=" + rungs.size());
        for (int i = 0; i < rungs.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            graph.append(String.format(
                    Locale.ROOT, ";[s%d]scale=%d:%d:flags=bicubic,format=yuv420p[o%d]", i, r.width(), r.height(), i));
        }
        int gop = gop(probe.video().fps());
        int width = probe.video().width();
        int height = probe.video().height();
        // Raw 4:2:0 frames need even sizes; no recorder makes odd ones, and such a source plays unmarked.
        Embedder embedder = width % 2 == 0 && height % 2 == 0 ? mark : null;
        List<String> args = new ArrayList<>();
        String audio = "0:a:0";
        FfmpegRun.Feeder feeder = null;
        if (embedder == null) {
            args.addAll(List.of("-i", source.toString()));
        } else {
            VideoMarker marker = new VideoMarker(FfmpegProgram.ffmpeg()::command);
            args.addAll(VideoMarker.rawInput(width, height, probe.video().fps()));
            args.addAll(List.of("-i", source.toString()));
            audio = "1:a:0";
            feeder = stdin ->
                    marker.pumpFrom(source, width, height, probe.video().fps(), embedder, stdin);
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            Rung r = rungs.get(i);
            Path dir = Files.createDirectories(outDir.resolve(r.name()));
            dirs.add(dir);
            args.addAll(List.of("-map", "[o" + i + "]"));
            if (probe.audioCodec() != null) {
                args.addAll(List.of("-map", audio, "-c:a", "aac", "-b:a", "128k", "-ac", "2"));
            }
            args.addAll(List.of(
                    "-c:v",
                    "libx264",
                    "-profile:v",
                    "high",
                    "-preset",
                    settings.preset(),
                    "-crf",
                    Integer.toString(settings.crf()),
                    "-maxrate",
                    r.maxKbps() + "k",
                    "-bufsize",
                    2 * r.maxKbps() + "k",
                    "-g",
                    Integer.toString(gop),
                    "-keyint_min",
                    Integer.toString(gop),
                    "-sc_threshold",
                    "0",
                    // Exact 2 s boundaries even when 2 x fps is not a whole number of frames (29.97).
                    "-force_key_frames",
                    "expr:gte(t,n_forced*" + (int) SEGMENT_SECONDS + ")",
                    "-f",
                    "hls",
                    "-hls_time",
                    Integer.toString((int) SEGMENT_SECONDS),
                    "-hls_playlist_type",
                    "vod",
                    "-hls_segment_type",
                    "fmp4",
                    // Every segment starts with a keyframe: players may start or switch at any of them.
                    "-hls_flags",
                    "independent_segments",
                    "-hls_fmp4_init_filename",
                    "init.mp4",
                    "-hls_segment_filename",
                    dir.resolve("seg-%05d.m4s").toString(),
                    dir.resolve("index.m3u8").toString()));
        }
        FfmpegRun.run(args, probe.durationSeconds(), progress, feeder);
        List<Output> out = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            Path dir = dirs.get(i);
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.sorted().toList();
            }
            if (!files.contains(dir.resolve("index.m3u8")) || !files.contains(dir.resolve("init.mp4"))) {
                throw new IOException("ffmpeg wrote no playlist or init segment for "
                        + rungs.get(i).name());
            }
            out.add(new Output(rungs.get(i), dir, files, peakBitrate(dir)));
        }
        return out;
    }

    /**
     * The highest bit rate of any segment (its bytes over its EXTINF duration): what an HLS master playlist's
     * BANDWIDTH must state.
     */
    static long peakBitrate(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("index.m3u8"));
        double peak = 0;
        double duration = -1;
        for (String line : lines) {
            if (line.startsWith("#EXTINF:")) {
                String d = line.substring("#EXTINF:".length());
                int comma = d.indexOf(',');
                duration = Double.parseDouble(comma < 0 ? d : d.substring(0, comma));
            } else if (!line.isBlank() && !line.startsWith("#") && duration > 0) {
                long bytes = Files.size(dir.resolve(line.strip()));
                peak = Math.max(peak, bytes * 8 / duration);
                duration = -1;
            }
        }
        return Math.round(peak);
    }
}
