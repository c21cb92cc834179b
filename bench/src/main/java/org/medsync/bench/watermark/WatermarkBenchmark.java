package org.medsync.bench.watermark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.Ladder;
import org.medsync.archive.media.Probe;
import org.medsync.bench.archive.SyntheticSurgery;
import org.medsync.bench.plot.Plot;
import org.medsync.watermark.mark.Detection;
import org.medsync.watermark.mark.Embedder;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;
import org.medsync.watermark.video.FramePump;
import org.medsync.watermark.video.VideoMarker;
import org.medsync.watermark.video.VideoReader;

/**
 * scripts/bench watermark [--seconds 30 --fps 25 --psnr 46 --reuse]: a 1080p synthetic surgery clip, marked (its PSNR cost
 * measured by ffmpeg's psnr filter against the unmarked clip), then attacked with the FFmpeg command line (x264 at
 * 6 and 2 Mbit/s at 1080p, a 720p downscale at 3 Mbit/s, the archive's own HLS ladder) and read back per 10 s
 * segment and whole: recovery, raw bit error rate before correction, detection score. Results in
 * bench/results/watermark (summary.txt, watermark.csv, watermark.png); docs/benchmarks.md "Watermark (issue 14)".
 * --reuse keeps the clip, the marked clip and the attacks of an earlier run in bench/results/watermark/work.
 */
public final class WatermarkBenchmark {
    private static final Pattern PSNR_Y = Pattern.compile("PSNR y:([0-9.]+|inf)");

    private WatermarkBenchmark() {}

