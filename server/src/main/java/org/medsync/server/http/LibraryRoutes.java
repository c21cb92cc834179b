package org.medsync.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.medsync.archive.Archive;
import org.medsync.library.database.Database;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.library.source.SourceException;
import org.medsync.library.source.StudySource;
import org.medsync.library.source.StudySummary;
import org.medsync.library.store.StoreException;
import org.medsync.server.api.ApiError;
import org.medsync.server.archive.ArchiveViewers;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sources, the merged worklist and uploads into the local library. */
final class LibraryRoutes {
    private static final Logger log = LoggerFactory.getLogger(LibraryRoutes.class);
    static final String UPLOADS = "/api/library/uploads";
    /** On a worklist that lacks some sources' studies: the ids of the sources that failed (/api/sources/status says why). */
    static final String UNAVAILABLE_SOURCES = "X-MedSync-Unavailable-Sources";

    static final String WORKLIST = "/api/worklist";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, StudySource> sources;
    private final StudyImporter importer;
    private final JsonDeidentifier deidentifier;
    private final long uploadMaxBytes;
    /** Null when the archive is not wired (tests of the library alone). */
    private final Archive archive;

    private final Map<String, String> sourceErrors = new ConcurrentHashMap<>();

    LibraryRoutes(
            Map<String, StudySource> sources,
            StudyImporter importer,
            JsonDeidentifier deidentifier,
            long uploadMaxBytes,
            Archive archive) {
        this.sources = sources;
        this.importer = importer;
        this.deidentifier = deidentifier;
        this.uploadMaxBytes = uploadMaxBytes;
        this.archive = archive;
    }

    void register(Javalin app) {
        Role[] readers = Access.roles(Role.READERS);
        app.get(
                "/api/sources",
                ctx -> ctx.json(sources.values().stream().map(StudySource::info).toList()),
                readers);
        app.get(
                "/api/sources/status",
                ctx -> {
                    Map<String, Object> status = new LinkedHashMap<>();
                    sources.keySet().forEach(id -> status.put(id, sourceErrors.getOrDefault(id, "ok")));
                    ctx.json(status);
                },
                readers);
        app.get(WORKLIST, this::worklist, readers);
        app.before(UPLOADS, this::refuseOversized);
        app.post(UPLOADS, this::upload, Access.roles(Role.CLINICIANS));
    }

    private void worklist(Context ctx) throws SourceException, SQLException {
        String q = ctx.queryParam("q");
        String only = ctx.queryParam("source");
        int limit = Math.clamp(parseInt(ctx.queryParam("limit"), 100), 1, 1000);
        boolean deidentify = Access.user(ctx).role().seesDeidentified();
        List<StudySummary> all = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        SourceException lastFailure = null;
        int answered = 0;
        for (StudySource s : sources.values()) {
            String id = s.info().id();
            if (only != null && !only.isBlank() && !only.equals(id)) {
                continue;
            }
            try {
                all.addAll(s.worklist(deidentify ? null : q, deidentify ? 1000 : limit));
                sourceErrors.remove(id);
                answered++;
            } catch (SourceException e) {
                if (Database.isOutage(e)) {
                    throw e; // 503: the installation is down, not one PACS
                }
                // One PACS down must not empty the worklist: show what the others have and say which one failed.
                sourceErrors.put(id, e.getMessage());
                failed.add(id);
                lastFailure = e;
                log.warn("Source {} failed for the worklist: {}", id, e.getMessage());
            }
        }
        if (answered == 0 && lastFailure != null) {
            throw lastFailure; // every source asked failed: an error, never an empty list
        }
        if (!failed.isEmpty()) {
            ctx.header(UNAVAILABLE_SOURCES, String.join(",", failed));
        }
        var stream = all.stream();
        if (deidentify) {
            // Search on de-identified values only, so a student cannot probe for a patient's name: the text
            // matches what the line shows them (the pseudonym), never the stored name, ID or description.
            stream = stream.map(deidentifier::apply).filter(s -> s.matches(q));
        }
        List<StudySummary> page = stream.sorted(
                        Comparator.comparing((StudySummary s) -> s.studyDate() == null ? "" : s.studyDate())
                                .reversed())
                .limit(limit)
                .toList();
        ctx.json(withRecordings(page, Access.user(ctx), deidentify));
    }

