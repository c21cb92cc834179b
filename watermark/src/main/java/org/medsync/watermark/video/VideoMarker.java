package org.medsync.watermark.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.medsync.watermark.mark.Embedder;

/**
 * Decode, mark every frame's luma, encode: two ffmpeg processes joined by raw video pipes through the embedder. The
 * encoder's arguments are the caller's (codec, rate, container or an HLS ladder): the marked frames are its input 0,
 * the source file can be its input 1 (for the audio).
 */
public final class VideoMarker {
    private final FfmpegLauncher ffmpeg;

    public VideoMarker(FfmpegLauncher ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** The decoder's arguments: the source's first video stream as constant-rate yuv420p frames on stdout. */
    public static List<String> decoderArguments(Path source, double fps) {
        return List.of(
                "-i",
                source.toString(),
                "-map",
                "0:v:0",
                "-fps_mode",
                "cfr",
                "-r",
                rate(fps),
                "-pix_fmt",
                "yuv420p",
                "-f",
                "rawvideo",
                "pipe:1");
    }

    /** The encoder's input arguments for frames of this size and rate on stdin (input 0). */
    public static List<String> rawInput(int width, int height, double fps) {
        return List.of(
                "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", width + "x" + height, "-r", rate(fps), "-i", "pipe:0");
    }

    /**
     * Marks {@code source} ({@code width x height} at {@code fps}) into what {@code encoderArguments} write;
     * {@code encoderArguments} follow {@link #rawInput} (so may add {@code -i source} as input 1 and maps).
     */
    public FramePump.Pumped mark(
            Path source, int width, int height, double fps, Embedder embedder, List<String> encoderArguments)
            throws IOException, InterruptedException {
        List<String> enc = new ArrayList<>(rawInput(width, height, fps));
        enc.addAll(encoderArguments);
        Processes.Running encoder = Processes.start(ffmpeg, enc);
        try {
            return pumpFrom(
                    source, width, height, fps, embedder, encoder.process().getOutputStream());
        } finally {
            encoder.finish("the encoding ffmpeg");
        }
    }

    /**
     * Decodes {@code source} and writes its marked frames to {@code sink} (an encoder's stdin, closed at the end).
     * Runs in the calling thread; the caller owns the encoder.
     */
    public FramePump.Pumped pumpFrom(
            Path source, int width, int height, double fps, Embedder embedder, OutputStream sink)
            throws IOException, InterruptedException {
        Processes.Running decoder = Processes.start(ffmpeg, decoderArguments(source, fps));
        decoder.process().getOutputStream().close();
        AtomicReference<FramePump.Pumped> done = new AtomicReference<>();
        try (InputStream frames = decoder.process().getInputStream()) {
            done.set(FramePump.pump(frames, sink, width, height, embedder));
        } catch (IOException e) {
            // A broken pipe to the encoder is explained by the encoder's own log; the decoder's comes first.
            if (decoder.process().isAlive()) {
                decoder.close();
                throw e;
            }
            decoder.finish("the decoding ffmpeg");
            throw e;
        }
        decoder.finish("the decoding ffmpeg");
        return done.get();
    }

    static String rate(double fps) {
        if (!(fps > 0 && fps < 1000)) {
            throw new IllegalArgumentException("frame rate must be 0..1000, got " + fps);
        }
        return String.format(Locale.ROOT, "%.6f", fps);
    }
}
