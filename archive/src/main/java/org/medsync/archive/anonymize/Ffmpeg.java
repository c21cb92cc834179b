package org.medsync.archive.anonymize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medsync.archive.media.FfmpegProgram;

/** Runs the shipped ffmpeg and ffprobe for the anonymize job, and reads what ffprobe says about a video. */
final class Ffmpeg {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEEP_STDERR = 4000;

    /** ffmpeg or ffprobe refused the file: running again would not help. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The first video stream of a file, as ffprobe measured it. */
    record Video(int width, int height, double durationSeconds, long bitrate) {}

    private final FfmpegProgram ffmpeg;
    private final FfmpegProgram ffprobe;

    Ffmpeg() throws IOException {
        this.ffmpeg = FfmpegProgram.ffmpeg();
        this.ffprobe = FfmpegProgram.ffprobe();
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

    /** Width, height, duration and bitrate of the first video stream; refuses output it cannot read. */
    Video probe(Path file) throws IOException, InterruptedException {
        ProcessBuilder pb = ffprobe.command(List.of(
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=width,height:format=duration,bit_rate",
                "-of",
                "json",
                file.toString()));
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readNBytes(1 << 20);
        }
        if (p.waitFor() != 0) {
            throw new Refused("ffprobe could not read " + file.getFileName());
        }
        return parseProbe(new String(out, StandardCharsets.UTF_8));
    }

    /** Reads ffprobe's JSON; anything unexpected is an IOException that says what was missing. */
    static Video parseProbe(String json) throws IOException {
        if (json == null || json.isBlank()) {
            throw new IOException("ffprobe gave no answer");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("ffprobe's answer is not JSON");
        }
        if (root == null
                || !root.path("streams").isArray()
                || root.path("streams").isEmpty()) {
            throw new IOException("ffprobe found no video stream");
        }
        JsonNode s = root.path("streams").get(0);
        int width = s.path("width").asInt(0);
        int height = s.path("height").asInt(0);
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
            throw new IOException("ffprobe gave no usable frame size");
        }
        double duration;
        try {
            duration = Double.parseDouble(root.path("format").path("duration").asText(""));
        } catch (NumberFormatException e) {
            throw new IOException("ffprobe gave no duration");
        }
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new IOException("ffprobe gave no positive duration");
        }
        long bitrate = root.path("format").path("bit_rate").asLong(0);
        return new Video(width, height, duration, Math.max(0, bitrate));
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
