package org.medsync.archive.encode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.media.IngestChecks;
import org.medsync.archive.media.MasterDecision;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.library.files.PrivateFiles;
import org.medsync.watermark.payload.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code transcode} job: the recording's source object to a local file, {@link Transcoder} on it, every output
 * into the object store, the renditions and flags into the index, and the recording's status from processing to
 * ready (or failed with the reason). Safe to run again: objects are stored by content and rows are replaced.
 */
public final class TranscodeHandler implements JobHandler {
    public static final String KIND = "transcode";
    private static final Logger log = LoggerFactory.getLogger(TranscodeHandler.class);
    private static final String WORK_PREFIX = "transcode-";
    /**
     * How a recorder names the lossless mezzanine it records when it cannot encode the master live
     * (docs/archive-recording.md): the archive makes the master from it and then deletes it.
     */
    public static final String MEZZANINE_SUFFIX = ".mezzanine.mkv";
    /** The floor a master made from a mezzanine must pass before the mezzanine is deleted, when the hospital's is lower. */
    public static final double MEZZANINE_MIN_PSNR = 45;

    private final Recordings recordings;
    private final Hospitals hospitals;
    private final Renditions renditions;
    private final Flags flags;
    private final Vault store;
    private final Path staging;
    private final Transcoder transcoder;

    public TranscodeHandler(
            Recordings recordings,
            Hospitals hospitals,
            Renditions renditions,
            Flags flags,
            Vault store,
            Path staging,
            Transcoder.Settings settings)
            throws IOException {
        this.recordings = recordings;
        this.hospitals = hospitals;
        this.renditions = renditions;
        this.flags = flags;
        this.store = store;
        // Sources and outputs are patient video: only the server's own user may enter the scratch space.
        this.staging = PrivateFiles.directories(staging);
        this.transcoder = new Transcoder(settings);
        removeLeftovers();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(Job job, Progress progress) throws Exception {
        Recording recording = recordings
                .find(job.recordingId())
                .orElseThrow(() -> new JobFailure("recording " + job.recordingId() + " no longer exists"));
        if (recording.sourceObject() == null) {
            throw new JobFailure("recording " + recording.id() + " has no uploaded source to transcode");
        }
        Hospital hospital = hospitals
                .find(recording.hospitalId())
                .orElseThrow(() -> new JobFailure("hospital " + recording.hospitalId() + " no longer exists"));
        recordings.setStatus(recording.id(), Recording.Status.PROCESSING, null);
        // The pid in the name lets a later start on this host remove what a killed worker left behind.
        Path work = Files.createTempDirectory(
                staging, WORK_PREFIX + ProcessHandle.current().pid() + "-" + job.id() + "-");
        try {
            progress.report(0, "fetching source");
            Path source = work.resolve("source" + extension(recording.sourceName()));
            fetch(recording.sourceObject(), source);
            boolean mezzanine = isMezzanine(recording.sourceName());
            Transcoder.Result result = transcoder.transcode(
                    source,
                    recording.sourceName(),
                    mezzanine ? MasterDecision.Policy.H264_422 : policy(hospital.masterPolicy()),
                    mezzanine ? Math.max(hospital.masterMinPsnr(), MEZZANINE_MIN_PSNR) : hospital.masterMinPsnr(),
                    work.resolve("out"),
                    // The playback copies point back at this recording (docs/archive-evidence.md).
                    Payload.playback(recording.hospitalId(), recording.id()),
                    progress::report);
            recordings.setDuration(recording.id(), result.source().durationSeconds());
            progress.report(0.99, "storing outputs");
            List<Renditions.Rendition> stored = renditions(result, recording.hospitalId());
            renditions.replace(recording.id(), stored);
            List<Flags.Flag> found = new ArrayList<>();
            for (IngestChecks.Stretch s : result.flags()) {
                found.add(new Flags.Flag(s.kind(), s.start(), s.end(), s.detail()));
            }
            flags.replace(recording.id(), found);
            if (mezzanine) {
                // The first rendition is the master, one file.
                dropMezzanine(
                        recording, result, stored.getFirst().files().getFirst().sha256());
            }
            recordings.setStatus(recording.id(), Recording.Status.READY, null);
            log.info(
                    "Recording {} transcoded: master {}, {} rungs, {} flags",
                    recording.id(),
                    result.master().decision().copy() ? "kept" : "re-encoded",
                    result.rungs().size(),
                    found.size());
        } finally {
            deleteTree(work);
        }
    }

    /** Whether a source is a recorder's mezzanine, by the name its recorder gave it. */
    public static boolean isMezzanine(String sourceName) {
        return sourceName != null && sourceName.endsWith(MEZZANINE_SUFFIX);
    }

    /**
     * After the master made from a mezzanine passed its floor (the transcode failed otherwise, keeping it): the master
     * becomes the recording's source and the mezzanine's bytes go, unless something else still names them. A
     * mezzanine that was not lossless (a recorder that named an ordinary upload so) is kept: the floor then measured
     * the master against a copy, not against the camera.
     */
    private void dropMezzanine(Recording recording, Transcoder.Result result, String master)
            throws IOException, SQLException {
        Transcoder.Master m = result.master();
        if (!"ffv1".equals(result.source().video().codec()) || m.decision().copy() || m.score() == null) {
            log.warn(
                    "Recording {}: source named as a mezzanine but not FFV1 ({}): kept",
                    recording.id(),
                    result.source().video().codec());
            return;
        }
        String name = recording.sourceName();
        String masterName = name.substring(0, name.length() - MEZZANINE_SUFFIX.length()) + ".mp4";
        boolean forgotten = recordings.replaceMezzanine(recording.id(), recording.sourceObject(), master, masterName);
        if (forgotten) {
            try {
                store.delete(recording.sourceObject());
            } catch (IOException e) {
                // Unnamed by the index, so no reader reaches it; an S3 Object Lock may refuse until it ends.
                log.warn(
                        "Recording {}: the mezzanine's bytes stay in the store for now: {}",
                        recording.id(),
                        e.getMessage());
            }
        }
        log.info(
                "Recording {}: master passed at PSNR {} dB against the mezzanine, now the source; the mezzanine {}",
                recording.id(),
                String.format(Locale.ROOT, "%.2f", m.score().psnr()),
                forgotten ? "is deleted" : "stays (other rows name the same bytes)");
    }

    @Override
    public void gaveUp(Job job, String message) throws Exception {
        recordings.setStatus(job.recordingId(), Recording.Status.FAILED, message);
    }

    private List<Renditions.Rendition> renditions(Transcoder.Result result, String hospital) throws IOException {
        List<Renditions.Rendition> out = new ArrayList<>();
        Transcoder.Master m = result.master();
        var mv = m.probe().video();
        out.add(new Renditions.Rendition(
                "master",
                "master",
                mv.codec(),
                mv.profile(),
                mv.pixelFormat(),
                mv.width(),
                mv.height(),
                bitrate(mv.bitrate(), m.file(), result.source().durationSeconds()),
                m.score() == null ? null : m.score().psnr(),
                m.score() == null ? null : m.score().ssim(),
                m.decision().copy(),
                List.of(put(m.file(), m.file().getFileName().toString(), hospital))));
        for (Transcoder.Rung r : result.rungs()) {
            List<Renditions.File> files = new ArrayList<>();
            for (Path f : r.output().files()) {
                files.add(put(f, f.getFileName().toString(), hospital));
            }
            var v = r.probe().video();
            out.add(new Renditions.Rendition(
                    r.output().rung().name(),
                    "hls",
                    v.codec(),
                    v.profile(),
                    v.pixelFormat(),
                    r.output().rung().width(),
                    r.output().rung().height(),
                    r.output().peakBitrate(),
                    r.score().psnr(),
                    r.score().ssim(),
                    false,
                    files));
        }
        var sheet = result.storyboard();
        out.add(new Renditions.Rendition(
                "storyboard",
                "storyboard",
                "mjpeg",
                null,
                null,
                sheet.columns() * sheet.tileWidth(),
                sheet.rows() * sheet.tileHeight(),
                null,
                null,
                null,
                false,
                List.of(
                        put(sheet.image(), "storyboard.jpg", hospital),
                        put(sheet.json(), "storyboard.json", hospital))));
        return out;
    }

    private static Long bitrate(long probed, Path file, double seconds) throws IOException {
        return probed > 0 ? probed : Math.round(Files.size(file) * 8 / seconds);
    }

    private Renditions.File put(Path file, String name, String hospital) throws IOException {
        ObjectStore.StoredObject o = store.put(file, hospital);
        return new Renditions.File(name, o.sha256(), o.size(), Renditions.mediaType(name));
    }

    /** Copies the source object to a local file, checking that its bytes still have the SHA-256 they are named by. */
    private void fetch(String sha256, Path target) throws IOException, JobFailure {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = store.open(sha256, 0, -1);
                OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new JobFailure(
                    "the stored source " + sha256 + " reads back as " + actual + ": the object is damaged");
        }
    }

