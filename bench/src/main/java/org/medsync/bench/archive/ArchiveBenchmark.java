package org.medsync.bench.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.vault.EncryptedBlob;
import org.medsync.bench.recorded.RecordedPlot;
import org.medsync.library.database.Database;
import org.medsync.server.record.LiveEncoder;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * {@code scripts/bench archive}: (a) ingest throughput of the archive's upload path against the raw disk in the same
 * run, (b) transcode speed of 1080p50 8- and 10-bit sources through MedSync's encoding path against the FFmpeg
 * command line doing the identical encode, (c) a rate-quality table (bytes per hour of surgery, PSNR, SSIM) for x264
 * and x265 at several CRFs and presets, next to the paper's H.264 at 6 Mb/s. Options: {@code --ingest-mb N}
 * (default 512), {@code --transcode-seconds S} (default 10), {@code --quality-seconds S} (default 4), {@code
 * --live-seconds S} (default 6), {@code --only ingest,transcode,quality,live}. (d) is the live recorder's encode
 * speed per preset. Writes bench/results/archive/: CSVs, plots (RecordedPlot format, so they can be
 * copied to docs/img as they are) and summary.txt.
 */
public final class ArchiveBenchmark {
    private static final int FPS = 50;
    private static final int CHUNK = 8 << 20;

    private final Path out;
    private final FfmpegProgram ffmpeg;
    private final String stamp = Instant.now().toString().substring(0, 16).replace('T', ' ');
    private final List<String> summary = new ArrayList<>();

    private ArchiveBenchmark(Path out) throws IOException {
        this.out = Files.createDirectories(out);
        this.ffmpeg = FfmpegProgram.ffmpeg();
    }

