package org.medsync.archive.encode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.medsync.archive.jobs.JobHandler.JobFailure;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.IngestChecks;
import org.medsync.archive.media.Ladder;
import org.medsync.archive.media.MasterDecision;
import org.medsync.archive.media.Probe;
import org.medsync.archive.media.Quality;
import org.medsync.archive.media.Storyboard;
import org.medsync.watermark.mark.Embedder;
import org.medsync.watermark.mark.Layout;
import org.medsync.watermark.mark.WatermarkKey;
import org.medsync.watermark.payload.Payload;

/**
 * Everything a transcode makes from one local source file, into one local directory, without the database or the
 * object store: the master, the HLS ladder, the storyboard, the ingest checks and the quality of every output. The
 * job handler wraps it; a benchmark calls it directly.
 *
 * <p>Quality floors are checked here, after measuring: an output below its floor fails the whole transcode with a
 * {@link JobFailure} naming the output and the measured value, so no bad copy is ever stored.
 */
public final class Transcoder {
    private static final Set<String> MP4_AUDIO = Set.of("aac", "mp3", "ac3", "eac3", "alac", "flac", "opus");

    /**
     * Encoder settings and floors.
     *
     * @param h264Crf x264 CRF of a re-encoded master (low: a diagnostic master)
     * @param hevcCrf x265 CRF of a re-encoded master
     * @param masterPreset x264/x265 preset of the master
     * @param rungMinPsnr the lowest PSNR (dB) a playback rung may have against the scaled source
     * @param watermark the key that marks the playback ladder with the recording's identifier (null: unmarked);
     *     the master is never marked (it is the diagnostic copy)
     */
    public record Settings(
            int h264Crf,
            int hevcCrf,
            String masterPreset,
            Ladder.Settings ladder,
            double rungMinPsnr,
            IngestChecks.Thresholds checks,
            WatermarkKey watermark) {
        public static Settings defaults() {
            return new Settings(
                    12, 14, "fast", Ladder.Settings.defaults(), 30, IngestChecks.Thresholds.defaults(), null);
        }

        public Settings withRungMinPsnr(double psnr) {
            return new Settings(h264Crf, hevcCrf, masterPreset, ladder, psnr, checks, watermark);
        }

        public Settings withWatermark(WatermarkKey key) {
            return new Settings(h264Crf, hevcCrf, masterPreset, ladder, rungMinPsnr, checks, key);
        }
    }

    /** What a job reports while transcoding: 0..1 of the whole transcode, and the stage. */
    public interface Progress {
        void report(double fraction, String stage);
    }

    /**
     * The master as written.
     *
     * @param score null when the source was kept untouched (nothing to compare)
     */
    public record Master(MasterDecision decision, Path file, Probe probe, Quality.Score score) {}

    /** A rung as written, with its quality. */
    public record Rung(Ladder.Output output, Probe probe, Quality.Score score) {}

    public record Result(
            Probe source,
            Master master,
            List<Rung> rungs,
            Storyboard.Sheet storyboard,
            List<IngestChecks.Stretch> flags) {}

    private final Settings settings;
    private Layout layout;

    public Transcoder(Settings settings) {
        this.settings = settings;
    }

    /** The watermark grid of the key, made once: its keyed permutation costs a few milliseconds. */
    private synchronized Layout layout(WatermarkKey key) {
        if (layout == null) {
            layout = Layout.of(key);
        }
        return layout;
    }

    /**
     * Transcodes {@code source} into {@code outDir}: {@code master.*}, {@code hls-<height>/}, {@code storyboard/}.
     *
     * @param masterMinPsnr the floor of a re-encoded master (the hospital's master_min_psnr)
     * @throws JobFailure when the source is not usable video or an output is below its floor
     */
    public Result transcode(
            Path source,
            String sourceName,
            MasterDecision.Policy policy,
            double masterMinPsnr,
            Path outDir,
            Progress progress)
            throws IOException, InterruptedException, JobFailure {
        return transcode(source, sourceName, policy, masterMinPsnr, outDir, null, progress);
    }