    static MasterDecision.Policy policy(Hospital.MasterPolicy p) {
        return switch (p) {
            case KEEP -> MasterDecision.Policy.KEEP;
            case H264_422 -> MasterDecision.Policy.H264_422;
            case HEVC_422 -> MasterDecision.Policy.HEVC_422;
        };
    }

    /** The source name's extension (".mp4"), so FFmpeg's probing has the usual hint; empty when odd. */
    private static String extension(String sourceName) {
        if (sourceName == null) {
            return "";
        }
        int dot = sourceName.lastIndexOf('.');
        String ext = dot < 0 ? "" : sourceName.substring(dot).toLowerCase(Locale.ROOT);
        return ext.matches("\\.[a-z0-9]{1,5}") ? ext : "";
    }

    /** Removes work directories of workers on this host whose process is gone (killed mid-job). */
    private void removeLeftovers() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(staging, WORK_PREFIX + "*")) {
            for (Path d : dirs) {
                String[] parts = d.getFileName().toString().split("-");
                Optional<ProcessHandle> owner = Optional.empty();
                try {
                    owner = ProcessHandle.of(Long.parseLong(parts[1]));
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    continue;
                }
                if (owner.isEmpty()) {
                    log.info("Removing {}, left by a worker that is gone", d.getFileName());
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot look for leftovers in {}: {}", staging, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
