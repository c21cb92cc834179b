package org.medsync.archive.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleConsumer;

/**
 * One run of the shipped ffmpeg. Progress comes from {@code -progress pipe:1} (key=value lines on standard output);
 * the log (standard error) goes to a file, not a pipe, so a chatty filter can never block ffmpeg on a full pipe, and
 * is returned whole because the measuring filters (psnr, ssim, blackdetect) print their results there.
 */
public final class FfmpegRun {
    private FfmpegRun() {}

    /** ffmpeg ran and refused: the input or the arguments are at fault, so running again would not help. */
    public static final class Failed extends IOException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** Runs ffmpeg with {@code arguments} when there is no progress to show; returns its log. */
    public static String run(List<String> arguments) throws IOException, InterruptedException {
        return run(arguments, 0, fraction -> {});
    }

    /**
     * Runs ffmpeg with {@code arguments} and returns its log. {@code progress} gets the fraction (0..1) of
     * {@code durationSeconds} written so far. An interrupt kills ffmpeg (a worker that lost its job stops at once).
     *
     * @throws Failed when ffmpeg exits with an error, with the end of its log
     * @throws IOException when ffmpeg cannot be started or its log read
     */
    public static String run(List<String> arguments, double durationSeconds, DoubleConsumer progress)
            throws IOException, InterruptedException {
        return run(arguments, durationSeconds, progress, null);
    }

    /** What writes ffmpeg's standard input (an input given as {@code -i pipe:0}), and closes it at the end. */
    @FunctionalInterface
    public interface Feeder {
        void feed(OutputStream stdin) throws IOException, InterruptedException;
    }

    /**
     * As {@link #run(List, double, DoubleConsumer)}, with {@code feeder} (null: none) writing ffmpeg's standard input
     * from its own thread. A feeder that fails fails the run even when ffmpeg took the shortened input calmly.
     */
    public static String run(List<String> arguments, double durationSeconds, DoubleConsumer progress, Feeder feeder)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(
                List.of("-hide_banner", "-nostdin", "-nostats", "-y", "-progress", "pipe:1", "-stats_period", "0.5"));
        all.addAll(arguments);
        Path log = Files.createTempFile("ffmpeg-", ".log");
        try {
            Process process = FfmpegProgram.ffmpeg()
                    .command(all)
                    .redirectError(log.toFile())
                    .start();
            Thread reader = Thread.ofPlatform()
                    .daemon()
                    .name("ffmpeg-progress")
                    .start(() -> readProgress(process, durationSeconds, progress));
            AtomicReference<Exception> fed = new AtomicReference<>();
            Thread writer = null;
            if (feeder == null) {
                process.getOutputStream().close();
            } else {
                writer = Thread.ofPlatform().daemon().name("ffmpeg-input").start(() -> {
                    try (OutputStream in = process.getOutputStream()) {
                        feeder.feed(in);
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        fed.set(e);
                    }
                });
            }
            try {
                // waitFor is interruptible (a blocked read is not): an interrupt lands here and the finally kills
                // ffmpeg.
                int exit = process.waitFor();
                reader.join();
                if (writer != null) {
                    writer.join();
                }
                String text = Files.readString(log, StandardCharsets.UTF_8);
                if (fed.get() != null && exit == 0) {
                    throw new IOException("ffmpeg's input failed: " + fed.get().getMessage(), fed.get());
                }
                if (exit != 0) {
                    throw new Failed("ffmpeg failed (exit " + exit + "): " + tail(text, 12));
                }
                return text;
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor();
                }
                if (writer != null) {
                    writer.interrupt();
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void readProgress(Process process, double durationSeconds, DoubleConsumer progress) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                double seconds = outTime(line);
                if (seconds >= 0 && durationSeconds > 0) {
                    progress.accept(Math.min(1, seconds / durationSeconds));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The pipe closes when ffmpeg is killed; progress is only for display, the exit code decides.
        }
    }

    /** Seconds written, from a progress line {@code out_time_us=...}; -1 for any other line or a value of N/A. */
    static double outTime(String line) {
        if (!line.startsWith("out_time_us=")) {
            return -1;
        }
        try {
            long micros = Long.parseLong(line.substring("out_time_us=".length()).trim());
            return micros < 0 ? -1 : micros / 1e6;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The last {@code lines} lines of a log, for an error message. */
    static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join(" | ", Arrays.asList(all).subList(from, all.length));
    }
}
