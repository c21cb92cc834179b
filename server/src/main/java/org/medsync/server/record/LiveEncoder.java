package org.medsync.server.record;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.st2110.video.VideoFormat;

/**
 * An ffmpeg process encoding the archival master as frames arrive on its standard input: H.264 High 4:2:2 at the
 * source's depth (10-bit stays 10-bit, 4:2:2 stays 4:2:2), CRF, short GOP, into fragmented MP4. The receiver's
 * frames are RFC 4175 pgroups (Cb Y0 Cr Y1, big-endian): 8-bit ones are exactly FFmpeg's {@code uyvy422}, and
 * 10-bit ones are what FFmpeg's {@code bitpacked} demuxer and decoder read (the layout of its own RFC 4175 RTP
 * depacketizer), so the frames go to the pipe untouched and FFmpeg's C code unpacks them: no per-sample work in
 * Java. Fragments (one per keyframe) keep everything up to the last GOP playable if the recorder dies mid-procedure.
 */
public final class LiveEncoder implements AutoCloseable {

    /**
     * x264 settings. {@code preset} decides whether the encoder keeps up (docs/archive-recording.md has what keeps
     * up here); {@code gopSeconds} bounds what a crash loses and how far a seek decodes.
     */
    public record Settings(String preset, int crf, double gopSeconds) {
        public static final Settings DEFAULT = new Settings("superfast", 18, 1);

        public Settings {
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
        Path log = output.resolveSibling(output.getFileName() + ".log");
        Process p = ffmpeg.command(arguments(format, settings, output))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
        return new LiveEncoder(p, format.frameBytes(), log, output);
    }

    /** The ffmpeg command line (without the program) for frames of {@code f} on stdin. */
    public static List<String> arguments(VideoFormat f, Settings s, Path output) {
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
                f.depth() == 10 ? "yuv422p10le" : "yuv422p",
                "-g",
                Integer.toString(gop),
                "-keyint_min",
                Integer.toString(gop),
                "-sc_threshold",
                "0",
                "-color_primaries",
                primaries,
                "-color_trc",
                primaries.equals("smpte170m") ? "smpte170m" : "bt709",
                "-colorspace",
                color,
                "-color_range",
                "tv",
                "-movflags",
                "+frag_keyframe+empty_moov+default_base_moof",
                "-f",
                "mp4",
                output.toString()));
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
