package org.medsync.archive.pacs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medsync.dicom.video.VideoCodec;
import org.medsync.dicom.video.VideoContainer;
import org.medsync.dicom.video.VideoStream;

/**
 * Reads the first video stream of ffprobe's JSON ({@code -show_streams -of json}) into what the DICOM video rules
 * need. ffprobe describes files that came from outside (uploads), so anything missing or odd is refused with an
 * {@link IllegalArgumentException} that says what, never a crash or a guess.
 */
final class ProbeJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RATIO = Pattern.compile("(\\d{1,9})[/:](\\d{1,9})");
    /** yuv420p, yuvj420p, yuv420p10le, yuv422p10le, nv12, p010le ... -> chroma and depth. */
    private static final Pattern YUV = Pattern.compile("yuvj?(4[24][024])p(\\d{1,2})?(le|be)?");

    private ProbeJson() {}

    static VideoStream parse(String json, VideoContainer container) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ffprobe's answer is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("streams").isArray()) {
            throw new IllegalArgumentException("ffprobe's answer has no \"streams\" list");
        }
        JsonNode video = null;
        for (JsonNode s : root.path("streams")) {
            if (s.path("codec_type").asText("").equals("video")) {
                video = s;
                break;
            }
        }
        if (video == null) {
            throw new IllegalArgumentException("the file has no video stream");
        }
        String codecName = text(video, "codec_name");
        VideoCodec codec = switch (codecName) {
            case "h264" -> VideoCodec.H264;
            case "hevc" -> VideoCodec.HEVC;
            default ->
                throw new IllegalArgumentException("the video is " + codecName + "; DICOM video here is H.264 or HEVC");
        };
        String profile = text(video, "profile");
        int level = integer(video, "level", -99, 1000);
        int width = integer(video, "width", 1, 65535);
        int height = integer(video, "height", 1, 65535);
        long[] rate = ratio(video, "avg_frame_rate");
        if (rate[0] == 0) {
            rate = ratio(video, "r_frame_rate");
        }
        if (rate[0] == 0 || rate[1] == 0) {
            throw new IllegalArgumentException("the video has no frame rate");
        }
        long frames = video.has("nb_frames")
                ? integer(video, "nb_frames", 1, Integer.MAX_VALUE)
                : integer(video, "nb_read_packets", 1, Integer.MAX_VALUE);
        String pixFmt = text(video, "pix_fmt");
        String chroma;
        int depth;
        if (pixFmt.equals("nv12")) {
            chroma = "4:2:0";
            depth = 8;
        } else if (pixFmt.equals("p010le") || pixFmt.equals("p010be")) {
            chroma = "4:2:0";
            depth = 10;
        } else {
            Matcher m = YUV.matcher(pixFmt);
            if (!m.matches()) {
                throw new IllegalArgumentException("pixel format " + pixFmt + " is not YUV");
            }
            String c = m.group(1);
            chroma = c.charAt(0) + ":" + c.charAt(1) + ":" + c.charAt(2);
            depth = m.group(2) == null ? 8 : Integer.parseInt(m.group(2));
        }
        long[] sar = {1, 1};
        String sarText = video.path("sample_aspect_ratio").asText("");
        if (!sarText.isEmpty() && !sarText.startsWith("0:")) {
            sar = ratio(video, "sample_aspect_ratio");
            if (sar[0] == 0 || sar[1] == 0) {
                throw new IllegalArgumentException("sample aspect ratio " + sarText + " is not a ratio");
            }
        }
        String fieldOrder = video.path("field_order").asText("progressive").toLowerCase(Locale.ROOT);
        boolean interlaced = fieldOrder.equals("tt")
                || fieldOrder.equals("bb")
                || fieldOrder.equals("tb")
                || fieldOrder.equals("bt");
        return new VideoStream(
                container,
                codec,
                profile,
                level,
                width,
                height,
                rate[0],
                rate[1],
                frames,
                depth,
                chroma,
                (int) sar[0],
                (int) sar[1],
                interlaced);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > 64) {
            throw new IllegalArgumentException("ffprobe gave no " + field + " for the video");
        }
        return v.asText();
    }

    /** ffprobe writes some numbers as JSON numbers and some (nb_frames) as strings. */
    private static int integer(JsonNode n, String field, int min, int max) {
        JsonNode v = n.get(field);
        long value;
        if (v != null && v.canConvertToLong() && v.isIntegralNumber()) {
            value = v.asLong();
        } else if (v != null && v.isTextual() && v.asText().matches("-?\\d{1,10}")) {
            value = Long.parseLong(v.asText());
        } else {
            throw new IllegalArgumentException("ffprobe gave no whole number " + field + " for the video");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is outside " + min + ".." + max);
        }
        return (int) value;
    }

    private static long[] ratio(JsonNode n, String field) {
        String v = n.path(field).asText("");
        Matcher m = RATIO.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("ffprobe gave no ratio " + field + " for the video: \"" + v + "\"");
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
