package org.medsync.watermark.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medsync.watermark.mark.Accumulator;
import org.medsync.watermark.mark.Detection;
import org.medsync.watermark.mark.Layout;

/**
 * Reads the mark from any video file, any resolution: ffmpeg decodes it to grey frames of one analysis size at a
 * fixed rate (the grid is in fractions of the frame, so scaling to the analysis size keeps it), the detector sums
 * the frames of every segment, and decides per segment and for the whole file.
 */
public final class VideoReader {
    /** Analysis settings: frames are scaled (area average) to width x height and sampled at fps. */
    public record Settings(int width, int height, double fps, double segmentSeconds) {
        public Settings {
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("analysis size must be even and at least 16x16");
            }
            if (!(fps > 0) || !(segmentSeconds > 0)) {
                throw new IllegalArgumentException("fps and segment length must be positive");
            }
        }

        /** 960x540 at 25 frames a second, 10 s segments. */
        public static Settings defaults() {
            return new Settings(960, 540, 25, 10);
        }
    }

    /** One segment's verdict, with its evidence (for a benchmark that knows the truth). */
    public record Segment(double startSeconds, Detection detection, Accumulator evidence) {}

    /** Every segment and the whole file. */
    public record Report(List<Segment> segments, Detection whole, Accumulator wholeEvidence) {
        public long segmentsFound() {
            return segments.stream().filter(s -> s.detection().found()).count();
        }
    }

    private final FfmpegLauncher ffmpeg;
    private final Settings settings;

    public VideoReader(FfmpegLauncher ffmpeg, Settings settings) {
        this.ffmpeg = ffmpeg;
        this.settings = settings;
    }

    public Report read(Path file, Layout layout) throws IOException, InterruptedException {
        String filter = String.format(
                "fps=%s,scale=%d:%d:flags=area,format=gray",
                VideoMarker.rate(settings.fps()), settings.width(), settings.height());
        Processes.Running decoder = Processes.start(
                ffmpeg, List.of("-i", file.toString(), "-map", "0:v:0", "-vf", filter, "-f", "rawvideo", "pipe:1"));
        decoder.process().getOutputStream().close();
        int frameBytes = settings.width() * settings.height();
        long perSegment = Math.max(1, Math.round(settings.fps() * settings.segmentSeconds()));
        List<Accumulator> segments = new ArrayList<>();
        try (InputStream in = decoder.process().getInputStream()) {
            byte[] frame = new byte[frameBytes];
            long index = 0;
            while (in.readNBytes(frame, 0, frameBytes) == frameBytes) {
                int s = (int) (index / perSegment);
                if (s == segments.size()) {
                    segments.add(new Accumulator(layout));
                }
                segments.get(s).add(frame, 0, settings.width(), settings.height());
                index++;
            }
        } catch (IOException e) {
            decoder.close();
            throw e;
        }
        decoder.finish("decoding " + file.getFileName());
        Accumulator whole = new Accumulator(layout);
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            whole.addAll(segments.get(i));
            out.add(new Segment(i * settings.segmentSeconds(), Detection.decide(segments.get(i)), segments.get(i)));
        }
        return new Report(out, Detection.decide(whole), whole);
    }
}
