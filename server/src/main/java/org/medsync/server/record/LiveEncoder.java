package org.medsync.server.record;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.st2110.video.VideoFormat;

/**
 * An ffmpeg process encoding the archival master as frames arrive on its standard input: H.264 High 4:2:2 at the
 * source's depth (10-bit stays 10-bit, 4:2:2 stays 4:2:2), CRF, short GOP, into fragmented MP4; or, when x264 cannot
 * keep up with the format on this machine, a lossless intra-only mezzanine (FFV1 version 3, sliced, every frame a
 * keyframe, in Matroska) that the archive's transcode job turns into that master and the playback ladder, deleting
 * the mezzanine once the master passed its PSNR floor (docs/archive-recording.md "Formats x264 cannot keep up with").
 * The receiver's
 * frames are RFC 4175 pgroups (Cb Y0 Cr Y1, big-endian): 8-bit ones are exactly FFmpeg's {@code uyvy422}, and
 * 10-bit ones are what FFmpeg's {@code bitpacked} demuxer and decoder read (the layout of its own RFC 4175 RTP
 * depacketizer), so the frames go to the pipe untouched and FFmpeg's C code unpacks them: no per-sample work in
 * Java. Fragments (one per keyframe) keep everything up to the last GOP playable if the recorder dies mid-procedure.
 */
public final class LiveEncoder implements AutoCloseable {

    /** Whether the master is encoded live, or a mezzanine first. */
    public enum Live {
        /** The master live when x264 at the preset keeps up with the format here ({@link #keepsUp}), else mezzanine. */
        AUTO,
        MASTER,
        MEZZANINE
    }

    /** The file name suffix by which the archive knows a recorder's mezzanine (docs/archive-api.md). */
    public static final String MEZZANINE_SUFFIX = ".mezzanine.mkv";

    /**
     * Megapixels a second x264 encodes 10-bit 4:2:2 High 4:2:2 at CRF 18 on two idle cores, per preset, 10 % under
     * what was measured (docs/benchmarks.md "Video archive", idle run of 2026-12-07: 720p50 at 72.4 / 57.4 / 45.1 fps,
     * 1080p50 at 31.7 / 24.4 / 20.4 fps). x264 scales with threads, so the budget scales with the cores. A preset not
     * measured has no budget: its formats go through the mezzanine.
     */
    private static final Map<String, Double> MEGAPIXELS_PER_SECOND_TWO_CORES =
            Map.of("ultrafast", 60.0, "superfast", 47.6, "veryfast", 37.4);

    /**
     * x264 settings. {@code preset} decides whether the encoder keeps up (docs/archive-recording.md has what keeps
     * up here); {@code gopSeconds} bounds what a crash loses and how far a seek decodes; {@code live} whether the
     * master is encoded live or through a mezzanine.
     */
    public record Settings(String preset, int crf, double gopSeconds, Live live) {
        public static final Settings DEFAULT = new Settings("superfast", 18, 1, Live.AUTO);

        /** The live master always (what the recorder did before it had a mezzanine). */
        public Settings(String preset, int crf, double gopSeconds) {
            this(preset, crf, gopSeconds, Live.MASTER);
        }

        public Settings {
            if (live == null) {
                throw new IllegalArgumentException("live must be AUTO, MASTER or MEZZANINE");
            }
            if (!List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")
                    .contains(preset)) {
                throw new IllegalArgumentException("x264 preset '" + preset + "' unknown");
            }
            if (crf < 0 || crf > 51) {
                throw new IllegalArgumentException("CRF must be 0..51, was " + crf);
            }
            if (!(gopSeconds > 0 && gopSeconds <= 10)) {
                throw new IllegalArgumentException("GOP must be (0, 10] seconds, was " + gopSeconds);
            }
        }

        /** Whether frames of {@code f} are encoded to the master live (else to the mezzanine). */
        public boolean masterLive(VideoFormat f) {
            return switch (live) {
                case MASTER -> true;
                case MEZZANINE -> false;
                case AUTO -> keepsUp(f, preset, Runtime.getRuntime().availableProcessors());
            };
        }
    }

    /**
     * Whether x264 at {@code preset} keeps up with {@code f} on {@code cores} cores, by the measured table above: the
     * format's megapixels a second within the preset's budget. A table, not a trial encode at start: a trial costs
     * seconds of the procedure's first frames and measures the load of that moment, not of the next hour.
     */
    public static boolean keepsUp(VideoFormat f, String preset, int cores) {
        Double budget = MEGAPIXELS_PER_SECOND_TWO_CORES.get(preset);
        if (budget == null) {
            return false;
        }
        double megapixelsPerSecond = (double) f.width()
                * f.height()
                * f.rate().numerator()
                / f.rate().denominator()
                / 1e6;
        return megapixelsPerSecond <= budget * Math.max(1, cores) / 2.0;
    }

    private final Process process;
    private final OutputStream stdin;
    private final byte[] scratch;
    private final Path log;
    private final Path output;
    private long frames;