    public static List<String> run(Path results, List<String> args) throws Exception {
        int seconds = intOption(args, "--seconds", 30);
        int fps = intOption(args, "--fps", 25);
        double psnrTarget = Double.parseDouble(option(args, "--psnr", "46"));
        Path out = Files.createDirectories(results.resolve("watermark"));
        Path work = Files.createDirectories(out.resolve("work"));
        FfmpegProgram ffmpeg = FfmpegProgram.ffmpeg();
        List<String> summary = new ArrayList<>();
        summary.add(String.format(
                Locale.ROOT,
                "Watermark: 1080p synthetic surgery, %d s at %d fps, target PSNR %.1f dB",
                seconds,
                fps,
                psnrTarget));

        boolean reuse = args.contains("--reuse");
        Path source = work.resolve("source.mkv");
        long t0 = System.nanoTime();
        if (!reuse || !Files.exists(source))
            FfmpegRun.run(
                    List.of(
                            "-f",
                            "lavfi",
                            "-i",
                            SyntheticSurgery.graph(1920, 1080, fps, "yuv420p"),
                            "-t",
                            Integer.toString(seconds),
                            "-c:v",
                            "libx264",
                            "-qp",
                            "0",
                            "-preset",
                            "ultrafast",
                            source.toString()),
                    seconds,
                    f -> {});
        summary.add(String.format(Locale.ROOT, "source made in %.0f s", (System.nanoTime() - t0) / 1e9));

        WatermarkKey key = WatermarkKey.of(new byte[] {
            1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0
        });
        Layout layout = Layout.of(key);
        Payload payload = Payload.export("hospital-bench", "recording-bench", "export-1", "recipient-1");
        Path marked = work.resolve("marked.mkv");
        t0 = System.nanoTime();
        FramePump.Pumped pumped = reuse && Files.exists(marked)
                ? null
                : new VideoMarker(ffmpeg::command)
                        .mark(
                                source,
                                1920,
                                1080,
                                fps,
                                new Embedder(layout, payload, psnrTarget),
                                List.of("-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", marked.toString()));
        double markSeconds = (System.nanoTime() - t0) / 1e9;
        String psnrLog = FfmpegRun.run(
                List.of(
                        "-i",
                        marked.toString(),
                        "-i",
                        source.toString(),
                        "-lavfi",
                        "[0:v][1:v]psnr",
                        "-f",
                        "null",
                        "-"),
                seconds,
                f -> {});
        Matcher m = PSNR_Y.matcher(psnrLog);
        String ffmpegPsnr = m.find() ? m.group(1) : "?";
        if (pumped != null) {
            summary.add(String.format(
                    Locale.ROOT,
                    "embedding: %d frames in %.0f s (%.1f frames/s, decode + mark + lossless encode); PSNR of luma:"
                            + " %.2f dB by the embedder",
                    pumped.frames(),
                    markSeconds,
                    pumped.frames() / markSeconds,
                    pumped.psnr()));
        }
        summary.add("embedding PSNR by ffmpeg's psnr filter (luma, marked vs unmarked): " + ffmpegPsnr + " dB");
        System.out.println(summary.getLast());

        List<String[]> attacks = new ArrayList<>();
        attacks.add(new String[] {"x264 6 Mbit/s 1080p", encode(marked, work, "6m", "6M", null, seconds, reuse)});
        attacks.add(new String[] {"x264 2 Mbit/s 1080p", encode(marked, work, "2m", "2M", null, seconds, reuse)});
        attacks.add(
                new String[] {"720p + x264 3 Mbit/s", encode(marked, work, "720p", "3M", "1280:720", seconds, reuse)});
        attacks.add(new String[] {"unmarked source", source.toString()});
        // The archive's own rendition: its ladder (CRF 21 veryfast, capped 6/3/0.8 Mbit/s, 2 s GOP) cut from the
        // marked frames; made last, read as soon as it exists.
        attacks.add(new String[] {"archive ladder", null});

        VideoReader reader = new VideoReader(ffmpeg::command, VideoReader.Settings.defaults());
        List<String> labels = new ArrayList<>();
        List<Double> recovery = new ArrayList<>();
        List<String> csv = new ArrayList<>(
                List.of("attack,segments,segments_recovered,segment_ber_mean,whole_recovered,whole_ber,whole_score"));
        for (int ai = 0; ai < attacks.size(); ai++) {
            String[] a = attacks.get(ai);
            if (a[1] == null) {
                long l0 = System.nanoTime();
                List<Ladder.Output> ladder = Ladder.encode(
                        marked, Probe.of(marked), work.resolve("ladder"), Ladder.Settings.defaults(), f -> {});
                summary.add(String.format(
                        Locale.ROOT, "archive ladder (3 rungs) encoded in %.0f s", (System.nanoTime() - l0) / 1e9));
                for (Ladder.Output o : ladder) {
                    attacks.add(new String[] {
                        "archive " + o.rung().name(),
                        o.dir().resolve("index.m3u8").toString()
                    });
                }
                continue;
            }
            VideoReader.Report r = reader.read(Path.of(a[1]), layout);
            boolean marks = !a[0].startsWith("unmarked");
            double ber = 0;
            int right = 0;
            for (VideoReader.Segment s : r.segments()) {
                ber += Detection.bitErrorRate(s.evidence(), payload);
                right += payload.equals(s.detection().payload()) ? 1 : 0;
            }
            ber /= Math.max(1, r.segments().size());
            boolean whole = payload.equals(r.whole().payload());
            String line = String.format(
                    Locale.ROOT,
                    "%-24s segments recovered %d/%d, raw BER per segment %.1f%%, whole file %s (raw BER %.1f%%,"
                            + " score %.1f)%s",
                    a[0],
                    right,
                    r.segments().size(),
                    100 * ber,
                    whole ? "recovered" : r.whole().found() ? "WRONG PAYLOAD" : "not recovered",
                    100 * Detection.bitErrorRate(r.wholeEvidence(), payload),
                    r.whole().score(),
                    marks ? "" : " (no mark: must not be recovered)");
            summary.add(line);
            System.out.println(line);
            csv.add(String.format(
                    Locale.ROOT,
                    "%s,%d,%d,%.4f,%b,%.4f,%.2f",
                    a[0],
                    r.segments().size(),
                    right,
                    ber,
                    whole,
                    Detection.bitErrorRate(r.wholeEvidence(), payload),
                    r.whole().score()));
            if (marks) {
                labels.add(a[0]);
                recovery.add(100.0 * right / Math.max(1, r.segments().size()));
            }
            Files.write(out.resolve("summary.txt"), summary);
            Files.write(out.resolve("watermark.csv"), csv);
        }
        Files.write(out.resolve("watermark.csv"), csv);
        Plot.bars(
                out.resolve("watermark.png"),
                "Watermark: 10 s segments whose identifier was recovered (%)",
                String.format(
                        Locale.ROOT, "scripts/bench watermark --seconds %d; embedding PSNR %s dB", seconds, ffmpegPsnr),
                labels,
                recovery,
                100);
        Files.write(out.resolve("summary.txt"), summary);
        return summary;
    }

    private static String encode(
            Path marked, Path work, String name, String rate, String scale, int seconds, boolean reuse)
            throws IOException, InterruptedException {
        Path out = work.resolve("attack-" + name + ".mp4");
        if (reuse && Files.exists(out)) {
            return out.toString();
        }
        List<String> args = new ArrayList<>(List.of("-i", marked.toString()));
        if (scale != null) {
            args.addAll(List.of("-vf", "scale=" + scale));
        }
        args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-b:v", rate, out.toString()));
        FfmpegRun.run(args, seconds, f -> {});
        return out.toString();
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    private static int intOption(List<String> args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }
}