    public static List<String> run(Path results, List<String> args) throws Exception {
        int ingestMb = 512;
        double transcodeSeconds = 10;
        double qualitySeconds = 4;
        double liveSeconds = 6;
        int cryptMb = 128;
        List<String> only = List.of("ingest", "transcode", "quality", "live", "crypt");
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : "";
            switch (args.get(i)) {
                case "--ingest-mb" -> ingestMb = Integer.parseInt(value);
                case "--transcode-seconds" -> transcodeSeconds = Double.parseDouble(value);
                case "--quality-seconds" -> qualitySeconds = Double.parseDouble(value);
                case "--live-seconds" -> liveSeconds = Double.parseDouble(value);
                case "--crypt-mb" -> cryptMb = Integer.parseInt(value);
                case "--only" -> only = List.of(value.split(","));
                default -> throw new IllegalArgumentException("scripts/bench archive: unknown option " + args.get(i));
            }
            i++;
        }
        ArchiveBenchmark b = new ArchiveBenchmark(results.resolve("archive"));
        b.summary.add("Archive benchmark, " + b.stamp + " UTC, load average " + load());
        if (only.contains("ingest")) {
            b.ingest(ingestMb);
        }
        if (only.contains("transcode")) {
            b.transcode(transcodeSeconds);
        }
        if (only.contains("quality")) {
            b.quality(qualitySeconds);
        }
        if (only.contains("live")) {
            b.live(liveSeconds);
        }
        if (only.contains("crypt")) {
            b.crypt(cryptMb);
        }
        b.summary.add("load average at the end " + load());
        Files.write(b.out.resolve("summary.txt"), b.summary);
        return b.summary;
    }

    // ---- (e) encryption at rest ------------------------------------------------------------------------------------

    /**
     * The vault's blob format on one core, in memory (no disk): sealing content into 64 KiB AES-256-GCM chunks and
     * opening it again, against SHA-256 of the same bytes (a put hashes the content, and the store hashes the blob).
     * Three rounds; the median counts.
     */
    private void crypt(int megabytes) throws IOException {
        byte[] content = new byte[megabytes << 20];
        new SplittableRandom(17).nextBytes(content);
        byte[] raw = new byte[32];
        new SplittableRandom(18).nextBytes(raw);
        SecretKey key = new SecretKeySpec(raw, "AES");
        byte[] sha = sha256().digest(content);
        List<Double> enc = new ArrayList<>();
        List<Double> dec = new ArrayList<>();
        List<Double> hash = new ArrayList<>();
        List<String> csv = new ArrayList<>(List.of("round,encrypt_mb_s,decrypt_mb_s,sha256_mb_s"));
        for (int round = 1; round <= 3; round++) {
            ByteArrayOutputStream blob =
                    new ByteArrayOutputStream((int) EncryptedBlob.blobSize(content.length, EncryptedBlob.CHUNK));
            long t0 = System.nanoTime();
            EncryptedBlob.encrypt(new ByteArrayInputStream(content), content.length, sha, key, blob);
            long t1 = System.nanoTime();
            byte[] sealed = blob.toByteArray();
            EncryptedBlob.Header h = EncryptedBlob.header(Arrays.copyOf(sealed, EncryptedBlob.HEADER), "bench");
            byte[] back = new byte[1 << 20];
            long t2 = System.nanoTime();
            try (InputStream in = EncryptedBlob.decrypt(
                    h,
                    sha,
                    key,
                    new ByteArrayInputStream(sealed, EncryptedBlob.HEADER, sealed.length),
                    0,
                    -1,
                    "bench")) {
                while (in.read(back) > 0) {
                    // reading is the work measured
                }
            }
            long t3 = System.nanoTime();
            sha256().digest(content);
            long t4 = System.nanoTime();
            enc.add(content.length / 1e6 / ((t1 - t0) / 1e9));
            dec.add(content.length / 1e6 / ((t3 - t2) / 1e9));
            hash.add(content.length / 1e6 / ((t4 - t3) / 1e9));
            csv.add(round + "," + f1(enc.getLast()) + "," + f1(dec.getLast()) + "," + f1(hash.getLast()));
        }
        Files.write(out.resolve("crypt.csv"), csv);
        summary.add(String.format(
                Locale.ROOT,
                "(e) encryption at rest, %d MiB in memory, one core: encrypt %.0f MB/s, decrypt %.0f MB/s"
                        + " (AES-256-GCM, 64 KiB chunks), SHA-256 %.0f MB/s (rounds encrypt %s, decrypt %s)",
                megabytes,
                median(enc),
                median(dec),
                median(hash),
                list(enc),
                list(dec)));
    }

    // ---- (a) ingest ----------------------------------------------------------------------------------------------

    /**
     * The upload path as the archive runs it for one recording: {@link TusUploads}, the tus core the server's routes
     * call, on an embedded PostgreSQL, a directory store and the node's default encryption at rest (a local key file),
     * fed PATCHes of 8 MiB from an input stream as the HTTP server hands them over. Each PATCH is hashed, sealed and
     * synced before its answer; the last one verifies the declared SHA-256 and moves the sealed staging file into the
     * store. Timed from the creation to the recording. Against it, the raw disk: the same bytes written sequentially
     * and fsync'd once (dd conv=fsync) to the same directory; and the same upload with encryption off. Three
     * alternating rounds; the median counts. Each round uploads different content (no deduplication).
     */
    private void ingest(int megabytes) throws Exception {
        Path dir = Files.createDirectories(out.resolve("ingest"));
        byte[] chunk = new byte[CHUNK];
        new SplittableRandom(13).nextBytes(chunk);
        long total = (long) megabytes << 20;
        List<Double> raw = new ArrayList<>();
        List<Double> sealed = new ArrayList<>();
        List<Double> clear = new ArrayList<>();
        List<Double> sealedCpu = new ArrayList<>();
        List<Double> clearCpu = new ArrayList<>();
        List<Double> sealedProcess = new ArrayList<>();
        List<Double> clearProcess = new ArrayList<>();
        List<String> csv =
                new ArrayList<>(List.of("round,raw_mb_s,upload_sealed_mb_s,upload_clear_mb_s,sealed_cpu_mb_s,"
                        + "clear_cpu_mb_s,sealed_process_cpu_ms_per_mb,clear_process_cpu_ms_per_mb"));
        Path pg = Files.createTempDirectory(Path.of("/tmp"), "medsync-bench-ingest-");
        try (Database db = Database.start(Database.Settings.embedded(pg.resolve("pg"), 0));
                IngestPath encrypted = IngestPath.open(db, dir.resolve("sealed"), true);
                IngestPath plain = IngestPath.open(db, dir.resolve("clear"), false)) {
            for (int round = 1; round <= 3; round++) {
                raw.add(mbPerSecond(total, rawWrite(dir.resolve("raw.bin"), chunk, total)));
                IngestPath.Timing s = encrypted.upload(chunk, total, round);
                sealed.add(mbPerSecond(total, s.nanos()));
                sealedCpu.add(mbPerSecond(total, s.cpuNanos()));
                sealedProcess.add(s.processCpuNanos() / 1e6 / (total / 1e6));
                IngestPath.Timing c = plain.upload(chunk, total, round);
                clear.add(mbPerSecond(total, c.nanos()));
                clearCpu.add(mbPerSecond(total, c.cpuNanos()));
                clearProcess.add(c.processCpuNanos() / 1e6 / (total / 1e6));
                csv.add(round + "," + f1(raw.getLast()) + "," + f1(sealed.getLast()) + "," + f1(clear.getLast()) + ","
                        + f1(sealedCpu.getLast()) + "," + f1(clearCpu.getLast()) + ","
                        + String.format(Locale.ROOT, "%.3f,%.3f", sealedProcess.getLast(), clearProcess.getLast()));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(pg)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.write(out.resolve("ingest.csv"), csv);
        double r = median(raw);
        double u = median(sealed);
        double c = median(clear);
        summary.add(String.format(
                Locale.ROOT,
                "(a) ingest of %d MiB through TusUploads: raw disk %.0f MB/s, upload encrypted at rest %.0f MB/s,"
                        + " in the clear %.0f MB/s (rounds raw %s, encrypted %s, clear %s): %.2fx encrypted, %.2fx"
                        + " clear (target >= 0.8x)",
                megabytes,
                r,
                u,
                c,
                list(raw),
                list(sealed),
                list(clear),
                u / r,
                c / r));
        // What one core does when it is not shared: bytes per second of the uploading thread's own CPU time.
        summary.add(String.format(
                Locale.ROOT,
                "(a) ingest, per second of the uploading thread's CPU time: encrypted %.0f MB/s, clear %.0f MB/s"
                        + " (rounds %s / %s)",
                median(sealedCpu),
                median(clearCpu),
                list(sealedCpu),
                list(clearCpu)));
        // The work handed to other threads (the staged blob's sealing worker, background syncs) counts here too:
        // CPU-milliseconds of the whole process per MB, the cost a loaded node pays whatever thread does it.
        summary.add(String.format(
                Locale.ROOT,
                "(a) ingest, process CPU per MB (all threads): encrypted %.2f ms/MB, clear %.2f ms/MB (rounds %s / %s)",
                median(sealedProcess),
                median(clearProcess),
                sealedProcess.stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v))
                        .toList(),
                clearProcess.stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v))
                        .toList()));
        plot(
                "archive-ingest",
                "Ingest of " + megabytes + " MiB (MB/s, median of 3): TusUploads vs raw disk",
                "",
                List.of("raw disk write+fsync", "tus upload, encrypted at rest", "tus upload, in the clear"),
                List.of(r, u, c));
        plot(
                "archive-ingest-ratio",
                "Ingest: upload path / raw disk (target 0.8)",
                "0.8",
                List.of("encrypted at rest", "in the clear"),
                List.of(u / r, c / r));
    }

    private static long rawWrite(Path file, byte[] chunk, long total) throws IOException {
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (long written = 0; written < total; written += chunk.length) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
        long elapsed = System.nanoTime() - start;
        Files.delete(file);
        return elapsed;
    }

    // ---- (b) transcode -------------------------------------------------------------------------------------------

    /**
     * The top playback rung (1080p H.264 8-bit 4:2:0) from a 1080p50 8-bit 4:2:0 source (a camera's H.264) and from
     * a 10-bit 4:2:2 one (MedSync's recorder master), run by MedSync's encoding path (FfmpegProgram from Java with
     * {@link EncodeCommand#playbackTopRung}) and by /bin/sh running the identical ffmpeg command line; alternating, two
     * runs each, the faster counts.
     */
    private void transcode(double seconds) throws Exception {
        Path src8 = source(
                "transcode-src-8bit.mp4",
                1920,
                1080,
                seconds,
                "yuv420p",
                List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-profile:v", "high"));
        Path src10 = source(
                "transcode-src-10bit.mp4",
                1920,
                1080,
                seconds,
                "yuv422p10le",
                List.of("-c:v", "libx264", "-preset", "superfast", "-crf", "18", "-profile:v", "high422"));
        List<String> csv = new ArrayList<>(List.of("source,path,run,seconds,x_realtime"));
        List<String> labels = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        for (Path src : List.of(src8, src10)) {
            String name = src == src8 ? "8-bit 4:2:0" : "10-bit 4:2:2";
            double[] medsync = {Double.MAX_VALUE};
            double[] cli = {Double.MAX_VALUE};
            for (int run = 1; run <= 2; run++) {
                Path target = out.resolve("transcode-out.mp4");
                List<String> args = EncodeCommand.playbackTopRung(src, FPS, target);
                double m = timed(ffmpeg.command(args));
                medsync[0] = Math.min(medsync[0], m);
                csv.add(name + ",medsync," + run + "," + f2(m) + "," + f2(seconds / m));
                String line = Arrays.stream(prepend(ffmpeg.path().toString(), args))
                        .map(ArchiveBenchmark::shellQuote)
                        .collect(Collectors.joining(" "));
                ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", "exec " + line);
                shell.environment()
                        .put("LD_LIBRARY_PATH", ffmpeg.path().getParent().toString());
                double c = timed(shell);
                cli[0] = Math.min(cli[0], c);
                csv.add(name + ",cli," + run + "," + f2(c) + "," + f2(seconds / c));
            }
            double overhead = (medsync[0] - cli[0]) / cli[0] * 100;
            summary.add(String.format(
                    Locale.ROOT,
                    "(b) transcode 1080p50 %s, %.0f s -> 1080p H.264 rung: MedSync %.2fx real time, ffmpeg command"
                            + " line %.2fx; overhead %+.1f %% (target <= 5 %%)",
                    name,
                    seconds,
                    seconds / medsync[0],
                    seconds / cli[0],
                    overhead));
            labels.add(name.substring(0, 6) + " MedSync");
            speeds.add(seconds / medsync[0]);
            labels.add(name.substring(0, 6) + " ffmpeg CLI");
            speeds.add(seconds / cli[0]);
        }
        Files.write(out.resolve("transcode.csv"), csv);
        plot(
                "archive-transcode",
                "Transcode 1080p50 -> 1080p H.264 rung (x real time; 1 = real time)",
                "1",
                labels,
                speeds);
    }

    // ---- (c) rate-quality ----------------------------------------------------------------------------------------

    private record Point(String codec, String preset, int crf, int kbps) {
        String label() {
            String c = codec.equals("libx264") ? "x264" : "x265";
            return crf < 0 ? c + " " + preset + " " + kbps / 1000 + " Mb/s (paper)" : c + " " + preset + " CRF " + crf;
        }

        /** For the bars: "264 vf18" (encoder, preset initials, CRF), "6Mb/s" for the paper's point. */
        String shortLabel() {
            String p = switch (preset) {
                case "veryfast" -> "vf";
                case "medium" -> "md";
                case "ultrafast" -> "uf";
                case "superfast" -> "sf";
                default -> preset.substring(0, 1);
            };
            return crf < 0 ? kbps / 1000 + "Mb/s" : codec.substring(4) + " " + p + crf;
        }
    }

    /**
     * Each encoder setting on a lossless 1080p50 8-bit 4:2:0 clip of the synthetic surgery: bytes per hour (from the
     * clip's size), PSNR and SSIM against the lossless source (FFmpeg's psnr and ssim filters), encode speed.
     */
    private void quality(double seconds) throws Exception {
        Path src = source(
                "quality-src-lossless.mkv",
                1920,
                1080,
                seconds,
                "yuv420p",
                List.of("-c:v", "libx264", "-preset", "ultrafast", "-qp", "0"));
        List<Point> points = new ArrayList<>();
        for (String preset : List.of("veryfast", "medium")) {
            for (int crf : List.of(18, 23, 28)) {
                points.add(new Point("libx264", preset, crf, 0));
            }
        }
        for (String preset : List.of("ultrafast", "fast")) {
            for (int crf : List.of(18, 23, 28)) {
                points.add(new Point("libx265", preset, crf, 0));
            }
        }
        points.add(new Point("libx264", "veryfast", -1, 6000));
        List<String> csv =
                new ArrayList<>(List.of("encoder,preset,crf,bitrate_kbps,gb_per_hour,psnr_db,ssim,encode_x_realtime"));
        List<String> labels = new ArrayList<>();
        List<Double> gbHour = new ArrayList<>();
        List<Double> psnrs = new ArrayList<>();
        summary.add(String.format(
                Locale.ROOT, "(c) rate-quality, %.0f s of 1080p50 synthetic surgery (lossless source):", seconds));
        summary.add("    setting                         Mb/s   GB/hour  PSNR dB  SSIM     x real time");
        for (Point p : points) {
            Path enc = out.resolve("quality-" + p.label().replaceAll("[^A-Za-z0-9]+", "-") + ".mp4");
            double t = timed(
                    ffmpeg.command(EncodeCommand.rateQuality(src, p.codec(), p.preset(), p.crf(), p.kbps(), enc)));
            double kbps = Files.size(enc) * 8 / seconds / 1000;
            double gb = kbps * 1000 * 3600 / 8 / 1e9;
            double[] q = psnrSsim(enc, src);
            csv.add(String.join(
                    ",",
                    p.codec(),
                    p.preset(),
                    p.crf() < 0 ? "" : Integer.toString(p.crf()),
                    f1(kbps),
                    String.format(Locale.ROOT, "%.3f", gb),
                    String.format(Locale.ROOT, "%.3f", q[0]),
                    String.format(Locale.ROOT, "%.4f", q[1]),
                    f2(seconds / t)));
            summary.add(String.format(
                    Locale.ROOT,
                    "    %-30s %6.2f %8.2f %8.2f  %.4f  %.2f",
                    p.label(),
                    kbps / 1000,
                    gb,
                    q[0],
                    q[1],
                    seconds / t));
            labels.add(p.shortLabel());
            gbHour.add(gb);
            psnrs.add(q[0]);
            Files.delete(enc);
        }
        // The archive's storage model ships this table (docs/img/archive-rate-quality.csv, copied into
        // archive/src/main/resources/org/medsync/archive/capacity/rate-quality.csv): the settings lines make it a
        // RecordedPlot file that `scripts/bench plots` passes over.
        csv.addAll(
                0,
                List.of(
                        "# title: Rate-quality of 1080p50 synthetic surgery (x264/x265 presets and CRFs; last row:"
                                + " the paper's 6 Mb/s)",
                        "# note: Run of " + stamp + " UTC: scripts/bench archive",
                        "# chart: table"));
        Files.write(out.resolve("archive-rate-quality.csv"), csv);
        plot(
                "archive-gb-per-hour",
                "GB per hour of 1080p50 surgery; dashed: the paper, 6 Mb/s = 2.7",
                "2.7",
                labels,
                gbHour);
        plot("archive-psnr", "PSNR vs the lossless source (dB); vf/md/uf/f = preset, then CRF", "", labels, psnrs);
    }

    private double[] psnrSsim(Path encoded, Path source) throws IOException, InterruptedException {
        Process p = ffmpeg.command(List.of(
                        "-hide_banner",
                        "-nostdin",
                        "-i",
                        encoded.toString(),
                        "-i",
                        source.toString(),
                        "-filter_complex",
                        "[0:v]split[e1][e2];[1:v]split[s1][s2];[e1][s1]psnr;[e2][s2]ssim",
                        "-f",
                        "null",
                        "-"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("psnr/ssim of " + encoded + " failed: " + tail(log));
        }
        Matcher psnr = Pattern.compile("PSNR y:[^\\n]* average:([0-9.]+|inf)").matcher(log);
        Matcher ssim = Pattern.compile("SSIM Y:[^\\n]* All:([0-9.]+)").matcher(log);
        if (!psnr.find() || !ssim.find()) {
            throw new IOException("no PSNR/SSIM in ffmpeg's output: " + tail(log));
        }
        return new double[] {
            psnr.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(psnr.group(1)),
            Double.parseDouble(ssim.group(1))
        };
    }

    // ---- (d) live recording ----------------------------------------------------------------------------------------

    /**
     * How fast the recorder's live encoder ({@link LiveEncoder}, the one {@code medsync record} runs) takes 10-bit
     * 4:2:2 pgroups at 720p and 1080p per x264 preset and as the FFV1 mezzanine: one second of the synthetic surgery as pgroups (FFmpeg's
     * bitpacked encoder, the receiver's layout) held in memory and written in a loop as fast as the pipe takes it.
     * At 50 fps or more the preset keeps up with a 50 Hz flow.
     */
    private void live(double seconds) throws Exception {
        List<String> csv = new ArrayList<>(List.of("format,preset,frames,seconds,fps,keeps_up_50"));
        List<String> labels = new ArrayList<>();
        List<Double> fpsValues = new ArrayList<>();
        for (int height : List.of(720, 1080)) {
            int width = height * 16 / 9;
            VideoFormat f = new VideoFormat(10, width, height, FrameRate.FPS_50, VideoFormat.Colorimetry.BT709);
            List<byte[]> frames = pgroups(f);
            // "mezzanine": the lossless FFV1 the recorder writes when x264 does not keep up
            // (docs/archive-recording.md).
            for (String preset : List.of("ultrafast", "superfast", "veryfast", "mezzanine")) {
                boolean master = !preset.equals("mezzanine");
                Path file = out.resolve(master ? "live.mp4" : "live" + LiveEncoder.MEZZANINE_SUFFIX);
                int n = (int) Math.round(seconds * FPS);
                long start = System.nanoTime();
                LiveEncoder enc = LiveEncoder.start(
                        ffmpeg,
                        f,
                        new LiveEncoder.Settings(master ? preset : "ultrafast", 18, 1, LiveEncoder.Live.MASTER),
                        master,
                        file);
                try {
                    for (int i = 0; i < n; i++) {
                        enc.write(ByteBuffer.wrap(frames.get(i % frames.size())));
                    }
                    enc.finish();
                } finally {
                    enc.close();
                }
                double t = (System.nanoTime() - start) / 1e9;
                double fps = n / t;
                csv.add(height + "p50," + preset + "," + n + "," + f2(t) + "," + f1(fps) + "," + (fps >= 50));
                summary.add(String.format(
                        Locale.ROOT,
                        "(d) live recording %dp50 10-bit 4:2:2, %s: %.1f fps (%s)",
                        height,
                        master ? "x264 " + preset + " CRF 18" : "FFV1 mezzanine",
                        fps,
                        fps >= 50 ? "keeps up" : "does not keep up"));
                labels.add(height + "p " + preset);
                fpsValues.add(fps);
                Files.deleteIfExists(file);
            }
        }
        Files.write(out.resolve("live.csv"), csv);
        plot(
                "archive-live-encode",
                "Live recording, 10-bit 4:2:2 pgroups -> H.264 High 4:2:2 (fps; 50 = keeps up)",
                "50",
                labels,
                fpsValues);
    }

    /** One second of the synthetic surgery as RFC 4175 pgroups of {@code f}, a byte array a frame. */
    private List<byte[]> pgroups(VideoFormat f) throws Exception {
        Path file = out.resolve("live-" + f.height() + ".pgroups");
        timed(ffmpeg.command(List.of(
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-filter_complex",
                SyntheticSurgery.graph(f.width(), f.height(), FPS, "yuv422p10le"),
                "-t",
                "1",
                "-c:v",
                "bitpacked",
                "-f",
                "rawvideo",
                file.toString())));
        byte[] all = Files.readAllBytes(file);
        Files.delete(file);
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off + f.frameBytes() <= all.length; off += f.frameBytes()) {
            frames.add(Arrays.copyOfRange(all, off, off + f.frameBytes()));
        }
        if (frames.isEmpty()) {
            throw new IOException("no pgroup frames generated for " + f);
        }
        return frames;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** Generates (once; kept in bench/results/archive) a clip of the synthetic surgery. */
    private Path source(String name, int w, int h, double seconds, String pixelFormat, List<String> codec)
            throws Exception {
        Path file = out.resolve(name);
        Path marker = out.resolve(name + "." + w + "x" + h + "-" + seconds + "s");
        if (Files.exists(file) && Files.exists(marker)) {
            return file;
        }
        List<String> a = new ArrayList<>(List.of(
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-filter_complex",
                SyntheticSurgery.graph(w, h, FPS, pixelFormat),
                "-t",
                Double.toString(seconds)));
        a.addAll(codec);
        a.add(file.toString());
        double t = timed(ffmpeg.command(a));
        Files.writeString(marker, "");
        summary.add(String.format(
                Locale.ROOT,
                "source %s: %.0f s generated in %.0f s, %.1f MB",
                name,
                seconds,
                t,
                Files.size(file) / 1e6));
        return file;
    }

    private static double timed(ProcessBuilder b) throws IOException, InterruptedException {
        Path log = Files.createTempFile("medsync-bench-ffmpeg-", ".log");
        try {
            b.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
            long start = System.nanoTime();
            Process p = b.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("ffmpeg ran over 30 minutes: " + b.command());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (p.exitValue() != 0) {
                throw new IOException("ffmpeg failed (exit " + p.exitValue() + "): " + tail(Files.readString(log)));
            }
            return seconds;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void plot(String name, String title, String target, List<String> labels, List<Double> values)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# title: " + title);
        lines.add("# note: Run of " + stamp + " UTC: scripts/bench archive");
        lines.add("# chart: bars");
        if (!target.isEmpty()) {
            lines.add("# target: " + target);
        }
        lines.add("label,value");
        for (int i = 0; i < labels.size(); i++) {
            lines.add(labels.get(i).replace(",", " ") + "," + String.format(Locale.ROOT, "%.3f", values.get(i)));
        }
        Path csv = out.resolve(name + ".csv");
        Files.write(csv, lines);
        RecordedPlot.draw(csv);
    }

    private static String[] prepend(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    private static String list(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining("/"));
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String tail(String log) {
        String t = log.strip();
        return t.length() > 800 ? t.substring(t.length() - 800) : t;
    }

    private static String load() {
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return l[0] + " " + l[1] + " " + l[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