    /**
     * As above, the playback ladder marked with {@code mark} when the settings have a watermark key (null: no mark).
     */
    public Result transcode(
            Path source,
            String sourceName,
            MasterDecision.Policy policy,
            double masterMinPsnr,
            Path outDir,
            Payload mark,
            Progress progress)
            throws IOException, InterruptedException, JobFailure {
        Files.createDirectories(outDir);
        progress.report(0, "probing source");
        Probe probe;
        try {
            probe = Probe.of(source);
        } catch (IOException e) {
            throw new JobFailure("the uploaded file is not usable video: " + e.getMessage(), e);
        }
        double duration = probe.durationSeconds();
        MasterDecision decision = MasterDecision.decide(probe, policy, sourceName);

        Path masterFile = outDir.resolve(decision.fileName());
        if (decision.copy()) {
            progress.report(0.02, "keeping the uploaded stream as the master");
            Files.copy(source, masterFile, StandardCopyOption.REPLACE_EXISTING);
        } else {
            progress.report(0.02, "encoding master (" + decision.codec() + " " + decision.pixelFormat() + ")");
            List<String> args = new ArrayList<>(List.of("-i", source.toString(), "-map", "0:v:0"));
            if (probe.audioCodec() != null) {
                // Audio is not what the master is about, but it must not be lost: copied when MP4 holds it,
                // else ALAC (lossless).
                args.addAll(List.of("-map", "0:a:0", "-c:a", MP4_AUDIO.contains(probe.audioCodec()) ? "copy" : "alac"));
            }
            int crf = decision.codec().equals("hevc") ? settings.hevcCrf() : settings.h264Crf();
            args.addAll(decision.videoOptions(crf, settings.masterPreset()));
            args.addAll(List.of("-movflags", "+faststart", masterFile.toString()));
            FfmpegRun.run(args, duration, f -> progress.report(0.02 + 0.33 * f, "encoding master"));
        }
        Probe masterProbe = Probe.of(masterFile);

        progress.report(0.35, "encoding playback ladder");
        Embedder embedder =
                mark == null || settings.watermark() == null ? null : new Embedder(layout(settings.watermark()), mark);
        List<Ladder.Output> ladder = Ladder.encode(
                source,
                probe,
                outDir,
                settings.ladder(),
                embedder,
                f -> progress.report(0.35 + 0.3 * f, "encoding playback ladder"));

        progress.report(0.65, "making storyboard");
        Storyboard.Sheet sheet = Storyboard.make(
                source,
                probe,
                outDir.resolve("storyboard"),
                f -> progress.report(0.65 + 0.05 * f, "making storyboard"));

        progress.report(0.7, "checking for black, frozen, blurred and badly exposed stretches");
        List<IngestChecks.Stretch> flags = IngestChecks.run(
                source, probe, settings.checks(), outDir, f -> progress.report(0.7 + 0.1 * f, "ingest checks"));

        progress.report(0.8, "measuring quality (PSNR, SSIM)");
        List<Quality.Target> targets = new ArrayList<>();
        if (!decision.copy()) {
            targets.add(new Quality.Target(
                    masterFile, masterProbe.video().width(), masterProbe.video().height(), decision.pixelFormat()));
        }
        for (Ladder.Output o : ladder) {
            targets.add(new Quality.Target(
                    o.dir().resolve("index.m3u8"), o.rung().width(), o.rung().height(), "yuv420p"));
        }
        List<Quality.Score> scores =
                Quality.measure(source, duration, targets, f -> progress.report(0.8 + 0.19 * f, "measuring quality"));
        Quality.Score masterScore = decision.copy() ? null : scores.getFirst();
        if (masterScore != null && masterScore.psnr() < masterMinPsnr) {
            throw new JobFailure(String.format(
                    Locale.ROOT,
                    "the master %s measured PSNR %.2f dB (SSIM %.4f) against the source, below the hospital's floor"
                            + " of %.1f dB for a diagnostic master: not kept",
                    decision.fileName(),
                    masterScore.psnr(),
                    masterScore.ssim(),
                    masterMinPsnr));
        }
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i < ladder.size(); i++) {
            Ladder.Output o = ladder.get(i);
            Quality.Score s = scores.get(decision.copy() ? i : i + 1);
            if (s.psnr() < settings.rungMinPsnr()) {
                throw new JobFailure(String.format(
                        Locale.ROOT,
                        "the playback rendition %s measured PSNR %.2f dB (SSIM %.4f) against the source scaled to"
                                + " %dx%d, below the floor of %.1f dB for playback: not kept",
                        o.rung().name(),
                        s.psnr(),
                        s.ssim(),
                        o.rung().width(),
                        o.rung().height(),
                        settings.rungMinPsnr()));
            }
            rungs.add(new Rung(o, Probe.of(o.dir().resolve("index.m3u8")), s));
        }
        progress.report(0.99, "transcoded");
        return new Result(probe, new Master(decision, masterFile, masterProbe, masterScore), rungs, sheet, flags);
    }
}
