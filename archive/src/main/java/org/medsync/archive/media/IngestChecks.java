package org.medsync.archive.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * No-reference checks of a source, for the player's timeline: black (blackdetect), frozen (freezedetect), blurred
 * (blurdetect) and over- or under-exposed (signalstats) stretches. One ffmpeg run on a copy scaled to at most 640 px
 * wide and 8-bit 4:2:0, so the thresholds below mean the same for every source and a long recording is cheap to
 * check. Per-frame values come from the metadata filter's file, not the log, so they are exact per frame.
 *
 * <p>Thresholds (8-bit limited-range luma, 16 black .. 235 white; {@link Thresholds#defaults()}): black is
 * blackdetect's 98 % of pixels below 10 % luma for 0.5 s; frozen is freezedetect's -60 dB noise for 1 s (minus the
 * black parts, which are frozen too but already flagged); blurred is a blurdetect value (mean edge width) above 10
 * for 1 s — a sharp test scene measured 4.0-4.5 here, the same scene with a Gaussian blur of sigma 8 about 20;
 * overexposed is a mean luma (YAVG) above 200 for 1 s; underexposed is a 90th-percentile luma (YHIGH) below 50 for
 * 1 s outside black stretches.
 */
public final class IngestChecks {
    /** A flagged stretch of the timeline. {@code kind}: black, frozen, blurred, overexposed, underexposed. */
    public record Stretch(String kind, double start, double end, String detail) {}

    public record Thresholds(
            double minSeconds, double blurAbove, double overexposedYavgAbove, double underexposedYhighBelow) {
        public static Thresholds defaults() {
            return new Thresholds(1, 10, 200, 50);
        }
    }

    private IngestChecks() {}

    public static List<Stretch> run(
            Path source, Probe probe, Thresholds thresholds, Path workDir, DoubleConsumer progress)
            throws IOException, InterruptedException {
        Path metadata = workDir.resolve("ingest-metadata.txt");
        String filter = "scale='min(640,iw)':-2,format=yuv420p,blackdetect=d=0.5:pix_th=0.10,"
                + "freezedetect=n=-60dB:d=" + thresholds.minSeconds()
                + ",blurdetect=block_width=32:block_height=32,signalstats,metadata=mode=print:file="
                + metadata.toString().replace("\\", "/").replace(":", "\\\\:");
        FfmpegRun.run(
                List.of("-i", source.toString(), "-map", "0:v:0", "-vf", filter, "-f", "null", "-"),
                probe.durationSeconds(),
                progress);
        try {
            return analyse(Files.readString(metadata, StandardCharsets.UTF_8), probe.durationSeconds(), thresholds);
        } finally {
            Files.deleteIfExists(metadata);
        }
    }

    /** The stretches in the metadata filter's output ({@code frame:N pts:P pts_time:T} then key=value lines). */
    static List<Stretch> analyse(String metadata, double duration, Thresholds t) {
        List<Stretch> black = new ArrayList<>();
        List<Stretch> frozen = new ArrayList<>();
        Run blurred = new Run("blurred", t.minSeconds());
        Run over = new Run("overexposed", t.minSeconds());
        Run under = new Run("underexposed", t.minSeconds());
        List<Stretch> out = new ArrayList<>();
        double time = 0;
        double blackStart = -1;
        double freezeStart = -1;
        double blur = Double.NaN;
        double yavg = Double.NaN;
        double yhigh = Double.NaN;
        boolean inBlack = false;
        for (String line : (metadata + "\nframe:end pts:0 pts_time:" + duration).split("\n")) {
            if (line.startsWith("frame:")) {
                // The previous frame is complete: judge it.
                if (!Double.isNaN(yavg)) {
                    boolean dark = !inBlack && yhigh < t.underexposedYhighBelow();
                    blurred.frame(time, !inBlack && blur > t.blurAbove(), out, "edge width " + fmt(blur));
                    over.frame(time, yavg > t.overexposedYavgAbove(), out, "mean luma " + fmt(yavg));
                    under.frame(time, dark, out, "90th percentile luma " + fmt(yhigh));
                }
                int at = line.indexOf("pts_time:");
                time = at < 0
                        ? time
                        : parse(line.substring(at + "pts_time:".length()).trim(), time);
                blur = yavg = yhigh = Double.NaN;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            double value = parse(line.substring(eq + 1).trim(), Double.NaN);
            switch (key) {
                case "lavfi.black_start" -> {
                    blackStart = value;
                    inBlack = true;
                }
                case "lavfi.black_end" -> {
                    if (blackStart >= 0) {
                        black.add(new Stretch("black", blackStart, value, null));
                    }
                    blackStart = -1;
                    inBlack = false;
                }
                case "lavfi.freezedetect.freeze_start" -> freezeStart = value;
                case "lavfi.freezedetect.freeze_end" -> {
                    if (freezeStart >= 0) {
                        frozen.add(new Stretch("frozen", freezeStart, value, null));
                    }
                    freezeStart = -1;
                }
                case "lavfi.blur" -> blur = value;
                case "lavfi.signalstats.YAVG" -> yavg = value;
                case "lavfi.signalstats.YHIGH" -> yhigh = value;
                default -> {}
            }
        }
        // Stretches still open at the end run to the end.
        if (blackStart >= 0) {
            black.add(new Stretch("black", blackStart, duration, null));
        }
        if (freezeStart >= 0) {
            frozen.add(new Stretch("frozen", freezeStart, duration, null));
        }
        blurred.close(duration, out);
        over.close(duration, out);
        under.close(duration, out);
        out.addAll(black);
        for (Stretch f : frozen) {
            for (Stretch s : minus(f, black)) {
                if (s.end() - s.start() >= t.minSeconds()) {
                    out.add(s);
                }
            }
        }
        out.sort(Comparator.comparingDouble(Stretch::start).thenComparing(Stretch::kind));
        return out;
    }

    /** The parts of {@code s} outside every stretch of {@code cut}. */
    private static List<Stretch> minus(Stretch s, List<Stretch> cut) {
        List<Stretch> parts = new ArrayList<>(List.of(s));
        for (Stretch c : cut) {
            List<Stretch> next = new ArrayList<>();
            for (Stretch p : parts) {
                if (c.end() <= p.start() || c.start() >= p.end()) {
                    next.add(p);
                    continue;
                }
                if (c.start() > p.start()) {
                    next.add(new Stretch(p.kind(), p.start(), c.start(), p.detail()));
                }
                if (c.end() < p.end()) {
                    next.add(new Stretch(p.kind(), c.end(), p.end(), p.detail()));
                }
            }
            parts = next;
        }
        return parts;
    }

    /** Consecutive frames that meet a condition, kept when they last at least {@code minSeconds}. */
    private static final class Run {
        private final String kind;
        private final double minSeconds;
        private double start = -1;
        private String detail;

        Run(String kind, double minSeconds) {
            this.kind = kind;
            this.minSeconds = minSeconds;
        }

        void frame(double time, boolean meets, List<Stretch> out, String why) {
            if (meets && start < 0) {
                start = time;
                detail = why;
            } else if (!meets && start >= 0) {
                close(time, out);
            }
        }

        void close(double end, List<Stretch> out) {
            if (start >= 0 && end - start >= minSeconds) {
                out.add(new Stretch(kind, start, end, detail));
            }
            start = -1;
        }
    }

    private static double parse(String s, double otherwise) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return otherwise; // "-nan" for a black frame's blur, or a line cut short
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
