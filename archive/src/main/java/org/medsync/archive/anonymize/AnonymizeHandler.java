package org.medsync.archive.anonymize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.media.FfmpegRun;
import org.medsync.archive.media.MediaFormatException;
import org.medsync.archive.media.Probe;
import org.medsync.archive.media.Storyboard;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.library.files.PrivateFiles;

/**
 * Makes an anonymized copy's renditions (job kind {@code anonymize}, on the original recording, params
 * {@code {"copy": "<derived recording id>"}}): from the original's master (or its source before there is one),
 * the hospital's identifying regions blurred, audio dropped (a voice can name the patient), every container
 * metadata tag and chapter stripped; then an H.264 MP4 of the copy, its HLS rung and storyboard. Safe to run again:
 * the copy's renditions are replaced as a whole.
 */
public final class AnonymizeHandler implements JobHandler {
    public static final String KIND = "anonymize";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recordings recordings;
    private final Hospitals hospitals;
    private final Vault store;
    private final Renditions renditions;
    private final Path workDir;

    public AnonymizeHandler(DataSource dataSource, Vault store, Path workDir) {
        this.recordings = new Recordings(dataSource);
        this.hospitals = new Hospitals(dataSource);
        this.store = store;
        this.renditions = new Renditions(dataSource);
        this.workDir = workDir;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The job parameters naming the copy to fill. */
    public static String params(String copyId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("copy", copyId);
        return n.toString();
    }

    /** The copy's id from the job parameters; refuses anything but {"copy": "<id>"}. */
    static String copyId(String params) throws JobFailure {
        JsonNode n;
        try {
            n = JSON.readTree(params == null ? "" : params);
        } catch (IOException e) {
            throw new JobFailure("anonymize job parameters are not JSON");
        }
        if (n == null
                || !n.isObject()
                || !n.path("copy").isTextual()
                || n.path("copy").asText().isBlank()) {
            throw new JobFailure("anonymize job parameters name no copy: expected {\"copy\": \"<recording id>\"}");
        }
        String id = n.path("copy").asText();
        if (id.length() > 100) {
            throw new JobFailure("anonymize job parameters name an over-long copy id");
        }
        return id;
    }

    @Override
    public void run(Job job, Progress progress) throws Exception {
        String copyId = copyId(job.params());
        Recording original = recordings
                .find(job.recordingId())
                .orElseThrow(() -> new JobFailure("the recording to anonymize no longer exists"));
        Recording copy = recordings
                .find(copyId)
                .orElseThrow(() -> new JobFailure("the anonymized copy " + copyId + " no longer exists"));
        if (!copy.anonymized() || !original.id().equals(copy.derivedFrom())) {
            throw new JobFailure("recording " + copyId + " is not an anonymized copy of " + original.id());
        }
        Hospital hospital = hospitals
                .find(original.hospitalId())
                .orElseThrow(() -> new JobFailure("the recording's hospital no longer exists"));
        String input = inputObject(original)
                .orElseThrow(() -> new JobFailure("the recording has neither a master nor a source to anonymize"));
        PrivateFiles.directories(workDir);
        Path dir = Files.createTempDirectory(workDir, "anonymize-");
        try {
            progress.report(0.05, "fetching the original");
            Path in = dir.resolve("input");
            try (InputStream bytes = store.open(input, 0, -1)) {
                Files.copy(bytes, in, StandardCopyOption.REPLACE_EXISTING);
            }
            progress.report(0.15, "blurring identifying regions");
            Path mp4 = dir.resolve("master.mp4");
            FfmpegRun.run(anonymizeArguments(in, mp4, hospital.anonymizeRegions()));
            Probe probe = Probe.of(mp4);
            progress.report(0.7, "cutting the playback rendition");
            Path hls = Files.createDirectory(dir.resolve("hls"));
            SingleRungHls.write(mp4, hls);
            progress.report(0.85, "making the storyboard");
            // From the anonymized MP4, so the tiles are blurred too.
            Storyboard.Sheet sheet = Storyboard.make(mp4, probe, dir.resolve("storyboard"), done -> {});
            progress.report(0.95, "storing the copy");
            List<Renditions.Rendition> made = new ArrayList<>();
            made.add(video("master", "master", probe, List.of(put(mp4, "master.mp4", original.hospitalId()))));
            made.add(video("hls-" + probe.video().height(), "hls", probe, putAll(hls, original.hospitalId())));
            made.add(new Renditions.Rendition(
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
                            put(sheet.image(), "storyboard.jpg", original.hospitalId()),
                            put(sheet.json(), "storyboard.json", original.hospitalId()))));
            renditions.replace(copy.id(), made);
            recordings.setDuration(copy.id(), probe.durationSeconds());
            recordings.setStatus(copy.id(), Recording.Status.READY, null);
        } catch (FfmpegRun.Failed | MediaFormatException e) {
            // The original cannot be read or encoded: say so on the copy, where its viewers look.
            recordings.setStatus(copy.id(), Recording.Status.FAILED, "anonymizing failed: " + e.getMessage());
            throw new JobFailure("anonymizing failed: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The ffmpeg arguments that write the anonymized MP4: regions blurred, H.264 8-bit 4:2:0 with a keyframe every
     * 2 s exactly (so the HLS rung can be cut without re-encoding and seeks land within one GOP), no audio, no
     * subtitles or data streams, no metadata, no chapters, no encoder version tag.
     */
    static List<String> anonymizeArguments(Path in, Path out, List<Hospital.Region> regions) {
        return List.of(
                "-i",
                in.toString(),
                "-filter_complex",
                BlurGraph.of(regions),
                "-map",
                BlurGraph.OUTPUT,
                "-an",
                "-sn",
                "-dn",
                "-map_metadata",
                "-1",
                "-map_chapters",
                "-1",
                "-fflags",
                "+bitexact",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-force_key_frames",
                "expr:gte(t,n_forced*2)",
                "-x264-params",
                "scenecut=0:open-gop=0",
                "-movflags",
                "+faststart",
                out.toString());
    }

    /** A rendition of the copy's video, as ffprobe measured it. */
    private static Renditions.Rendition video(String name, String kind, Probe probe, List<Renditions.File> files) {
        Probe.Video v = probe.video();
        return new Renditions.Rendition(
                name,
                kind,
                v.codec(),
                v.profile(),
                v.pixelFormat(),
                v.width(),
                v.height(),
                v.bitrate() > 0 ? v.bitrate() : null,
                null,
                null,
                false,
                files);
    }

    /** The original's master if it has one (archival quality), else the file as uploaded. */
    private Optional<String> inputObject(Recording original) throws SQLException {
        Optional<String> master = renditions.of(original.id()).stream()
                .filter(r -> r.kind().equals("master") && !r.files().isEmpty())
                .map(r -> r.files().getFirst().sha256())
                .findFirst();
        return master.isPresent() ? master : Optional.ofNullable(original.sourceObject());
    }

    private Renditions.File put(Path file, String path, String hospital) throws IOException {
        ObjectStore.StoredObject o = store.put(file, hospital);
        return new Renditions.File(path, o.sha256(), o.size(), Renditions.mediaType(path));
    }

    private List<Renditions.File> putAll(Path dir, String hospital) throws IOException {
        List<Renditions.File> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                out.add(put(f, f.getFileName().toString(), hospital));
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
