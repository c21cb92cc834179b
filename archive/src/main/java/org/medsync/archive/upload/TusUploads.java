package org.medsync.archive.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.upload.UploadException.Reason;
import org.medsync.archive.vault.Intake;
import org.medsync.archive.vault.StagedBlob;
import org.medsync.archive.vault.Vault;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tus 1.0.0 server (core, creation, termination, checksum with sha256, expiration) without a web framework: the
 * server binds each HTTP method to one method here and writes back the {@link TusResponse}.
 *
 * <p>One pass: the bytes of each PATCH are hashed and sealed into the object's blob as they arrive
 * ({@link StagedBlob}: {@code <dir>/<id>.part}, with the content after its last whole chunk in {@code <id>.part.tail}),
 * so the finished staging file is the blob the store keeps, and storing it is a rename (or one stream to S3).
 *
 * <p>Durability: an upload's row is written before its 201; what a PATCH brought is synced before it is answered,
 * and the offset this server reports is what is durable in the staging files. So a server killed mid-PATCH resumes
 * from whatever reached them, and nothing it acknowledged is lost. When the last byte arrives, the whole file's
 * SHA-256 is checked against the one declared at creation, the blob moved into the object store, the recording
 * written (with the id chosen at creation, so a repeat after a crash finds it) and the listener told.
 *
 * <p>Several nodes may share {@code archive.upload.dir} (one file system all mount, like the object store): an
 * upload begun on one continues through any other. Each request of an upload holds a PostgreSQL advisory lock, and a
 * node checks its memory of an upload against the staged files before using it (docs/archive.md, "Scaling"). Without
 * a shared directory, route an upload's requests to one node.
 */
public final class TusUploads {
    private static final Logger log = LoggerFactory.getLogger(TusUploads.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    public static final String RECORDING_HEADER = "MedSync-Recording";
    public static final String EXTENSIONS = "creation,termination,checksum,expiration";
    /** How long a PATCH waits for an earlier one of the same upload (a dropped connection the server still reads). */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(15);

    /**
     * @param dir where uploads are staged ({@code <id>.part}); on the same node as the server
     * @param maxBytes the longest upload taken (Tus-Max-Size)
     * @param expiry how long an upload may rest between PATCHes before it is discarded
     * @param basePath the URL path of the upload collection (Location is {@code basePath/<id>})
     */
    public record Settings(Path dir, long maxBytes, Duration expiry, String basePath) {
        public Settings {
            Objects.requireNonNull(dir, "dir");
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("archive.upload.max-bytes must be positive");
            }
            if (expiry.isNegative() || expiry.isZero()) {
                throw new IllegalArgumentException("archive.upload.expiry must be positive");
            }
        }
    }

    private final Settings settings;
    private final Uploads uploads;
    private final Hospitals hospitals;
    private final Recordings recordings;
    private final Vault store;
    private final UploadListener listener;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final DataSource db;
    /**
     * The staged blobs of uploads in progress on this node (their digests and unsealed tail), so a PATCH needs no
     * re-read; checked against the files before each use, which another node sharing the directory may have moved on.
     */
    private final Map<String, StagedBlob> staged = new ConcurrentHashMap<>();

    /** When an uploaded recording's retention ends, as known at ingest (null: not known), for S3 Object Lock. */
    @FunctionalInterface
    public interface RetainUntil {
        Instant of(String hospitalId, String procedure, Instant startedAt) throws SQLException;
    }

    private volatile RetainUntil retainUntil = (h, p, t) -> null;

    /** Stores uploads locked until their retention end where the store locks objects (set by Archive.open). */
    public void retainUntil(RetainUntil r) {
        this.retainUntil = r;
    }

    public TusUploads(
            Settings settings,
            DataSource db,
            Hospitals hospitals,
            Recordings recordings,
            Vault store,
            UploadListener listener,
            Clock clock)
            throws IOException {
        this.settings = settings;
        this.uploads = new Uploads(db);
        this.db = db;
        this.hospitals = hospitals;
        this.recordings = recordings;
        this.store = store;
        this.listener = listener;
        this.clock = clock;
        PrivateFiles.directories(settings.dir());
    }