    /**
     * Each study with {@code recordings}: how many of its archived recordings this user may see. De-identified
     * viewers see only anonymized copies, which carry no study UID, so for them it is 0 (and nothing is asked).
     */
    private List<ObjectNode> withRecordings(List<StudySummary> page, Accounts.User user, boolean deidentified)
            throws SQLException {
        Map<String, Integer> counts = Map.of();
        if (archive != null && !deidentified && !page.isEmpty()) {
            Set<String> uids = new HashSet<>();
            page.forEach(s -> uids.add(s.studyInstanceUid()));
            uids.remove(null);
            counts = archive.privileges().countsByStudy(ArchiveViewers.of(user, archive.hospitals()), uids);
        }
        List<ObjectNode> out = new ArrayList<>(page.size());
        for (StudySummary s : page) {
            ObjectNode n = JSON.valueToTree(s);
            n.put("recordings", s.studyInstanceUid() == null ? 0 : counts.getOrDefault(s.studyInstanceUid(), 0));
            out.add(n);
        }
        return out;
    }

    private void refuseOversized(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > uploadMaxBytes) {
            throw new ApiError(
                    413, "upload-too-large", "the upload is " + length + " bytes; the limit is " + uploadMaxBytes);
        }
    }

    private void upload(Context ctx) throws IOException {
        if (!ctx.isMultipartFormData()) {
            throw new ApiError(400, "bad-request", "send multipart/form-data with one or more 'file' parts");
        }
        List<UploadedFile> files = ctx.uploadedFiles("file");
        if (files.isEmpty()) {
            throw new ApiError(400, "bad-request", "no 'file' part in the upload");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("medsync-upload-");
        } catch (IOException e) {
            throw storeUnavailable(new StoreException("create an upload directory", e));
        }
        try {
            List<StudyImporter.Candidate> candidates = new ArrayList<>();
            int n = 0;
            for (UploadedFile f : files) {
                Path tmp = dir.resolve("upload-" + (n++) + ".part");
                try (InputStream in = f.content()) {
                    Files.copy(in, tmp);
                }
                candidates.add(new StudyImporter.Candidate(tmp, displayName(f.filename())));
            }
            ImportReport report;
            try {
                report = importer.importFiles(candidates);
            } catch (StoreException e) {
                throw storeUnavailable(e); // the importer logged it
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            // A file that contradicts what is stored (another patient's study, other bytes under a stored SOP
            // Instance UID) is a conflict, not a bad file: 409, with the per-file report; the others were imported.
            report.firstConflict().ifPresent(c -> {
                ctx.status(409);
                answer.put("error", c.reason());
                answer.put("message", c.file() + ": " + c.message());
            });
            answer.put("imported", report.imported());
            answer.put("duplicates", report.duplicates());
            answer.put(
                    "rejected",
                    report.rejected().stream()
                            .map(r -> Map.of("file", r.file(), "reason", r.reason(), "message", r.message()))
                            .toList());
            ctx.json(answer);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Our store failed (a full disk, say), not the upload: 507, and no file is reported refused. The failed batch
     * left nothing; the message has the step and the system's reason, no path.
     */
    private static ApiError storeUnavailable(StoreException e) {
        return new ApiError(
                507,
                "store-unavailable",
                "the server cannot store uploads: " + e.getMessage()
                        + "; nothing of this upload was refused, send it again once an administrator has fixed the store");
    }

    private static String displayName(String name) {
        if (name == null || name.isBlank()) {
            return "(unnamed)";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        return base.length() > 200 ? base.substring(0, 200) : base;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "bad-request", "limit must be a whole number");
        }
    }
}
