package org.medsync.archive.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a media file holds, as ffprobe reports it ({@code -print_format json -show_format -show_streams}): the
 * container, the duration and the first video stream. The JSON comes from outside bytes (an uploaded file steers what
 * ffprobe prints), so {@link #parse} checks every field it uses and refuses anything else with a
 * {@link MediaFormatException} naming the field.
 *
 * @param container ffprobe's format_name ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mxf", ...)
 * @param audioCodec the first audio stream's codec, or null when there is none
 */
public record Probe(String container, double durationSeconds, Video video, String audioCodec) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLANAR_YUV = Pattern.compile("yuvj?(420|422|444|440|411|410)p(\\d{1,2})?(le|be)?");
    private static final Pattern GRAY = Pattern.compile("gray(\\d{1,2})?(le|be)?");
    private static final Pattern RGB =
            Pattern.compile("(gbrp|gbrap)(\\d{1,2})?(le|be)?|rgb24|bgr24|rgba|bgra|argb|abgr|rgb0|bgr0|0rgb|0bgr");
    private static final Pattern FRACTION = Pattern.compile("(\\d{1,9})/(\\d{1,9})");
    private static final Pattern ASPECT = Pattern.compile("(\\d{1,5}):(\\d{1,5})");
    private static final Set<String> INTERLACED = Set.of("tt", "bb", "tb", "bt");
    private static final int MAX_SIDE = 16384;

    /**
     * The video stream.
     *
     * @param bitDepth bits per sample (8, 10, 12)
     * @param chroma "4:2:0", "4:2:2", "4:4:4", "4:0:0" (monochrome), "4:1:1", "4:4:0", "4:1:0"
     * @param bitrate bits per second, 0 when ffprobe does not know
     * @param level the codec level as ffprobe gives it (H.264: 42 for 4.2), -99 when it does not know
     * @param fpsNumerator the frame rate as the fraction ffprobe gives ({@code fps} is its value)
     * @param frames the number of frames (nb_frames, else nb_read_packets from {@link #counted}), 0 when unknown
     * @param sampleAspectNumerator the sample aspect ratio, 1:1 when ffprobe does not know it
     */
    public record Video(
            String codec,
            String profile,
            String pixelFormat,
            int bitDepth,
            String chroma,
            int width,
            int height,
            double fps,
            long bitrate,
            int level,
            long fpsNumerator,
            long fpsDenominator,
            long frames,
            int sampleAspectNumerator,
            int sampleAspectDenominator,
            boolean interlaced) {}

    /** Runs the shipped ffprobe on a file; it reads headers only. */
    public static Probe of(Path file) throws IOException, InterruptedException {
        return run(List.of("-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.toString()));
    }

    /**
     * Like {@link #of}, and counts the packets of every stream, so {@link Video#frames} is known even when the
     * container does not say: reads the whole file, for an exact frame count (DICOM's NumberOfFrames).
     */
    public static Probe counted(Path file) throws IOException, InterruptedException {
        return run(List.of(
                "-v",
                "error",
                "-count_packets",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                file.toString()));
    }

    private static Probe run(List<String> arguments) throws IOException, InterruptedException {
        Process p = FfmpegProgram.ffprobe()
                .command(arguments)
                .redirectErrorStream(false)
                .start();
        try {
            // A probe reads headers only; its JSON is small, so reading stdout to the end cannot dead-lock on stderr.
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("ffprobe did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new MediaFormatException("not a media file FFmpeg can read: "
                        + (err.isEmpty() ? "ffprobe exit " + p.exitValue() : FfmpegRun.tail(err, 3)));
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Reads ffprobe's JSON. */
    public static Probe parse(String json) throws MediaFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MediaFormatException("ffprobe's output is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MediaFormatException("ffprobe's output is not a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isObject()) {
            throw new MediaFormatException("ffprobe's output has no format object");
        }
        String container = text(format, "format_name", "format");
        JsonNode streams = root.get("streams");
        if (streams == null || !streams.isArray()) {
            throw new MediaFormatException("ffprobe's output has no streams array");
        }
        JsonNode videoStream = null;
        String audioCodec = null;
        for (JsonNode s : streams) {
            if (!s.isObject()) {
                throw new MediaFormatException("a stream in ffprobe's output is not an object");
            }
            JsonNode type = s.get("codec_type");
            boolean picture = s.path("disposition").path("attached_pic").asInt(0) == 1;
            if (type != null && "video".equals(type.asText()) && !picture && videoStream == null) {
                videoStream = s;
            } else if (type != null && "audio".equals(type.asText()) && audioCodec == null) {
                audioCodec = text(s, "codec_name", "audio stream");
            }
        }
        if (videoStream == null) {
            throw new MediaFormatException("the file has no video stream");
        }
        Video video = video(videoStream);
        double duration = optionalNumber(format, "duration", "format");
        if (!(duration > 0)) {
            duration = optionalNumber(videoStream, "duration", "video stream");
        }
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new MediaFormatException("the file does not say how long it is (no duration in format or stream)");
        }
        return new Probe(container, duration, video, audioCodec);
    }

    private static Video video(JsonNode s) throws MediaFormatException {
        String codec = text(s, "codec_name", "video stream");
        String profile = s.hasNonNull("profile") ? s.get("profile").asText() : null;
        String pixelFormat = text(s, "pix_fmt", "video stream");
        int width = integer(s, "width");
        int height = integer(s, "height");
        long[] rate = frameRate(s);
        double fps = (double) rate[0] / rate[1];
        Layout layout = layout(pixelFormat);
        if (layout == null || layout.depth < 8 || layout.depth > 16) {
            throw new MediaFormatException("the video stream's pixel format '" + clip(pixelFormat)
                    + "' is not one the archive knows (planar YUV, NV12/P010-style, packed 4:2:2, gray or RGB)");
        }
        double bitrate = optionalNumber(s, "bit_rate", "video stream");
        int[] sar = sampleAspect(s);
        return new Video(
                codec,
                profile,
                pixelFormat,
                layout.depth,
                layout.chroma,
                width,
                height,
                fps,
                bitrate > 0 && bitrate < Long.MAX_VALUE ? (long) bitrate : 0,
                s.path("level").isIntegralNumber() && s.path("level").canConvertToInt()
                        ? s.path("level").asInt()
                        : -99,
                rate[0],
                rate[1],
                frames(s),
                sar[0],
                sar[1],
                INTERLACED.contains(s.path("field_order").asText("").toLowerCase(Locale.ROOT)));
    }

    /** nb_frames when the container says, else nb_read_packets (with -count_packets); 0 when neither. */
    private static long frames(JsonNode s) throws MediaFormatException {
        for (String key : List.of("nb_frames", "nb_read_packets")) {
            JsonNode n = s.get(key);
            if (n == null || n.isNull() || "N/A".equals(n.asText())) {
                continue;
            }
            String v = n.asText();
            if (!v.matches("\\d{1,12}")) {
                throw new MediaFormatException("the video stream's " + key + " '" + clip(v) + "' is not a count");
            }
            long count = Long.parseLong(v);
            if (count > 0) {
                return count;
            }
        }
        return 0;
    }

    /** The sample aspect ratio; 1:1 when ffprobe does not know it (absent, "N/A" or "0:1"). */
    private static int[] sampleAspect(JsonNode s) throws MediaFormatException {
        JsonNode n = s.get("sample_aspect_ratio");
        String v = n == null || n.isNull() ? "" : n.asText();
        if (v.isEmpty() || v.equals("N/A") || v.startsWith("0:")) {
            return new int[] {1, 1};
        }
        Matcher m = ASPECT.matcher(v);
        if (!m.matches() || Integer.parseInt(m.group(2)) == 0) {
            throw new MediaFormatException(
                    "the video stream's sample_aspect_ratio '" + clip(v) + "' is not a ratio n:d");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    record Layout(String chroma, int depth) {}

    /** Chroma subsampling and bit depth of an FFmpeg pixel format name; null for one we do not know. */
    static Layout layout(String pixelFormat) {
        String f = pixelFormat.toLowerCase(Locale.ROOT);
        Matcher m = PLANAR_YUV.matcher(f);
        if (m.matches()) {
            String c = m.group(1);
            return new Layout(c.charAt(0) + ":" + c.charAt(1) + ":" + c.charAt(2), depth(m.group(2)));
        }
        m = GRAY.matcher(f);
        if (m.matches()) {
            return new Layout("4:0:0", depth(m.group(1)));
        }
        m = RGB.matcher(f);
        if (m.matches()) {
            return new Layout("4:4:4", depth(m.group(2)));
        }
        return switch (f) {
            case "nv12", "nv21" -> new Layout("4:2:0", 8);
            case "p010le", "p010be" -> new Layout("4:2:0", 10);
            case "p012le", "p012be" -> new Layout("4:2:0", 12);
            case "nv16", "uyvy422", "yuyv422", "yvyu422" -> new Layout("4:2:2", 8);
            case "nv20le", "nv20be", "p210le", "p210be", "y210le", "y210be", "v210" -> new Layout("4:2:2", 10);
            case "p212le", "p212be", "y212le", "y212be" -> new Layout("4:2:2", 12);
            case "nv24", "nv42" -> new Layout("4:4:4", 8);
            case "p410le", "p410be", "xv30le", "v30xle" -> new Layout("4:4:4", 10);
            default -> null;
        };
    }

    private static int depth(String digits) {
        return digits == null ? 8 : Integer.parseInt(digits);
    }

    /** The frame rate as ffprobe's fraction {numerator, denominator}, both positive. */
    private static long[] frameRate(JsonNode s) throws MediaFormatException {
        for (String key : List.of("avg_frame_rate", "r_frame_rate")) {
            JsonNode n = s.get(key);
            if (n == null || !n.isTextual()) {
                continue;
            }
            Matcher m = FRACTION.matcher(n.asText());
            if (!m.matches()) {
                throw new MediaFormatException(
                        "the video stream's " + key + " '" + clip(n.asText()) + "' is not a fraction n/d");
            }
            long num = Long.parseLong(m.group(1));
            long den = Long.parseLong(m.group(2));
            if (num > 0 && den > 0) {
                double fps = (double) num / den;
                if (fps > 1000) {
                    throw new MediaFormatException("the video stream's frame rate " + fps + " is not plausible");
                }
                return new long[] {num, den};
            }
        }
        throw new MediaFormatException("the video stream has no frame rate (avg_frame_rate, r_frame_rate)");
    }

    private static String text(JsonNode o, String key, String where) throws MediaFormatException {
        JsonNode n = o.get(key);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new MediaFormatException("the " + where + " in ffprobe's output has no " + key);
        }
        return n.asText();
    }

    private static int integer(JsonNode s, String key) throws MediaFormatException {
        JsonNode n = s.get(key);
        if (n == null || !n.isIntegralNumber()) {
            throw new MediaFormatException("the video stream in ffprobe's output has no " + key);
        }
        long v = n.asLong();
        if (v <= 0 || v > MAX_SIDE || !n.canConvertToInt()) {
            throw new MediaFormatException(
                    "the video stream's " + key + " " + clip(n.asText()) + " is outside 1.." + MAX_SIDE);
        }
        return (int) v;
    }

    /** A number ffprobe prints as a string ("12.040000"); NaN when absent or "N/A". */
    private static double optionalNumber(JsonNode o, String key, String where) throws MediaFormatException {
        JsonNode n = o.get(key);
        if (n == null || n.isNull() || "N/A".equals(n.asText())) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (!n.isTextual()) {
            throw new MediaFormatException("the " + where + "'s " + key + " in ffprobe's output is not a number");
        }
        try {
            double v = Double.parseDouble(n.asText());
            if (Double.isNaN(v)) {
                throw new MediaFormatException("the " + where + "'s " + key + " is NaN");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MediaFormatException(
                    "the " + where + "'s " + key + " '" + clip(n.asText()) + "' in ffprobe's output is not a number");
        }
    }

    /** A value from the file quoted in a message: short, and printable. */
    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    /** Whether the container is one a master may stay in untouched (MP4, MOV or Matroska). */
    public boolean archivalContainer() {
        return container.contains("mp4") || container.contains("mov") || container.startsWith("matroska");
    }

    /** The file extension of the container: mp4 (also for MOV's family name), mkv, or "bin" for anything else. */
    public String extension(String sourceName) {
        if (container.startsWith("matroska")) {
            return "mkv";
        }
        if (container.contains("mov")) {
            return sourceName != null && sourceName.toLowerCase(Locale.ROOT).endsWith(".mov") ? "mov" : "mp4";
        }
        return "bin";
    }
}
