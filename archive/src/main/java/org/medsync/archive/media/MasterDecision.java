package org.medsync.archive.media;

import java.util.List;
import java.util.Set;

/**
 * How the archival master of a source is made (docs/archive.md "Encoding"): the uploaded stream kept untouched, or a
 * re-encode that keeps the source's bit depth and chroma subsampling. A diagnostic master must not lose what the
 * camera delivered: a 10-bit 4:2:2 endoscope signal stays 10-bit 4:2:2 (H.264 High 4:2:2 10,
 * or HEVC Main 4:2:2 10); an 8-bit 4:2:0 source is not inflated to 4:2:2, which would only add bytes.
 *
 * @param copy keep the source file as the master (same bytes, same SHA-256)
 * @param codec "h264" or "hevc" (the source's codec when copied)
 * @param pixelFormat the master's FFmpeg pixel format
 * @param fileName the master's file name (master.mp4, or the source's own container when copied)
 * @param reason why, in a sentence for the job log and the documentation
 */
public record MasterDecision(boolean copy, String codec, String pixelFormat, String fileName, String reason) {
    /** The hospital's choice, by the codes of archive_hospital.master_policy. */
    public enum Policy {
        KEEP,
        H264_422,
        HEVC_422
    }

    private static final Set<String> ARCHIVAL_CODECS = Set.of("h264", "hevc");

    public static MasterDecision decide(Probe probe, Policy policy, String sourceName) {
        Probe.Video v = probe.video();
        boolean acceptable = ARCHIVAL_CODECS.contains(v.codec()) && probe.archivalContainer();
        if (policy == Policy.KEEP && acceptable) {
            return new MasterDecision(
                    true,
                    v.codec(),
                    v.pixelFormat(),
                    "master." + probe.extension(sourceName),
                    "kept untouched: " + v.codec() + " in " + probe.container() + " is an archival format, and a"
                            + " re-encode could only lose detail");
        }
        String codec = policy == Policy.HEVC_422 ? "hevc" : "h264";
        String pixelFormat = pixelFormat(v, codec);
        String why = policy == Policy.KEEP
                ? v.codec() + " in " + probe.container() + " is not kept as it is (the archive keeps H.264 or HEVC in"
                        + " MP4, MOV or Matroska)"
                : "the hospital's policy is " + (codec.equals("hevc") ? "HEVC" : "H.264") + " masters";
        return new MasterDecision(
                false,
                codec,
                pixelFormat,
                "master.mp4",
                "re-encoded to " + codec + " " + pixelFormat + ": " + why + "; depth " + v.bitDepth() + " and chroma "
                        + v.chroma() + " kept");
    }

    /**
     * The master's pixel format: the source's chroma, at 8 bits for 8-bit sources and 10 for deeper ones (x264 and
     * this x265 build stop at 10 bits for 4:2:2). Monochrome and the rare 4:1:1 / 4:4:0 layouts go to 4:2:2 and
     * 4:4:4 respectively, which holds them without loss; RGB goes to 4:4:4.
     */
    static String pixelFormat(Probe.Video v, String codec) {
        String chroma = switch (v.chroma()) {
            case "4:2:0" -> "420";
            case "4:4:4", "4:4:0" -> "444";
            default -> "422";
        };
        boolean deep = v.bitDepth() > 8;
        if (codec.equals("hevc") && chroma.equals("422") && !deep) {
            // HEVC has no 8-bit 4:2:2 profile: Main 4:2:2 10 carries 8-bit content exactly.
            deep = true;
        }
        return "yuv" + chroma + "p" + (deep ? "10le" : "");
    }

    /** ffmpeg's output options for the master's video (after the input and -map). */
    public List<String> videoOptions(int crf, String preset) {
        if (copy) {
            return List.of("-c:v", "copy");
        }
        if (codec.equals("hevc")) {
            return List.of(
                    "-c:v",
                    "libx265",
                    "-preset",
                    preset,
                    "-crf",
                    Integer.toString(crf),
                    "-pix_fmt",
                    pixelFormat,
                    "-tag:v",
                    "hvc1",
                    "-x265-params",
                    "log-level=error");
        }
        return List.of("-c:v", "libx264", "-preset", preset, "-crf", Integer.toString(crf), "-pix_fmt", pixelFormat);
    }
}
