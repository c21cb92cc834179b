package org.medsync.server.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.vault.Vault;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.server.record.LocalArchiveSink;
import org.medsync.server.record.RecordingMetadata;
import org.medsync.server.record.RecordingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's recordings: short clips made at start by FFmpeg from its synthetic sources (testsrc2, SMPTE bars, a
 * Mandelbrot zoom) with a fake patient banner burned into the top 8 % (the region the demo hospital blurs in
 * anonymized copies), linked to the synthetic CT head's study, and delivered into the archive as a recorder's
 * upload would be. Nothing is shipped: every file is generated. Runs once per archive (a restart finds them).
 */
public final class DemoRecordings {
    private static final Logger log = LoggerFactory.getLogger(DemoRecordings.class);
    public static final String HOSPITAL = "demo-hospital";
    public static final String DEVICE = "demo-or-1-recorder";
    public static final String OPERATING_ROOM = "OR 1";

    /** Size and length of the clips: the demo's are 640x360, 12 s at 25 fps; tests make them smaller. */
    public record Options(int width, int height, int fps, double seconds) {
        public static Options defaults() {
            return new Options(640, 360, 25, 12);
        }
    }

    private record Clip(String procedure, String source, Duration startedAgo) {}

    private static final List<Clip> CLIPS = List.of(
            new Clip("Laparoscopic cholecystectomy (demo)", "testsrc2=s=%dx%d:r=%d", Duration.ofDays(2)),
            new Clip(
                    "Knee arthroscopy (demo)",
                    "smptehdbars=s=%dx%d:r=%d,drawbox=x='mod(t*90,iw)':y=ih/2:w=40:h=40:color=white:t=fill",
                    Duration.ofDays(1)),
            new Clip("Colonoscopy (demo)", "mandelbrot=s=%dx%d:r=%d", Duration.ofHours(3)));

    private static final DateTimeFormatter BANNER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH.mm").withZone(ZoneOffset.UTC);

    private DemoRecordings() {}

    /** Generates and delivers the clips in a background thread; the server is usable meanwhile. */
    public static Thread startInBackground(
            Recordings recordings, Vault store, Path workDir, Consumer<Recording> accepted) {
        return Thread.ofPlatform().daemon().name("demo-recordings").start(() -> {
            try {
                ensure(recordings, store, workDir, Options.defaults(), accepted);
            } catch (Exception e) {
                log.warn("Demo recordings not made: {}", e.getMessage());
            }
        });
    }

    /**
     * Makes the demo recordings unless the demo study has recordings already; returns the recordings made.
     *
     * @param accepted what an accepted upload is handed to (the transcode job's queue)
     */
    public static List<Recording> ensure(
            Recordings recordings, Vault store, Path workDir, Options o, Consumer<Recording> accepted)
            throws IOException, SQLException, InterruptedException {
        String study = SyntheticCtHead.studyInstanceUid(SyntheticCtHead.Options.defaults());
        if (!recordings.ofStudy(study).isEmpty()) {
            return List.of();
        }
        Path dir = Files.createDirectories(workDir);
        FfmpegProgram ffmpeg = FfmpegProgram.ffmpeg();
        RecordingSink sink = new LocalArchiveSink(store, recordings, "attending", DEVICE, accepted);
        List<Recording> made = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CLIPS.size(); i++) {
                Clip c = CLIPS.get(i);
                Path file = dir.resolve("demo-recording-" + (i + 1) + ".mp4");
                Instant started = Instant.now().minus(c.startedAgo());
                generate(ffmpeg, c, o, started, file);
                RecordingMetadata m = new RecordingMetadata(
                        HOSPITAL,
                        OPERATING_ROOM,
                        "Dr. Ada Attending",
                        c.procedure(),
                        "",
                        study,
                        SyntheticCtHead.PATIENT_ID,
                        SyntheticCtHead.PATIENT_NAME,
                        started,
                        c.procedure());
                RecordingSink.Delivery d = sink.deliver(file, RecordingSink.sha256(file), m);
                made.add(recordings.find(d.id()).orElseThrow());
                log.info(
                        "Demo recordings: {}/{} ingested ({} KB, {} s in)",
                        i + 1,
                        CLIPS.size(),
                        d.bytes() / 1024,
                        (System.nanoTime() - start) / 1_000_000_000);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return made;
    }

    private static void generate(FfmpegProgram ffmpeg, Clip c, Options o, Instant started, Path out)
            throws IOException, InterruptedException {
        int banner = Math.max(8, o.height() * 8 / 100);
        // No ':' or quotes in the text: they would need escaping twice (filter graph, then drawtext).
        String text = SyntheticCtHead.PATIENT_NAME.replace('^', ' ') + "  " + SyntheticCtHead.PATIENT_ID + "  "
                + OPERATING_ROOM + "  " + BANNER_TIME.format(started);
        Path font = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf");
        String graph = c.source().formatted(o.width(), o.height(), o.fps())
                + ",drawbox=x=0:y=0:w=iw:h=" + banner + ":color=0x102040:t=fill"
                + (Files.isReadable(font)
                        ? ",drawtext=fontfile=" + font + ":fontcolor=white:fontsize=" + banner / 2 + ":x=6:y="
                                + banner / 5 + ":text='"
                                + text + "'"
                        : "");
        List<String> args = List.of(
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                graph,
                "-t",
                String.format(Locale.ROOT, "%.2f", o.seconds()),
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "23",
                "-pix_fmt",
                "yuv420p",
                "-g",
                Integer.toString(2 * o.fps()),
                "-movflags",
                "+faststart",
                out.toString());
        Path errors = out.resolveSibling(out.getFileName() + ".log");
        Process p = ffmpeg.command(args)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("generating a demo recording failed: "
                    + Files.readString(errors).strip());
        }
    }
}
