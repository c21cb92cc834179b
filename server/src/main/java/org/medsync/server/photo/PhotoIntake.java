package org.medsync.server.photo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.medsync.dicom.derived.SecondaryCapture;
import org.medsync.library.StudyLibrary;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.InstanceRow;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.decode.PhotoDecoder;
import org.medsync.photo.decode.PhotoException;
import org.medsync.photo.fiducial.FiducialFinder;
import org.medsync.photo.fiducial.FiducialFix;
import org.medsync.photo.image.Classifier;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Read;
import org.medsync.photo.image.Restorer;
import org.medsync.photo.quality.QualityGate;
import org.medsync.photo.quality.QualityProblem;
import org.medsync.photo.quality.QualityReport;
import org.medsync.photo.rectify.Corners;
import org.medsync.photo.rectify.Rectifier;
import org.medsync.photo.rectify.ScreenFinder;
import org.medsync.photo.rectify.ScreenQuad;
import org.medsync.photo.request.Attachment;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Photos of a screen, from upload to Secondary Capture (docs/photo-intake.md). The upload is checked (decoded under
 * the decoder's limits) before it is answered; finding the screen, the quality gate, rectification, restoration and
 * the Secondary Capture run afterwards on a small bounded pool, never on the HTTP thread. Every step records its
 * outcome in the photo table, so the page polls the state and a failure leaves status "failed" with its reason while
 * the original stays.
 */
public final class PhotoIntake implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PhotoIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longer side of a rectified image when the source's size is unknown (docs/photo-intake.md). */
    static final int DEFAULT_LONG_SIDE = 512;
    /** The Series Number of the photo series made in a study (high, so it sorts after the acquired series). */
    static final int SERIES_NUMBER = 9001;

    private final PhotoRecords records;
    private final PhotoFiles files;
    private final PhotoModeTokens tokens;
    private final StudyLibrary library;
    private final String localSource;
    private final Optional<Restorer> restorer;
    private final Optional<Classifier> classifier;
    private final ThreadPoolExecutor pool;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** One uploaded file, as the route received it. */
    public record Upload(byte[] bytes, String filename) {}

    public PhotoIntake(DataSource db, Path photoDir, StudyLibrary library, int threads, int queue, Clock clock)
            throws IOException {
        this(
                db,
                photoDir,
                library,
                threads,
                queue,
                clock,
                ServiceLoader.load(Restorer.class).findFirst(),
                installedClassifier());
    }

    /** The first installed classifier; one that cannot load its model leaves the AI read off, not the server down. */
    private static Optional<Classifier> installedClassifier() {
        try {
            return ServiceLoader.load(Classifier.class).findFirst();
        } catch (ServiceConfigurationError | RuntimeException e) {
            log.warn("AI read not available: the installed classifier did not load: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** With the restorer given and no AI read (tests of the wiring). */
    PhotoIntake(
            DataSource db,
            Path photoDir,
            StudyLibrary library,
            int threads,
            int queue,
            Clock clock,
            Optional<Restorer> restorer)
            throws IOException {
        this(db, photoDir, library, threads, queue, clock, restorer, Optional.empty());
    }

    /**
     * With the restorer and the classifier given (the public constructor finds both with ServiceLoader; tests of the
     * wiring give theirs).
     */
    PhotoIntake(
            DataSource db,
            Path photoDir,
            StudyLibrary library,
            int threads,
            int queue,
            Clock clock,
            Optional<Restorer> restorer,
            Optional<Classifier> classifier)
            throws IOException {
        this.records = new PhotoRecords(db);
        this.files = new PhotoFiles(photoDir);
        this.tokens = new PhotoModeTokens(db, clock);
        this.library = library;
        this.localSource = library.source().info().id();
        this.restorer = restorer;
        this.classifier = classifier;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool =
                new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "photo-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        log.info(
                "Photo intake: {} worker(s); restoration {}; AI read {}",
                threads,
                restorer.map(Restorer::description).orElse("not installed"),
                classifier.map(Classifier::description).orElse("not installed"));
    }

    /** Processes again the photos a stopped server left half-done (from their stored originals). */
    public void resumeUnfinished() {
        try {
            for (String id : records.unfinished()) {
                submit(() -> processStored(id, null));
            }
        } catch (SQLException | RejectedExecutionException e) {
            log.warn("Unfinished photos could not be resumed now: {}", e.getMessage());
        }
    }

    public PhotoModeTokens tokens() {
        return tokens;
    }

    public Optional<String> restorerDescription() {
        return restorer.map(Restorer::description);
    }

    public Optional<String> classifierDescription() {
        return classifier.map(Classifier::description);
    }

    // ---------------------------------------------------------------------------------------------- upload

    /**
     * Checks and stores {@code uploads} (all or none: one bad file refuses the upload with the decoder's reason),
     * then queues their processing. The photos as they stand, in order.
     */
    public List<PhotoRecord> accept(Accounts.User sender, List<Upload> uploads, String attachTo, String note)
            throws SQLException, IOException {
        Attachment attachment;
        try {
            attachment = Attachment.parse(attachTo);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-attachment", e.getMessage());
        }
        if (note != null && note.length() > 2000) {
            throw new ApiError(400, "bad-request", "the note is longer than 2000 characters");
        }
        String studyUid = switch (attachment.kind()) {
            case STUDY -> {
                if (study(attachment.ref()).isEmpty()) {
                    throw new ApiError(404, "unknown-study", "no such study in the library");
                }
                yield attachment.ref();
            }
            case READOUT -> {
                if (!records.readoutExists(attachment.ref())) {
                    throw new ApiError(404, "unknown-readout", "no such readout");
                }
                yield records.readoutStudy(attachment.ref(), localSource).orElse(null);
            }
            // A new consult: its Secondary Captures open a new study, planned now so a batch shares it.
            case CONSULT -> null;
        };
        List<DecodedPhoto> decoded = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            decoded.add(decode(uploads.get(i), i, uploads.size()));
        }
        String batch = newId();
        String seriesUid = SecondaryCapture.newUid();
        // No study to file into (a consult, a readout without a library study): a new study, shared by the batch.
        String newStudy = studyUid == null ? SecondaryCapture.newUid() : null;
        List<PhotoRecord> out = new ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            DecodedPhoto d = decoded.get(i);
            String id = newId();
            files.write(id, PhotoFiles.Kind.ORIGINAL, d.strippedOriginal());
            PhotoRecord r = new PhotoRecord(
                    id,
                    batch,
                    i,
                    sender.username(),
                    attachment,
                    note == null || note.isBlank() ? null : note.strip(),
                    d.mediaType(),
                    d.orientation(),
                    d.width(),
                    d.height(),
                    PhotoStatus.RECEIVED,
                    "[]",
                    null,
                    null,
                    studyUid != null ? studyUid : newStudy,
                    null,
                    null,
                    null,
                    seriesUid,
                    null,
                    null,
                    null,
                    null,
                    clock.instant(),
                    null);
            records.insert(r);
            out.add(r);
        }
        for (int i = 0; i < out.size(); i++) {
            String id = out.get(i).id();
            DecodedPhoto d = decoded.get(i);
            try {
                submit(() -> process(id, d, null));
            } catch (RejectedExecutionException e) {
                // Stored, not lost: it waits as "received" and the next start (or a corners post) processes it.
                log.warn("Photo {} queued for later: the photo workers are busy", id);
            }
        }
        return out;
    }

    private DecodedPhoto decode(Upload u, int index, int count) {
        Future<DecodedPhoto> f;
        try {
            f = pool.submit(() -> new PhotoDecoder().decode(u.bytes()));
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PhotoException pe) {
                String which = count > 1 ? "photo " + (index + 1) + " of " + count + ": " : "";
                int status = pe.reason().code().equals("too-large") ? 413 : 400;
                throw new ApiError(status, pe.reason().code(), which + pe.getMessage());
            }
            throw new IllegalStateException("the photo could not be decoded", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "busy", "the server is stopping");
        }
    }

    private static ApiError busy() {
        return new ApiError(503, "busy", "the server is processing many photos; send again in a minute");
    }

    private void submit(Runnable task) {
        pool.execute(task);
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---------------------------------------------------------------------------------------------- access

    public PhotoRecord get(String id) throws SQLException {
        if (!PhotoModeTokens.wellFormed(id)) {
            throw new ApiError(404, "unknown-photo", "no such photo");
        }
        return records.find(id).orElseThrow(() -> new ApiError(404, "unknown-photo", "no such photo"));
    }

    /**
     * The sender sees their photo; so does any user allowed the study it is filed in (every signed-in reader of the
     * library; readout guests never reach these routes). A consult's photo is its sender's alone until its Secondary
     * Capture is in the library.
     */
    public boolean maySee(Accounts.User user, PhotoRecord p) throws SQLException {
        return p.sender().equals(user.username())
                || (p.studyUid() != null && study(p.studyUid()).isPresent());
    }

    public Optional<byte[]> image(PhotoRecord p, PhotoFiles.Kind kind) throws IOException {
        return files.read(p.id(), kind);
    }

    boolean hasImage(PhotoRecord p, PhotoFiles.Kind kind) {
        return files.exists(p.id(), kind);
    }

    /** Manual corners from the page ({@code [[x,y] x4]}, TL, TR, BR, BL in photo pixels): rectify with them. */
    public PhotoRecord corners(Accounts.User user, String id, double[][] xy) throws SQLException {
        PhotoRecord p = get(id);
        if (!p.sender().equals(user.username())) {
            throw new ApiError(403, "forbidden", "only the sender may set a photo's corners");
        }
        if (!p.status().acceptsCorners()) {
            throw new ApiError(
                    409, "photo-done", "the photo is " + p.status().wireName() + ": corners are not taken now");
        }
        Corners corners;
        try {
            corners = Corners.of(xy);
            corners.check(p.photoWidth(), p.photoHeight());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-corners", e.getMessage());
        }
        records.update(id, PhotoRecords.Step.status(PhotoStatus.RECEIVED));
        try {
            submit(() -> processStored(id, corners));
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        return get(id);
    }

    public String issueToken(Accounts.User user, String studyUid, String seriesUid, String sopUid) throws SQLException {
        InstanceRow i = instance(studyUid, seriesUid, sopUid)
                .orElseThrow(() -> new ApiError(404, "unknown-instance", "no such instance in the library"));
        return tokens.issue(
                user.username(),
                new PhotoModeTokens.Target(studyUid, seriesUid, sopUid, i.sopClassUid(), user.username()));
    }

    /** Whether the QR of this token may be drawn for this user: its own tokens only. */
    public boolean ownsToken(Accounts.User user, String token) throws SQLException {
        return tokens.resolve(token)
                .map(t -> t.issuedTo().equals(user.username()))
                .orElse(false);
    }

    // ---------------------------------------------------------------------------------------------- processing

    private void processStored(String id, Corners manual) {
        try {
            PhotoRecord p = get(id);
            byte[] original = files.read(id, PhotoFiles.Kind.ORIGINAL)
                    .orElseThrow(() -> new IOException("the stored original is missing"));
            DecodedPhoto d = new PhotoDecoder().decode(original, p.orientation());
            process(id, d, manual);
        } catch (Exception e) {
            fail(id, e);
        }
    }

    private void process(String id, DecodedPhoto d, Corners manual) {
        try {
            PhotoRecord p = get(id);
            Located where = locate(p, d, manual);
            ObjectNode quad = JSON.createObjectNode();
            ArrayNode cs = quad.putArray("corners");
            for (double[] c : where.quad().corners().toArray()) {
                cs.addArray().add(c[0]).add(c[1]);
            }
            quad.put("confidence", where.quad().confidence());
            QualityReport report = new QualityGate().judge(d, where.quad());
            List<QualityProblem> problems = report.problems().stream()
                    // Corners a person placed, or read from the markers, are sure whatever the edge finder thought.
                    .filter(q -> !(where.sure() && q.code().equals("low-confidence")))
                    .toList();
            ArrayNode problemsJson = JSON.createArrayNode();
            for (QualityProblem q : problems) {
                problemsJson
                        .addObject()
                        .put("code", q.code())
                        .put("measured", q.measured())
                        .put("limit", q.limit())
                        .put("message", q.message());
            }
            PhotoRecords.Step located = new PhotoRecords.Step(
                    PhotoStatus.RECEIVED,
                    problemsJson.toString(),
                    quad.toString(),
                    where.source(),
                    where.studyUid(),
                    where.seriesUid(),
                    where.sopUid(),
                    where.sopClassUid(),
                    null,
                    null,
                    null,
                    null);
            if (!problems.isEmpty()) {
                boolean onlyConfidence =
                        problems.stream().allMatch(q -> q.code().equals("low-confidence"));
                records.update(
                        id, withStatus(located, onlyConfidence ? PhotoStatus.NEEDS_CORNERS : PhotoStatus.RETAKE));
                return;
            }
            int[] size = outputSize(where);
            GrayImage rectified = new Rectifier().rectify(d, where.quad().corners(), size[0], size[1]);
            files.write(id, PhotoFiles.Kind.RECTIFIED, PhotoFiles.png(rectified));
            records.update(id, withStatus(located, PhotoStatus.RECTIFIED));
            GrayImage finalImage = rectified;
            String restoredBy = null;
            if (restorer.isPresent()) {
                finalImage = restorer.get().restore(rectified);
                restoredBy = restorer.get().description();
                files.write(id, PhotoFiles.Kind.RESTORED, PhotoFiles.png(finalImage));
                records.update(
                        id,
                        new PhotoRecords.Step(
                                PhotoStatus.RESTORED,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                restoredBy,
                                null,
                                null));
            }
            if (classifier.isPresent()) {
                records.saveRead(id, aiRead(id, classifier.get(), finalImage));
            }
            String sop = storeSecondaryCapture(get(id), finalImage, size, restoredBy);
            records.update(
                    id,
                    new PhotoRecords.Step(
                            PhotoStatus.STORED, null, null, null, null, null, null, null, sop, null, null, null));
        } catch (Exception e) {
            fail(id, e);
        }
    }

    /**
     * The AI read of the image that goes into the library, as the JSON the photo's status carries. Made before the
     * Secondary Capture is stored, so the page that polls until "stored" always sees it. A read that fails is
     * recorded as failed and does not stop the photo: the read supports a reader, the image is what matters.
     */
    static String aiRead(String id, Classifier classifier, GrayImage image) {
        ObjectNode o = JSON.createObjectNode();
        o.put("label", Classifier.LABEL);
        o.put("model", classifier.description());
        o.put("finding", classifier.finding());
        long t0 = System.nanoTime();
        try {
            Read r = classifier.read(image);
            o.put("score", Math.round(r.score() * 1000) / 1000.0);
            o.putObject("region").put("x", r.x()).put("y", r.y()).put("size", r.size());
        } catch (RuntimeException e) {
            log.warn("Photo {}: the AI read failed: {}", id, e.getMessage());
            o.put("error", "the AI read failed: " + e.getMessage());
        }
        o.put("ms", (System.nanoTime() - t0) / 1_000_000);
        return o.toString();
    }

    private static PhotoRecords.Step withStatus(PhotoRecords.Step s, PhotoStatus status) {
        return new PhotoRecords.Step(
                status,
                s.problemsJson(),
                s.quadJson(),
                s.cornersSource(),
                s.studyUid(),
                s.sourceSeries(),
                s.sourceSop(),
                s.sourceSopClass(),
                s.scSopUid(),
                s.restorer(),
                null,
                null);
    }

    /** Where the image lies in the photo, how sure that is, and which instance it shows when known. */
    private record Located(
            ScreenQuad quad,
            boolean sure,
            String source,
            String studyUid,
            String seriesUid,
            String sopUid,
            String sopClassUid,
            Integer rows,
            Integer columns) {}

    private Located locate(PhotoRecord p, DecodedPhoto d, Corners manual) throws SQLException {
        Optional<FiducialFix> fix = new FiducialFinder().find(d);
        Optional<PhotoModeTokens.Target> target = Optional.empty();
        if (fix.isPresent() && fix.get().token().isPresent()) {
            target = tokens.resolve(fix.get().token().get())
                    // The token links the photo only to a study its sender is allowed (one in the library), and never
                    // moves a photo its sender filed in one study into another.
                    .filter(t -> uncheckedStudy(t.studyUid()).isPresent())
                    .filter(t -> p.attachment().kind() != Attachment.Kind.STUDY
                            || t.studyUid().equals(p.studyUid()));
        }
        Optional<InstanceRow> source = target.flatMap(t -> uncheckedInstance(t.studyUid(), t.seriesUid(), t.sopUid()));
        String studyUid = source.map(InstanceRow::studyUid).orElse(null);
        String series = source.map(InstanceRow::seriesUid).orElse(null);
        String sop = source.map(InstanceRow::sopUid).orElse(null);
        String sopClass = source.map(InstanceRow::sopClassUid).orElse(null);
        Integer rows = source.map(InstanceRow::rows).orElse(null);
        Integer cols = source.map(InstanceRow::columns).orElse(null);
        if (manual != null) {
            return new Located(
                    new ScreenQuad(manual, 1.0), true, "manual", studyUid, series, sop, sopClass, rows, cols);
        }
        if (fix.isPresent()) {
            return new Located(
                    new ScreenQuad(fix.get().corners(), 1.0),
                    true,
                    "fiducial",
                    studyUid,
                    series,
                    sop,
                    sopClass,
                    rows,
                    cols);
        }
        return new Located(new ScreenFinder().find(d), false, "auto", null, null, null, null, null, null);
    }

    /** The source's size when known, else the quad's aspect with the longer side {@link #DEFAULT_LONG_SIDE}. */
    static int[] outputSize(Integer rows, Integer columns, Corners c) {
        if (rows != null && columns != null && rows > 0 && columns > 0) {
            return new int[] {columns, rows};
        }
        double w = Math.max(1, c.meanWidth());
        double h = Math.max(1, c.meanHeight());
        double scale = DEFAULT_LONG_SIDE / Math.max(w, h);
        return new int[] {Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale))};
    }

    private static int[] outputSize(Located where) {
        return outputSize(where.rows(), where.columns(), where.quad().corners());
    }

    private String storeSecondaryCapture(PhotoRecord p, GrayImage image, int[] size, String restoredBy)
            throws IOException, SQLException {
        String sop = SecondaryCapture.newUid();
        SecondaryCapture.Study study =
                study(p.studyUid()).map(PhotoIntake::scStudy).orElseGet(() -> consultStudy(p));
        SecondaryCapture.SourceImage source = p.sourceSopUid() != null && p.sourceSopClassUid() != null
                ? new SecondaryCapture.SourceImage(p.sourceSopClassUid(), p.sourceSopUid())
                : null;
        String derivation = "Photograph of a screen (MedSync photo intake); screen corners "
                + switch (p.cornersSource() == null ? "auto" : p.cornersSource()) {
                    case "fiducial" -> "from the viewer's photo-mode markers";
                    case "manual" -> "placed by the sender";
                    default -> "found automatically";
                }
                + "; perspective removed (rectified, OpenCV warpPerspective) to " + size[0] + "x" + size[1]
                + (restoredBy != null ? "; restored by " + restoredBy : "; not restored (no restorer installed)");
        byte[] dicom = SecondaryCapture.write(new SecondaryCapture.Request(
                PhotoFiles.bytes8(image),
                image.width(),
                image.height(),
                study,
                p.scSeriesUid(),
                SERIES_NUMBER,
                sop,
                p.position() + 1,
                source,
                derivation,
                "image/jpeg".equals(p.mediaType()) ? "ISO_10918_1" : null,
                "MedSync photo " + p.id(),
                ZonedDateTime.now(clock)));
        Path tmp = Files.createTempFile("medsync-photo-", ".dcm");
        try {
            Files.write(tmp, dicom);
            ImportReport report = library.importer()
                    .importFiles(List.of(new StudyImporter.Candidate(tmp, "photo-" + p.id() + ".dcm")));
            if (!report.rejected().isEmpty()) {
                ImportReport.Rejection r = report.rejected().getFirst();
                throw new IOException("the library refused the Secondary Capture (" + r.reason() + "): " + r.message());
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return sop;
    }

    private static SecondaryCapture.Study scStudy(StudyRow s) {
        return new SecondaryCapture.Study(
                s.studyUid(),
                s.patientName(),
                s.patientId(),
                s.patientBirthDate(),
                s.patientSex(),
                s.studyDate(),
                s.studyTime(),
                s.accessionNumber(),
                s.studyId(),
                s.referringPhysician(),
                s.description());
    }

    /** A consult's new study: no patient is known, so the patient is named by the consult (documented). */
    private static SecondaryCapture.Study consultStudy(PhotoRecord p) {
        String ref = p.batchId().substring(0, 8);
        return new SecondaryCapture.Study(
                p.studyUid(),
                "Consult^Photo " + ref,
                "CONSULT-" + ref,
                null,
                null,
                null,
                null,
                null,
                ref,
                null,
                "Photo consult");
    }

    private void fail(String id, Exception e) {
        String code = e instanceof PhotoException pe ? pe.reason().code() : "processing-failed";
        String message = e instanceof PhotoException || e instanceof ApiError
                ? e.getMessage()
                : "the server could not finish this photo (" + e.getClass().getSimpleName()
                        + "); the original is kept: send corners again or retake";
        // The id and the failure's class only: messages of lower layers may hold a UID, never a name, but stay out.
        log.warn("Photo {} failed: {}", id, e.getClass().getSimpleName(), e);
        try {
            records.update(
                    id,
                    new PhotoRecords.Step(
                            PhotoStatus.FAILED, null, null, null, null, null, null, null, null, null, code, message));
        } catch (SQLException s) {
            log.error("Photo {} failed and its status could not be recorded: {}", id, s.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- library

    private Optional<StudyRow> study(String uid) throws SQLException {
        if (uid == null) {
            return Optional.empty();
        }
        List<StudyRow> rows =
                library.index().findStudies(new StudyQuery(null, uid, null, null, null, null, null, null, 1, 0));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private Optional<InstanceRow> instance(String study, String series, String sop) throws SQLException {
        return library.index().findInstance(study, series, sop);
    }

    private Optional<StudyRow> uncheckedStudy(String uid) {
        try {
            return study(uid);
        } catch (SQLException e) {
            throw new IllegalStateException("the library index failed: " + e.getMessage(), e);
        }
    }

    private Optional<InstanceRow> uncheckedInstance(String study, String series, String sop) {
        try {
            return instance(study, series, sop);
        } catch (SQLException e) {
            throw new IllegalStateException("the library index failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
