package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.medsync.archive.audit.AuditChain;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.jobs.JobHandler;
import org.medsync.archive.vault.Vault;
import org.medsync.dicom.send.StorageClient;
import org.medsync.dicom.video.DicomVideoWriter;
import org.medsync.dicom.video.VideoInstance;
import org.medsync.dicom.video.VideoRejectedException;
import org.medsync.dicom.video.VideoSopClass;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code send-to-pacs} job: makes a DICOM video instance of a recording and stores it at a PACS by STOW-RS or
 * C-STORE. Params: {@code {"destination":"<id>","via":"stow"|"c-store","sopClass":"endoscopic"|"photographic"}}
 * (sopClass optional, endoscopic by default). The instance joins the recording's study (Study Instance UID,
 * accession, patient from the recording) in a new series. Its UIDs derive from the recording and the job, so a
 * worker that dies after sending and is replaced sends the same instance again, which the PACS keeps once.
 */
public final class SendToPacsHandler implements JobHandler {
    public static final String KIND = "send-to-pacs";
    private static final Logger log = LoggerFactory.getLogger(SendToPacsHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource db;
    private final Vault store;
    private final Map<String, PacsDestination> destinations;
    private final Path workRoot;
    private final VideoForPacs video;
    private final StowClient stow = new StowClient();

    public SendToPacsHandler(DataSource db, Vault store, Map<String, PacsDestination> destinations, Path workRoot)
            throws IOException {
        this.db = db;
        this.store = store;
        this.destinations = Map.copyOf(destinations);
        this.workRoot = workRoot;
        this.video = new VideoForPacs();
        PrivateFiles.directories(workRoot);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The job's parameters, checked before anything is done. */
    record Params(String destination, PacsDestination.Via via, VideoSopClass sopClass) {
        static Params parse(String json) throws JobFailure {
            JsonNode p;
            try {
                p = JSON.readTree(json == null ? "{}" : json);
            } catch (IOException e) {
                throw new JobFailure("the job's parameters are not JSON");
            }
            if (p == null || !p.isObject() || !p.path("destination").isTextual()) {
                throw new JobFailure("the job names no destination");
            }
            PacsDestination.Via via;
            try {
                via = PacsDestination.Via.of(p.path("via").asText("stow"));
            } catch (IllegalArgumentException e) {
                throw new JobFailure(e.getMessage());
            }
            String sop = p.path("sopClass").asText("endoscopic");
            VideoSopClass sopClass = switch (sop) {
                case "endoscopic" -> VideoSopClass.ENDOSCOPIC;
                case "photographic" -> VideoSopClass.PHOTOGRAPHIC;
                default ->
                    throw new JobFailure("sopClass must be \"endoscopic\" or \"photographic\", not \"" + sop + "\"");
            };
            return new Params(p.path("destination").asText(), via, sopClass);
        }
    }

    @Override
    public void run(Job job, Progress progress) throws Exception {
        Params params = Params.parse(job.params());
        PacsDestination destination = destinations.get(params.destination());
        if (destination == null) {
            throw new JobFailure("no PACS '" + params.destination() + "' is configured");
        }
        if (!destination.supports(params.via())) {
            throw new JobFailure("PACS '" + destination.id() + "' has no "
                    + (params.via() == PacsDestination.Via.STOW ? "DICOMweb root" : "DICOM AE (host, port, AE title)")
                    + " configured for " + params.via().code());
        }
        Recording r = new Recordings(db)
                .find(job.recordingId())
                .orElseThrow(() -> new JobFailure("the recording no longer exists"));
        if (r.anonymized()) {
            throw new JobFailure("an anonymized copy has no patient or study to file it under at a PACS");
        }
        Path work = Files.createTempDirectory(workRoot, "send-" + job.id() + "-");
        try {
            progress.report(0.05, "preparing the video");
            List<VideoForPacs.Candidate> candidates = candidates(r, work);
            if (candidates.isEmpty()) {
                throw new JobFailure("the recording has no video to send yet");
            }
            List<String> why = new ArrayList<>();
            VideoForPacs.Prepared prepared;
            try {
                prepared = video.prepare(candidates, work, why);
            } catch (VideoRejectedException e) {
                throw new JobFailure(e.getMessage(), e);
            }
            progress.report(0.6, "writing the DICOM video (" + prepared.origin() + ")");
            String hospitalName =
                    new Hospitals(db).find(r.hospitalId()).map(Hospital::name).orElse(null);
            VideoInstance instance = new VideoInstance(
                    params.sopClass(),
                    r.patientName(),
                    r.patientId(),
                    r.studyUid(),
                    r.accession(),
                    r.procedure(),
                    r.title(),
                    r.operator(),
                    hospitalName,
                    r.startedAt().atZone(ZoneId.systemDefault()),
                    uid(r.id(), job.id(), "series"),
                    uid(r.id(), job.id(), "instance"),
                    900,
                    new AnatomicRegions(db).regionOf(r.hospitalId(), r.procedure()));
            DicomVideoWriter.Written written;
            try {
                written = DicomVideoWriter.write(
                        prepared.stream(),
                        prepared.mp4(),
                        instance,
                        prepared.transferSyntax(),
                        work.resolve("video.dcm"));
            } catch (VideoRejectedException e) {
                throw new JobFailure(e.getMessage(), e);
            }
            progress.report(
                    0.8,
                    "sending to " + destination.name() + " by " + params.via().code());
            if (params.via() == PacsDestination.Via.STOW) {
                try {
                    stow.store(destination, written.file());
                } catch (StowClient.StowException e) {
                    throw new JobFailure(e.getMessage(), e);
                }
            } else {
                StorageClient.store(
                        destination.dicomAe(),
                        new StorageClient.Outgoing(
                                written.file(),
                                written.sopClassUid(),
                                written.sopInstanceUid(),
                                written.transferSyntax().uid()));
            }
            audit(r.id(), destination, params, written);
            log.info(
                    "Recording {} sent to PACS {} by {} ({}, {}, {} bytes)",
                    r.id(),
                    destination.id(),
                    params.via().code(),
                    prepared.origin(),
                    written.transferSyntax().title(),
                    written.streamBytes());
            progress.report(1, "sent to " + destination.name());
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Where a fitting H.264 may already be: the HLS rungs of 1080 lines or less (largest first; init segment and
     * media segments concatenated are one fragmented MP4), then the uploaded source, which is re-encoded if nothing
     * fits.
     */
    private List<VideoForPacs.Candidate> candidates(Recording r, Path work) throws SQLException, IOException {
        List<VideoForPacs.Candidate> out = new ArrayList<>();
        List<String> rungs = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select name from archive_rendition where recording_id = ?"
                        + " and kind = 'hls' and codec = 'h264' and height <= 1080 order by height desc")) {
            s.setString(1, r.id());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rungs.add(rs.getString(1));
                }
            }
        }
        for (String rung : rungs) {
            List<String> objects = new ArrayList<>();
            try (Connection c = db.getConnection();
                    PreparedStatement s = c.prepareStatement("select path, sha256 from archive_rendition_file"
                            + " where recording_id = ? and rendition = ? and (path = 'init.mp4' or path like '%.m4s')"
                            + " order by path = 'init.mp4' desc, path")) {
                s.setString(1, r.id());
                s.setString(2, rung);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        objects.add(rs.getString(2));
                    }
                }
            }
            if (objects.size() < 2) {
                continue;
            }
            Path file = work.resolve(rung + ".mp4");
            try (OutputStream o = Files.newOutputStream(file)) {
                for (String sha : objects) {
                    try (InputStream in = store.open(sha, 0, -1)) {
                        in.transferTo(o);
                    }
                }
            }
            out.add(new VideoForPacs.Candidate(rung, file));
        }
        if (r.sourceObject() != null) {
            Path file = work.resolve("source");
            try (InputStream in = store.open(r.sourceObject(), 0, -1)) {
                Files.copy(in, file);
            }
            out.add(new VideoForPacs.Candidate("source", file));
        }
        return out;
    }

    private void audit(String recordingId, PacsDestination d, Params p, DicomVideoWriter.Written w)
            throws SQLException {
        new AuditChain(db)
                .append(
                        "send-to-pacs",
                        "system",
                        recordingId,
                        "sent",
                        true,
                        "destination=" + d.id() + " via=" + p.via().code() + " sop=" + w.sopInstanceUid() + " ts="
                                + w.transferSyntax().uid());
    }

    /** A UID under 2.25 that is the same for the same recording, job and role. */
    static String uid(String recordingId, long jobId, String role) {
        UUID u = UUID.nameUUIDFromBytes(
                ("medsync-pacs:" + recordingId + ":" + jobId + ":" + role).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("Could not clean {}: {}", dir, e.getMessage());
        }
    }
}