    private LiveEncoder(Process process, int frameBytes, Path log, Path output) {
        this.process = process;
        this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 20);
        this.scratch = new byte[frameBytes];
        this.log = log;
        this.output = output;
    }

    /**
     * Starts {@code ffmpeg} (from {@link FfmpegProgram#ffmpeg()}, extracted ahead: the first extraction takes
     * seconds, and frames would be lost meanwhile) writing {@code output}; its messages go to {@code output}.log.
     */
    public static LiveEncoder start(FfmpegProgram ffmpeg, VideoFormat format, Settings settings, Path output)
            throws IOException {
        return start(ffmpeg, format, settings, settings.masterLive(format), output);
    }

    /** As {@link #start(FfmpegProgram, VideoFormat, Settings, Path)}, the master or the mezzanine as told. */
    public static LiveEncoder start(
            FfmpegProgram ffmpeg, VideoFormat format, Settings settings, boolean master, Path output)
            throws IOException {
        Path log = output.resolveSibling(output.getFileName() + ".log");
        Process p = ffmpeg.command(arguments(format, settings, master, output))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
        return new LiveEncoder(p, format.frameBytes(), log, output);
    }

    /** The ffmpeg command line (without the program) for frames of {@code f} on stdin, the live master. */
    public static List<String> arguments(VideoFormat f, Settings s, Path output) {
        return arguments(f, s, true, output);
    }

    /**
     * The ffmpeg command line (without the program) for frames of {@code f} on stdin: the master when {@code master},
     * else the mezzanine: FFV1 version 3 (lossless, so the master made from it later is measured against exactly the
     * camera's picture), 16 slices coded in parallel by FFmpeg's frame-slice threads, a CRC per slice, every frame
     * a keyframe, Golomb-Rice coding (the range coder compresses a few % better at twice the CPU).
     */
    public static List<String> arguments(VideoFormat f, Settings s, boolean master, Path output) {
        List<String> a = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        if (f.depth() == 10) {
            a.addAll(List.of("-f", "bitpacked", "-pixel_format", "yuv422p10"));
        } else {
            a.addAll(List.of("-f", "rawvideo", "-pixel_format", "uyvy422"));
        }
        String rate = f.rate().numerator() + "/" + f.rate().denominator();
        int gop = (int) Math.max(
                1, Math.round(s.gopSeconds() * f.rate().numerator() / f.rate().denominator()));
        String color = switch (f.colorimetry()) {
            case BT601 -> "smpte170m";
            case BT709 -> "bt709";
            case BT2020 -> "bt2020nc";
        };
        String primaries = f.colorimetry() == VideoFormat.Colorimetry.BT2020
                ? "bt2020"
                : f.colorimetry() == VideoFormat.Colorimetry.BT601 ? "smpte170m" : "bt709";
        a.addAll(List.of("-video_size", f.width() + "x" + f.height(), "-framerate", rate, "-i", "pipe:0"));
        String pixelFormat = f.depth() == 10 ? "yuv422p10le" : "yuv422p";
        List<String> colour = List.of(
                "-color_primaries",
                primaries,
                "-color_trc",
                primaries.equals("smpte170m") ? "smpte170m" : "bt709",
                "-colorspace",
                color,
                "-color_range",
                "tv");
        if (!master) {
            a.addAll(List.of(
                    "-c:v",
                    "ffv1",
                    "-level",
                    "3",
                    "-slices",
                    "16",
                    "-slicecrc",
                    "1",
                    "-coder",
                    "0",
                    "-context",
                    "0",
                    "-g",
                    "1",
                    "-threads",
                    "0",
                    "-pix_fmt",
                    pixelFormat));
            a.addAll(colour);
            a.addAll(List.of("-f", "matroska", output.toString()));
            return a;
        }
        a.addAll(List.of(
                "-c:v",
                "libx264",
                "-preset",
                s.preset(),
                "-crf",
                Integer.toString(s.crf()),
                "-profile:v",
                "high422",
                "-pix_fmt",
                pixelFormat,
                "-g",
                Integer.toString(gop),
                "-keyint_min",
                Integer.toString(gop),
                "-sc_threshold",
                "0"));
        a.addAll(colour);
        a.addAll(List.of("-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", output.toString()));
        return a;
    }

    /** Writes one frame (pgroups of the format given at start); blocks while ffmpeg is behind. */
    public void write(ByteBuffer frame) throws IOException {
        ByteBuffer b = frame.duplicate();
        if (b.remaining() != scratch.length) {
            throw new IllegalArgumentException("frame of " + b.remaining() + " bytes, expected " + scratch.length);
        }
        b.get(scratch);
        try {
            stdin.write(scratch);
        } catch (IOException e) {
            throw new IOException("ffmpeg stopped taking frames: " + tail(), e);
        }
        frames++;
    }

    public long frames() {
        return frames;
    }

    /** Ends the input and waits for ffmpeg to write the last fragment. @return the finished file */
    public Path finish() throws IOException, InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // ffmpeg died: its exit code and log say why
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("ffmpeg did not finish " + output + " within 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + tail());
        }
        Files.deleteIfExists(log);
        return output;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private String tail() {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 600 ? text.substring(text.length() - 600) : text;
        } catch (IOException e) {
            return "(no ffmpeg log)";
        }
    }
}
