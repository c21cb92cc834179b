package org.medsync.archive.pacs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.MediaFormatException;
import org.medsync.archive.media.Probe;
import org.medsync.dicom.video.VideoCodec;
import org.medsync.dicom.video.VideoContainer;
import org.medsync.dicom.video.VideoRejectedException;
import org.medsync.dicom.video.VideoStream;
import org.medsync.dicom.video.VideoTransferSyntax;

/**
 * Makes the MP4 a DICOM video instance carries: a recording's existing H.264 copied untouched into a plain MP4 when
 * a DICOM transfer syntax fits it (no generation loss, no encoding time), else the source re-encoded once to H.264
 * High at 1080p or less. Always through the shipped FFmpeg ({@link FfmpegRun}). Container metadata (titles,
 * comments a recorder may have written, possibly with patient data) is dropped: the DICOM header says who it is.
 */
final class VideoForPacs {
    /** Frames per second above which a re-encode is slowed to 60 (level 4.2's 1080p limit). */
    private static final int MAX_FPS = 60;

    /** Planar YUV and its semi-planar forms (NV12, P010): what a DICOM video stream may hold. */
    private static final Pattern YUV = Pattern.compile("yuvj?4[24][024]p\\d{0,2}(le|be)?|nv12|p010(le|be)");

    /** The MP4 to encapsulate, what it is, and its transfer syntax. {@code origin} says where it came from. */
    record Prepared(Path mp4, VideoStream stream, VideoTransferSyntax transferSyntax, String origin) {}

    /** A file that may already hold a fitting stream, named for the job's message ("hls-1080", "source"). */
    record Candidate(String name, Path file) {}

    /**
     * Tries the candidates in order (the first whose stream fits a transfer syntax is copied), else re-encodes the
     * last one. {@code why} collects, per candidate, why it did not fit.
     */
    Prepared prepare(List<Candidate> candidates, Path workDir, List<String> why)
            throws IOException, InterruptedException, VideoRejectedException {
        for (Candidate c : candidates) {
            VideoStream s;
            try {
                s = probe(c.file(), VideoContainer.MP4);
                VideoTransferSyntax.choose(s);
            } catch (IllegalArgumentException | VideoRejectedException e) {
                why.add(c.name() + ": " + e.getMessage());
                continue;
            }
            Path out = workDir.resolve("video-" + c.name() + ".mp4");
            List<String> args = new ArrayList<>(List.of("-i", c.file().toString()));
            args.addAll(List.of("-map", "0:v:0", "-c:v", "copy", "-an", "-sn", "-dn", "-map_metadata", "-1"));
            if (s.codec() == VideoCodec.HEVC) {
                args.addAll(List.of("-tag:v", "hvc1"));
            }
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", out.toString()));
            FfmpegRun.run(args);
            VideoStream copied = probe(out, VideoContainer.MP4);
            return new Prepared(out, copied, VideoTransferSyntax.choose(copied), c.name() + " copied");
        }
        Candidate source = candidates.getLast();
        VideoStream s;
        try {
            s = probe(source.file(), VideoContainer.MP4);
        } catch (IllegalArgumentException e) {
            throw new VideoRejectedException("the recording's video cannot be read: " + e.getMessage());
        }
        Path out = workDir.resolve("video-reencoded.mp4");
        // Square pixels at the source's display aspect, at most 1080 lines, even sizes (4:2:0), at most 60 fps.
        String filter = "scale=trunc(min(1080\\,ih)*dar/2)*2:trunc(min(1080\\,ih)/2)*2,setsar=1";
        if (s.framesPerSecond() > MAX_FPS) {
            filter += ",fps=" + MAX_FPS;
        }
        FfmpegRun.run(List.of(
                "-i",
                source.file().toString(),
                "-map",
                "0:v:0",
                "-vf",
                filter,
                "-c:v",
                "libx264",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                "-an",
                "-sn",
                "-dn",
                "-map_metadata",
                "-1",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                out.toString()));
        VideoStream encoded = probe(out, VideoContainer.MP4);
        return new Prepared(out, encoded, VideoTransferSyntax.choose(encoded), "re-encoded from " + source.name());
    }

    /**
     * What the DICOM video rules need of a file's first video stream; anything they cannot take (another codec, no
     * profile, no frame count, not YUV) is an {@link IllegalArgumentException} that says what.
     */
    VideoStream probe(Path file, VideoContainer container) throws IOException, InterruptedException {
        Probe probe;
        try {
            probe = Probe.counted(file);
        } catch (MediaFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return stream(probe.video(), container);
    }

    static VideoStream stream(Probe.Video v, VideoContainer container) {
        VideoCodec codec = switch (v.codec()) {
            case "h264" -> VideoCodec.H264;
            case "hevc" -> VideoCodec.HEVC;
            default ->
                throw new IllegalArgumentException("the video is " + v.codec() + "; DICOM video here is H.264 or HEVC");
        };
        if (v.profile() == null || v.profile().isBlank()) {
            throw new IllegalArgumentException("ffprobe gave no profile for the video");
        }
        if (v.frames() <= 0) {
            throw new IllegalArgumentException("ffprobe gave no frame count for the video");
        }
        if (!YUV.matcher(v.pixelFormat()).matches()) {
            throw new IllegalArgumentException("pixel format " + v.pixelFormat() + " is not YUV");
        }
        return new VideoStream(
                container,
                codec,
                v.profile(),
                v.level(),
                v.width(),
                v.height(),
                v.fpsNumerator(),
                v.fpsDenominator(),
                v.frames(),
                v.bitDepth(),
                v.chroma(),
                v.sampleAspectNumerator(),
                v.sampleAspectDenominator(),
                v.interlaced());
    }
}