    /** OPTIONS: what this server supports. No Tus-Resumable needed. */
    public TusResponse options() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Tus-Version", TusHeaders.VERSION);
        h.put("Tus-Extension", EXTENSIONS);
        h.put("Tus-Max-Size", String.valueOf(settings.maxBytes()));
        h.put("Tus-Checksum-Algorithm", "sha256");
        return TusResponse.ok(204, h);
    }

    /** POST: a new upload. {@code header} gives a request header by name (case-insensitive), null if absent. */
    public TusResponse create(Uploader uploader, UnaryOperator<String> header) throws SQLException, IOException {
        try {
            TusHeaders.requireVersion(header.apply("Tus-Resumable"));
            long length = TusHeaders.uploadLength(
                    header.apply("Upload-Length"), header.apply("Upload-Defer-Length"), settings.maxBytes());
            UploadMetadata metadata = place(uploader, UploadMetadata.fromHeader(header.apply("Upload-Metadata")));
            String id = HexFormat.of().formatHex(randomBytes(16));
            Instant expires = clock.instant().plus(settings.expiry());
            uploads.create(new Uploads.Row(
                    id,
                    uploader.kind().code(),
                    uploader.id(),
                    metadata.hospital(),
                    length,
                    metadata.sha256(),
                    metadata.toMap(),
                    UUID.randomUUID().toString(),
                    Uploads.State.OPEN,
                    null,
                    null,
                    expires,
                    null));
            log.info(
                    "Upload {} started by {} {} for hospital {}: {} bytes",
                    id,
                    uploader.kind().code(),
                    uploader.id(),
                    metadata.hospital(),
                    length);
            Uploads.Row created = uploads.find(id).orElseThrow();
            Files.deleteIfExists(part(id));
            Files.deleteIfExists(StagedBlob.tailOf(part(id)));
            staged.put(id, StagedBlob.open(intake(created), part(id)));
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Location", settings.basePath() + "/" + id);
            h.put("Upload-Expires", HTTP_DATE.format(expires));
            if (length == 0) {
                // Nothing will ever be PATCHed: an empty file is complete at once.
                Recording r = finish(created);
                h.put(RECORDING_HEADER, r.id());
            }
            return TusResponse.ok(201, h);
        } catch (UploadException e) {
            return TusResponse.refused(e, Map.of());
        }
    }

    /** The hospital and room an upload is for: a device's own; for a user, one they belong to (admins: any). */
    private UploadMetadata place(Uploader uploader, UploadMetadata m) throws SQLException, UploadException {
        if (uploader.kind() == Uploader.Kind.DEVICE) {
            if (m.hospital() != null && !m.hospital().equals(uploader.deviceHospital())) {
                throw new UploadException(
                        Reason.NOT_A_MEMBER,
                        "this device records for hospital '" + uploader.deviceHospital() + "', not '" + m.hospital()
                                + "'");
            }
            return m.withPlace(
                    uploader.deviceHospital(), m.operatingRoom() == null ? uploader.deviceRoom() : m.operatingRoom());
        }
        String hospital = m.hospital();
        if (hospital == null) {
            var mine = hospitals.of(uploader.id());
            if (mine.size() != 1) {
                throw new UploadException(
                        Reason.METADATA_MISSING,
                        "metadata 'hospital' is required: say which of your hospitals the recording is for");
            }
            hospital = mine.iterator().next();
        }
        if (hospitals.find(hospital).isEmpty()) {
            throw new UploadException(Reason.UNKNOWN_HOSPITAL, "there is no hospital '" + hospital + "'");
        }
        if (!uploader.admin() && !hospitals.of(uploader.id()).contains(hospital)) {
            throw new UploadException(
                    Reason.NOT_A_MEMBER, "you are not a member of hospital '" + hospital + "'; an admin adds members");
        }
        return m.withPlace(hospital, m.operatingRoom());
    }

    /** HEAD: where the upload stands (its durable length). Finishes an upload whose last byte arrived before a crash. */
    public TusResponse head(Uploader uploader, String id, UnaryOperator<String> header)
            throws SQLException, IOException {
        Map<String, String> noStore = Map.of("Cache-Control", "no-store");
        try {
            TusHeaders.requireVersion(header.apply("Tus-Resumable"));
            Uploads.Row row = open(uploader, id);
            Map<String, String> h = new LinkedHashMap<>(noStore);
            h.put("Upload-Length", String.valueOf(row.length()));
            if (row.state() == Uploads.State.COMPLETED) {
                h.put("Upload-Offset", String.valueOf(row.length()));
                h.put(RECORDING_HEADER, row.recordingId());
                return TusResponse.ok(200, h);
            }
            // Not behind a PATCH in progress: the offset is what is on disk now. Only finishing takes the lock.
            long offset = offset(row);
            if (offset == row.length()) {
                Held lock = lock(id);
                try {
                    Uploads.Row now = open(uploader, id);
                    h.put(
                            RECORDING_HEADER,
                            now.state() == Uploads.State.COMPLETED
                                    ? now.recordingId()
                                    : finish(now).id());
                } finally {
                    lock.unlock();
                }
            } else {
                h.put("Upload-Expires", HTTP_DATE.format(row.expiresAt()));
            }
            h.put("Upload-Offset", String.valueOf(offset));
            return TusResponse.ok(200, h);
        } catch (UploadException e) {
            return TusResponse.refused(e, noStore);
        }
    }

    /**
     * PATCH: appends {@code body} at Upload-Offset. {@code body} is read to its end (the server gives the request's
     * stream, bounded by its Content-Length if it has one).
     */
    public TusResponse patch(Uploader uploader, String id, UnaryOperator<String> header, InputStream body)
            throws SQLException, IOException {
        try {
            TusHeaders.requireVersion(header.apply("Tus-Resumable"));
            TusHeaders.requireOffsetOctetStream(header.apply("Content-Type"));
            long offset = TusHeaders.uploadOffset(header.apply("Upload-Offset"));
            byte[] checksum = TusHeaders.uploadChecksum(header.apply("Upload-Checksum"));
            long contentLength = contentLength(header.apply("Content-Length"));
            Uploads.Row row = open(uploader, id);
            if (row.state() == Uploads.State.COMPLETED) {
                if (offset == row.length() && contentLength <= 0) {
                    return TusResponse.ok(
                            204,
                            Map.of("Upload-Offset", String.valueOf(row.length()), RECORDING_HEADER, row.recordingId()));
                }
                throw new UploadException(
                        Reason.OFFSET_MISMATCH,
                        "the upload is complete (" + row.length() + " bytes); it became recording "
                                + row.recordingId());
            }
            Held lock = lock(id);
            try {
                return append(row, offset, contentLength, checksum, body);
            } finally {
                lock.unlock();
            }
        } catch (UploadException e) {
            return TusResponse.refused(e, Map.of());
        }
    }

    private TusResponse append(Uploads.Row row, long offset, long contentLength, byte[] checksum, InputStream body)
            throws UploadException, IOException, SQLException {
        String id = row.id();
        StagedBlob blob = staged(row);
        long current = blob == null ? row.length() : blob.offset();
        if (offset != current) {
            throw new UploadException(
                    Reason.OFFSET_MISMATCH,
                    "Upload-Offset is " + offset + " but the upload is at byte " + current + "; continue from there");
        }
        long room = row.length() - current;
        if (contentLength > room) {
            throw new UploadException(
                    Reason.BODY_TOO_LONG,
                    "the PATCH body has " + contentLength + " bytes but only " + room + " remain of Upload-Length "
                            + row.length());
        }
        MessageDigest patchDigest = checksum == null ? null : digest();
        long written = 0;
        if (blob != null) {
            // Until the commit below, this node's state of the upload runs ahead of the files: no one else reads it.
            staged.remove(id);
            boolean keep = false;
            try {
                byte[] buffer = new byte[1 << 20];
                try {
                    for (int n; (n = body.read(buffer)) > 0; ) {
                        if (written + n > room) {
                            throw new UploadException(
                                    Reason.BODY_TOO_LONG,
                                    "the PATCH body runs past Upload-Length " + row.length()
                                            + "; its bytes were dropped");
                        }
                        blob.write(buffer, 0, n);
                        if (patchDigest != null) {
                            patchDigest.update(buffer, 0, n);
                        }
                        written += n;
                    }
                } catch (IOException e) {
                    // The client went away mid-body. Without a checksum to verify, what arrived is kept (synced
                    // below) and HEAD reports it; with one, an incomplete body cannot be verified and is dropped.
                    keep = checksum == null;
                    throw e;
                }
                if (patchDigest != null && !MessageDigest.isEqual(patchDigest.digest(), checksum)) {
                    throw new UploadException(
                            Reason.CHECKSUM_MISMATCH,
                            "the PATCH body's SHA-256 is not its Upload-Checksum; its " + written
                                    + " bytes were dropped, send them again from offset " + current);
                }
                keep = true;
            } finally {
                if (keep) {
                    blob.commit();
                } else {
                    blob.rollback();
                }
                staged.put(id, blob);
            }
        } else if (contentLength > 0 || body.read() >= 0) {
            throw new UploadException(
                    Reason.BODY_TOO_LONG, "the upload has all its " + row.length() + " bytes; this body was dropped");
        }
        long now = current + written;
        Instant expires = clock.instant().plus(settings.expiry());
        uploads.extend(id, expires);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Upload-Offset", String.valueOf(now));
        h.put("Upload-Expires", HTTP_DATE.format(expires));
        if (now == row.length()) {
            h.put(RECORDING_HEADER, finish(row).id());
        }
        return TusResponse.ok(204, h);
    }

    /**
     * The last byte is in: verify, store, record, tell. Every step can be repeated (after a crash, by the next HEAD
     * or PATCH): the store is content-addressed and the recording's id was chosen at creation.
     */
    private Recording finish(Uploads.Row row) throws UploadException, IOException, SQLException {
        String id = row.id();
        StagedBlob blob = staged(row);
        UploadMetadata m;
        try {
            m = UploadMetadata.of(row.metadata());
        } catch (UploadException e) {
            throw new IllegalStateException("upload " + id + " has metadata this server stored but cannot read", e);
        }
        Recording recording;
        try {
            Instant retain = retainUntil.of(row.hospitalId(), m.procedure(), m.startedAt());
            if (blob != null) {
                StagedBlob.Sealed sealed = blob.finish();
                if (!sealed.sha256().equals(row.sha256())) {
                    refuse(row, blob, sealed.sha256());
                }
                store.adopt(blob.intake(), sealed, blob.file(), retain);
                Files.deleteIfExists(StagedBlob.tailOf(blob.file()));
            }
            Optional<Recording> existing = recordings.find(row.recordingId());
            recording = existing.isPresent()
                    ? existing.get()
                    : recordings.create(row.recordingId(), declared(row, m), row.sha256(), row.length(), m.mediaType());
            listener.accepted(recording);
        } catch (UploadException e) {
            throw e;
        } catch (Exception e) {
            log.warn("Upload {} is complete but could not be accepted yet: {}", id, e.toString());
            throw new UploadException(
                    Reason.UNAVAILABLE,
                    "all bytes arrived and were verified, but the archive could not store them yet; HEAD the upload"
                            + " to retry",
                    e);
        }
        staged.remove(id);
        if (uploads.end(id, Uploads.State.COMPLETED, null)) {
            uploads.logAccepted(row);
        }
        store.forget(id);
        locks.remove(id);
        log.info("Upload {} became recording {} ({} bytes, sha256 {})", id, recording.id(), row.length(), row.sha256());
        return recording;
    }

    private void refuse(Uploads.Row row, StagedBlob blob, String actual)
            throws UploadException, SQLException, IOException {
        String id = row.id();
        uploads.end(id, Uploads.State.FAILED, "whole-file SHA-256 mismatch: declared " + row.sha256());
        staged.remove(id);
        blob.delete();
        store.forget(id);
        locks.remove(id);
        log.warn("Upload {} refused: its SHA-256 is {}, {} declared {}", id, actual, row.owner(), row.sha256());
        throw new UploadException(
                Reason.FILE_SHA256_MISMATCH,
                "the file's SHA-256 is " + actual + " but the metadata declared " + row.sha256()
                        + ": the upload was discarded; check the file and upload it again");
    }

    private static Recording.Declared declared(Uploads.Row row, UploadMetadata m) {
        boolean device = row.ownerKind().equals(Uploader.Kind.DEVICE.code());
        String title =
                m.title() != null ? m.title() : m.filename() != null ? m.filename() : "Recording of " + m.startedAt();
        return new Recording.Declared(
                row.hospitalId(),
                m.operatingRoom(),
                device ? row.owner() : null,
                m.operator(),
                device ? null : row.owner(),
                m.procedure(),
                m.accession(),
                m.studyUid(),
                m.patientId(),
                m.patientName(),
                m.startedAt(),
                title,
                m.filename());
    }

    /** DELETE: ends an upload and discards its bytes. */
    public TusResponse terminate(Uploader uploader, String id, UnaryOperator<String> header)
            throws SQLException, IOException {
        try {
            TusHeaders.requireVersion(header.apply("Tus-Resumable"));
            Uploads.Row row = open(uploader, id);
            if (row.state() == Uploads.State.COMPLETED) {
                throw new UploadException(
                        Reason.ALREADY_COMPLETE,
                        "the upload is complete and became recording " + row.recordingId() + "; it cannot be"
                                + " terminated");
            }
            Held lock = lock(id);
            try {
                uploads.end(id, Uploads.State.TERMINATED, "terminated by " + uploader.id());
                discard(id);
            } finally {
                lock.unlock();
                locks.remove(id);
            }
            log.info("Upload {} terminated by {}", id, uploader.id());
            return TusResponse.ok(204, Map.of());
        } catch (UploadException e) {
            return TusResponse.refused(e, Map.of());
        }
    }

    /** Discards uploads whose time ran out (the server calls this now and then); returns how many. */
    public int sweep() throws SQLException, IOException {
        int n = 0;
        for (Uploads.Row row : uploads.expired(clock.instant())) {
            if (uploads.end(row.id(), Uploads.State.EXPIRED, "no PATCH for " + settings.expiry())) {
                discard(row.id());
                n++;
            }
        }
        // Uploads another node finished or ended leave their state here: forget it.
        for (String id : staged.keySet()) {
            if (uploads.find(id).map(r -> r.state() != Uploads.State.OPEN).orElse(true)) {
                staged.remove(id);
                locks.remove(id);
            }
        }
        if (n > 0) {
            log.info("Discarded {} expired uploads", n);
        }
        return n;
    }

    /**
     * The caller's upload, open or completed. Not theirs or unknown: 404 (an upload id tells nothing about others').
     * Failed or terminated: 410. Past its expiry: discarded now, 410.
     */
    private Uploads.Row open(Uploader uploader, String id) throws UploadException, SQLException, IOException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new UploadException(Reason.NOT_FOUND, "no such upload");
        }
        Uploads.Row row = uploads.find(id)
                .filter(r -> r.ownedBy(uploader))
                .orElseThrow(() -> new UploadException(Reason.NOT_FOUND, "no such upload"));
        switch (row.state()) {
            case OPEN -> {
                if (row.expiresAt().isBefore(clock.instant())) {
                    uploads.end(id, Uploads.State.EXPIRED, "no PATCH for " + settings.expiry());
                    discard(id);
                    throw new UploadException(Reason.EXPIRED, "the upload expired and was discarded; start again");
                }
                return row;
            }
            case COMPLETED -> {
                return row;
            }
            case EXPIRED -> throw new UploadException(Reason.EXPIRED, "the upload expired and was discarded");
            case FAILED, TERMINATED ->
                throw new UploadException(
                        Reason.GONE, "the upload ended" + (row.message() == null ? "" : ": " + row.message()));
        }
        throw new IllegalStateException("unknown upload state " + row.state());
    }

    /** Forgets an upload that will not become a recording: its staged files and its data key. */
    private void discard(String id) throws IOException {
        staged.remove(id);
        Files.deleteIfExists(part(id));
        Files.deleteIfExists(StagedBlob.tailOf(part(id)));
        store.forget(id);
    }

    /** The durable offset (a staging file lost with its disk starts again at 0). */
    private long offset(Uploads.Row row) throws IOException {
        StagedBlob blob = staged(row);
        return blob == null ? row.length() : blob.offset();
    }

    /**
     * The upload's staged blob: this node's, when the files are still as it left them, else read back from them.
     * Null when there is nothing staged because the blob is in the store already (a node stopped between moving it
     * there and recording the upload complete).
     */
    private StagedBlob staged(Uploads.Row row) throws IOException {
        StagedBlob cached = staged.get(row.id());
        if (cached != null && cached.current()) {
            return cached;
        }
        staged.remove(row.id());
        Intake intake = intake(row);
        if (!Files.exists(part(row.id())) && store.adoptStored(intake).isPresent()) {
            return null;
        }
        StagedBlob blob = StagedBlob.open(intake, part(row.id()));
        staged.put(row.id(), blob);
        return blob;
    }

    private Intake intake(Uploads.Row row) throws IOException {
        return store.intake(row.id(), row.hospitalId(), row.sha256(), row.length());
    }

    /**
     * The upload's lock, on this node (a ReentrantLock) and across nodes sharing the staging directory (a PostgreSQL
     * advisory lock held by one connection for the request; a node that dies drops its connection and the lock).
     * So a PATCH resumed through another node waits for, or is refused while, one still being received elsewhere.
     */
    private Held lock(String id) throws UploadException, SQLException {
        ReentrantLock local = locks.computeIfAbsent(id, k -> new ReentrantLock());
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        try {
            if (local.tryLock(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                Connection c = null;
                try {
                    c = db.getConnection();
                    try (PreparedStatement s =
                            c.prepareStatement("select pg_try_advisory_lock(hashtextextended(?, 0))")) {
                        s.setString(1, "archive_upload:" + id);
                        while (true) {
                            try (ResultSet r = s.executeQuery()) {
                                r.next();
                                if (r.getBoolean(1)) {
                                    Held held = new Held(local, c, id);
                                    c = null;
                                    return held;
                                }
                            }
                            if (System.nanoTime() > deadline) {
                                break;
                            }
                            Thread.sleep(50);
                        }
                    }
                } finally {
                    if (c != null) {
                        c.close();
                        local.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new UploadException(
                Reason.LOCKED, "another PATCH of this upload is still being received; retry in a moment");
    }

    /** A held upload lock: both parts are released by {@link #unlock}. */
    private static final class Held {
        private final ReentrantLock local;
        private final Connection connection;
        private final String id;

        Held(ReentrantLock local, Connection connection, String id) {
            this.local = local;
            this.connection = connection;
            this.id = id;
        }

        void unlock() {
            try (connection;
                    PreparedStatement s =
                            connection.prepareStatement("select pg_advisory_unlock(hashtextextended(?, 0))")) {
                s.setString(1, "archive_upload:" + id);
                s.execute();
            } catch (SQLException e) {
                // A connection that could not unlock must not go back to the pool holding the lock.
                log.warn("Upload {}: its lock could not be released ({}); closing the connection", id, e.toString());
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // the connection is unusable either way
                }
            } finally {
                local.unlock();
            }
        }
    }

    /** The body's declared length, or -1 when unknown (chunked) or unreadable (the HTTP server refuses those). */
    private static long contentLength(String value) {
        try {
            return value == null ? -1 : Math.max(-1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Path part(String id) {
        return settings.dir().resolve(id + ".part");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
