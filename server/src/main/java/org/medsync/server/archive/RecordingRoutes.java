package org.medsync.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.access.ByteRange;
import org.medsync.archive.access.Grants;
import org.medsync.archive.access.Playback;
import org.medsync.archive.access.Privileges;
import org.medsync.archive.access.RecordingSearch;
import org.medsync.archive.access.ShareLinks;
import org.medsync.archive.access.Viewer;
import org.medsync.archive.anonymize.Anonymizations;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.archive.vault.Vault;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * The recordings of the archive for users and share-link holders (docs/archive-api.md "Recordings"): search,
 * detail, HLS playback with ranged files, grants, links, anonymization. What a caller may see is decided by
 * {@link Privileges} alone; a recording the caller may not see answers 404 exactly like one that does not exist,
 * and every view, share, link use, download and refusal is appended to the access log.
 */
public final class RecordingRoutes {
    public static final String RECORDINGS = "/api/archive/recordings";
    static final String LINKS = "/api/archive/links";
    /** The longest a grant or link may run: a share is for a consultation or a course, not for ever. */
    static final Duration MAX_SHARE = Duration.ofDays(366);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_FOUND = "no such recording";

    private final Archive archive;
    private final Accounts accounts;
    private final Function<Context, Accounts.User> currentUser;
    private final Hospitals hospitals;
    private final Recordings recordings;
    private final Privileges privileges;
    private final Grants grants;
    private final ShareLinks links;
    private final AccessLog log;
    private final Playback playback;
    private final Anonymizations anonymizations;
    private final Vault store;

    /** {@code currentUser}: the logged-in user of a request the access check has admitted. */
    public RecordingRoutes(Archive archive, Accounts accounts, Function<Context, Accounts.User> currentUser) {
        this.archive = archive;
        this.accounts = accounts;
        this.currentUser = currentUser;
        var db = archive.dataSource();
        this.hospitals = new Hospitals(db);
        this.recordings = new Recordings(db);
        this.privileges = new Privileges(db, archive.clock());
        this.grants = new Grants(db, archive.clock());
        this.links = new ShareLinks(db, archive.clock());
        this.log = new AccessLog(db);
        this.playback = new Playback(db, archive.jobs());
        this.anonymizations = new Anonymizations(archive.recordings(), archive.jobs());
        this.store = archive.vault();
    }

    public void register(Javalin app) {
        // Every role reaches every route: what a role may do with a recording is decided per recording below, so a
        // refusal is logged and an invisible recording answers 404 whatever the role.
        Role[] readers = Role.READERS.toArray(Role[]::new);
        app.get(RECORDINGS, this::list, readers);
        app.get(RECORDINGS + "/{id}", this::detail, readers);
        app.get(RECORDINGS + "/{id}/playlist.m3u8", this::playlist, readers);
        app.get(RECORDINGS + "/{id}/renditions/{name}/{path}", this::file, readers);
        app.get(RECORDINGS + "/{id}/shares", this::shares, readers);
        app.post(RECORDINGS + "/{id}/grants", this::grant, readers);
        app.delete("/api/archive/grants/{grantId}", this::revokeGrant, readers);
        app.post(RECORDINGS + "/{id}/links", this::createLink, readers);
        app.delete(LINKS + "/{token}", this::revokeLink, readers);
        app.post(RECORDINGS + "/{id}/anonymize", this::anonymize, readers);
        app.get(LINKS + "/{token}", this::linkSummary, Role.ANYONE);
        app.get(LINKS + "/{token}/playlist.m3u8", this::linkPlaylist, Role.ANYONE);
        app.get(LINKS + "/{token}/renditions/{name}/{path}", this::linkFile, Role.ANYONE);
    }

    // ---- users ----

    private void list(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        RecordingSearch search;
        try {
            search = RecordingSearch.parse(ctx.queryParamMap());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-request", e.getMessage());
        }
        List<Recording> found;
        try {
            found = privileges.search(v, search);
        } catch (Privileges.IdentifyingKey e) {
            log.user(v, null, "search", false, "identifying search key");
            throw new ApiError(400, "identifying-match-key", e.getMessage());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Recording r : found) {
            out.add(summary(privileges.shown(v, r), !v.deidentified(), RECORDINGS + "/" + r.id()));
        }
        ctx.json(Map.of("recordings", out));
    }

    private void detail(Context ctx) throws SQLException, IOException {
        Viewer v = viewer(ctx);
        Recording r = visible(ctx, v, "view");
        log.user(v, r.id(), "view", true, null);
        String base = RECORDINGS + "/" + r.id();
        Map<String, Object> out = summary(privileges.shown(v, r), !v.deidentified(), base);
        List<Playback.Rendition> renditions = playback.renditions(r.id()).stream()
                .filter(x -> privileges.mayFetch(v, r, x.kind()))
                .toList();
        addMedia(out, r, renditions, base);
        out.put("flags", playback.flags(r.id()));
        out.put(
                "jobs",
                playback.jobs(r.id()).stream().map(RecordingRoutes::jobJson).toList());
        if (!v.deidentified()) {
            // When it may be deleted and why, and the holds on it: for those who see who was operated on.
            out.put("retention", RetentionRoutes.retentionJson(archive, r.id()));
        }
        Privileges.May may = privileges.may(v, r);
        out.put(
                "may",
                Map.of(
                        "share", may.share(),
                        "anonymize", may.anonymize(),
                        "sendToPacs", may.sendToPacs(),
                        "downloadMaster", may.downloadMaster()));
        ctx.json(out);
    }

    private void playlist(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Recording r = visible(ctx, v, "play");
        String m3u8 = Playback.masterPlaylist(playback.renditions(r.id()))
                .orElseThrow(() -> new ApiError(404, "not-ready", "the recording has no playback rendition yet"));
        log.user(v, r.id(), "play", true, null);
        ctx.contentType("application/vnd.apple.mpegurl").result(m3u8);
    }

    private void file(Context ctx) throws SQLException, IOException {
        Viewer v = viewer(ctx);
        Recording r = visible(ctx, v, "file");
        String name = ctx.pathParam("name");
        String path = ctx.pathParam("path");
        Playback.Rendition rendition = playback.renditions(r.id()).stream()
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ApiError(404, "not-found", "no such rendition"));
        if (!privileges.mayFetch(v, r, rendition.kind())) {
            log.user(v, r.id(), "download", false, rendition.name());
            throw new ApiError(404, "not-found", "no such rendition");
        }
        Renditions.File f =
                playback.file(r.id(), name, path).orElseThrow(() -> new ApiError(404, "not-found", "no such file"));
        if (rendition.kind().equals("master") && !isRangeContinuation(ctx)) {
            log.user(v, r.id(), "download", true, rendition.name() + "/" + path);
        }
        serve(ctx, f, path);
    }

    private void shares(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Recording r = manageable(ctx, v, "shares");
        List<Map<String, Object>> g = new ArrayList<>();
        for (Grants.Grant grant : grants.of(r.id())) {
            g.add(grantJson(grant));
        }
        List<Map<String, Object>> l = new ArrayList<>();
        for (ShareLinks.ShareLink link : links.of(r.id())) {
            l.add(linkJson(link));
        }
        ctx.json(Map.of("grants", g, "links", l));
    }

    private void grant(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Recording r = manageable(ctx, v, "grant");
        JsonNode body = JsonBodies.object(ctx);
        String grantee = text(body, "grantee");
        Instant expiresAt = expiry(body);
        if (accounts.find(grantee).isEmpty()) {
            throw new ApiError(400, "unknown-user", "there is no user '" + shorten(grantee) + "'");
        }
        Grants.Grant g = grants.create(r.id(), grantee, v.username(), expiresAt);
        log.user(v, r.id(), "grant", true, "to " + grantee + " until " + expiresAt);
        ctx.status(201).json(grantJson(g));
    }

    private void revokeGrant(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Grants.Grant g = grants.find(ctx.pathParam("grantId"))
                .orElseThrow(() -> new ApiError(404, "not-found", "no such grant"));
        Recording r = privileges.visible(v, g.recordingId()).orElse(null);
        if (r == null || !(privileges.mayShare(v, r) || g.grantedBy().equals(v.username()))) {
            log.user(v, g.recordingId(), "revoke-grant", false, g.id());
            throw new ApiError(404, "not-found", "no such grant");
        }
        grants.revoke(g.id(), v.username());
        log.user(v, r.id(), "revoke-grant", true, g.id());
        ctx.status(204);
    }

    private void createLink(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Recording r = manageable(ctx, v, "link");
        JsonNode body = JsonBodies.object(ctx);
        JsonNode a = body.path("anonymized");
        if (!a.isBoolean()) {
            throw new ApiError(400, "bad-request", "anonymized is true or false");
        }
        boolean anonymized = a.asBoolean() || r.anonymized();
        Instant expiresAt = expiry(body);
        if (anonymized
                && !r.anonymized()
                && recordings.anonymizedCopiesOf(r.id()).isEmpty()) {
            throw new ApiError(
                    409, "no-anonymized-copy", "the recording has no anonymized copy yet: anonymize it first");
        }
        ShareLinks.Created created = links.create(r.id(), anonymized, v.username(), expiresAt);
        log.user(
                v,
                r.id(),
                "link",
                true,
                created.link().id() + (anonymized ? " anonymized" : "") + " until " + expiresAt);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", created.link().id());
        out.put("url", "/#/archive/link/" + created.token());
        out.put("token", created.token());
        out.put("anonymized", anonymized);
        out.put("expiresAt", expiresAt.toString());
        ctx.status(201).json(out);
    }

    private void revokeLink(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        ShareLinks.ShareLink link =
                links.find(ctx.pathParam("token")).orElseThrow(() -> new ApiError(404, "not-found", "no such link"));
        Recording r = privileges.visible(v, link.recordingId()).orElse(null);
        if (r == null || !(privileges.mayShare(v, r) || link.createdBy().equals(v.username()))) {
            log.user(v, link.recordingId(), "revoke-link", false, link.id());
            throw new ApiError(404, "not-found", "no such link");
        }
        links.revoke(link.id(), v.username());
        log.user(v, r.id(), "revoke-link", true, link.id());
        ctx.status(204);
    }

    private void anonymize(Context ctx) throws SQLException {
        Viewer v = viewer(ctx);
        Recording r = manageable(ctx, v, "anonymize");
        if (r.anonymized()) {
            throw new ApiError(409, "already-anonymized", "the recording is an anonymized copy already");
        }
        Anonymizations.Started started = anonymizations.start(r);
        log.user(v, r.id(), "anonymize", true, "copy " + started.copy().id());
        ctx.status(202)
                .json(Map.of(
                        "recording",
                        summary(
                                started.copy(),
                                !v.deidentified(),
                                RECORDINGS + "/" + started.copy().id()),
                        "job",
                        started.jobId()));
    }

    // ---- share-link holders ----

    private void linkSummary(Context ctx) throws SQLException, IOException {
        Linked l = linked(ctx, "summary");
        String base = LINKS + "/" + ctx.pathParam("token");
        Map<String, Object> out = summary(Privileges.withoutIdentifiers(l.recording()), false, base);
        List<Playback.Rendition> renditions = playback.renditions(l.recording().id()).stream()
                .filter(x -> !x.kind().equals("master"))
                .toList();
        addMedia(out, l.recording(), renditions, base);
        out.put("flags", playback.flags(l.recording().id()));
        out.put("expiresAt", l.link().expiresAt().toString());
        ctx.json(out);
    }

    private void linkPlaylist(Context ctx) throws SQLException {
        Linked l = linked(ctx, "play");
        String m3u8 = Playback.masterPlaylist(playback.renditions(l.recording().id()))
                .orElseThrow(() -> new ApiError(404, "not-ready", "the recording has no playback rendition yet"));
        ctx.contentType("application/vnd.apple.mpegurl").result(m3u8);
    }

    private void linkFile(Context ctx) throws SQLException, IOException {
        ShareLinks.Resolution res = links.resolve(ctx.pathParam("token"));
        Optional<Recording> served =
                res.link().isPresent() ? privileges.servedBy(res.link().get()) : Optional.empty();
        if (served.isEmpty()) {
            refuseLink(res, "file");
        }
        Recording r = served.get();
        String name = ctx.pathParam("name");
        String path = ctx.pathParam("path");
        // A link plays: no master, only what a player fetches.
        boolean playable = playback.renditions(r.id()).stream()
                .anyMatch(x -> x.name().equals(name) && !x.kind().equals("master"));
        Renditions.File f = playable ? playback.file(r.id(), name, path).orElse(null) : null;
        if (f == null) {
            throw new ApiError(404, "not-found", "no such file");
        }
        serve(ctx, f, path);
    }

    /** A link's recording, logged as a link use; a refused token is logged and answers 404. */
    private Linked linked(Context ctx, String what) throws SQLException {
        ShareLinks.Resolution res = links.resolve(ctx.pathParam("token"));
        if (res.link().isEmpty()) {
            refuseLink(res, what);
        }
        ShareLinks.ShareLink link = res.link().get();
        Optional<Recording> served = privileges.servedBy(link);
        if (served.isEmpty()) {
            log.append(
                    "link:" + link.id(),
                    AccessLog.ActorKind.LINK,
                    link.recordingId(),
                    "link-use",
                    false,
                    what + ": no anonymized copy");
            throw new ApiError(404, "not-found", NOT_FOUND);
        }
        log.append("link:" + link.id(), AccessLog.ActorKind.LINK, served.get().id(), "link-use", true, what);
        return new Linked(link, served.get());
    }

    private void refuseLink(ShareLinks.Resolution res, String what) throws SQLException {
        ShareLinks.ShareLink m = res.matched();
        String refusal =
                res.refusal() == null ? "no recording" : res.refusal().name().toLowerCase(Locale.ROOT);
        log.append(
                m == null ? "link" : "link:" + m.id(),
                AccessLog.ActorKind.LINK,
                m == null ? null : m.recordingId(),
                "link-use",
                false,
                what + ": " + refusal);
        // One answer for unknown, expired and revoked tokens: the holder learns nothing about other links.
        throw new ApiError(404, "not-found", "this link does not exist or no longer works");
    }

    private record Linked(ShareLinks.ShareLink link, Recording recording) {}

    // ---- helpers ----

    private Viewer viewer(Context ctx) throws SQLException {
        return ArchiveViewers.of(currentUser.apply(ctx), hospitals);
    }

    /** The recording of the path if the viewer may see it; else the refusal is logged and the answer is 404. */
    private Recording visible(Context ctx, Viewer v, String action) throws SQLException {
        String id = ctx.pathParam("id");
        Optional<Recording> r = privileges.visible(v, id);
        if (r.isEmpty()) {
            // Only ids of existing recordings go to the log's recording column: garbage ids stay out of the index.
            boolean exists = id.length() <= 100 && recordings.find(id).isPresent();
            log.user(v, exists ? id : null, action, false, exists ? "not visible" : "no such recording");
            throw new ApiError(404, "not-found", NOT_FOUND);
        }
        return r.get();
    }

    /** As {@link #visible}, and the viewer manages it (shares, anonymizes): 403 when they only see it. */
    private Recording manageable(Context ctx, Viewer v, String action) throws SQLException {
        Recording r = visible(ctx, v, action);
        if (!privileges.mayShare(v, r)) {
            log.user(v, r.id(), action, false, "may not share");
            throw new ApiError(403, "forbidden", "only the owner, the hospital's clinicians and admins may do this");
        }
        return r;
    }

    private Map<String, Object> summary(Recording r, boolean identified, String base) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("title", r.title());
        m.put("hospital", r.hospitalId());
        m.put("operatingRoom", r.operatingRoom());
        m.put("operator", r.operator());
        m.put("owner", r.owner());
        if (identified) {
            m.put("procedure", r.procedure());
            m.put("accession", r.accession());
            m.put("studyUid", r.studyUid());
            m.put("patientName", r.patientName());
            m.put("patientId", r.patientId());
        }
        m.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        m.put("durationSeconds", r.durationSeconds());
        m.put("status", r.status().code());
        m.put("statusMessage", r.statusMessage());
        m.put("anonymized", r.anonymized());
        if (identified) {
            m.put("derivedFrom", r.derivedFrom());
        }
        boolean storyboard =
                playback.file(r.id(), "storyboard", "storyboard.jpg").isPresent();
        m.put("thumbnail", storyboard ? base + "/renditions/storyboard/storyboard.jpg" : null);
        return m;
    }

    private void addMedia(Map<String, Object> out, Recording r, List<Playback.Rendition> renditions, String base)
            throws SQLException, IOException {
        out.put("renditions", renditions);
        boolean hls = renditions.stream().anyMatch(x -> x.kind().equals("hls"));
        out.put("playlist", hls ? base + "/playlist.m3u8" : null);
        Map<String, Object> storyboard = null;
        Optional<Renditions.File> json =
                renditions.stream().anyMatch(x -> x.kind().equals("storyboard"))
                        ? playback.file(r.id(), "storyboard", "storyboard.json")
                        : Optional.empty();
        if (json.isPresent()) {
            try (InputStream in = store.open(json.get().sha256(), 0, 64 * 1024)) {
                JsonNode n = JSON.readTree(in);
                if (n != null && n.isObject()) {
                    storyboard = new LinkedHashMap<>();
                    for (String key :
                            List.of("intervalSeconds", "columns", "rows", "tileWidth", "tileHeight", "count")) {
                        storyboard.put(key, n.path(key).isNumber() ? n.path(key).numberValue() : null);
                    }
                    storyboard.put("image", base + "/renditions/storyboard/storyboard.jpg");
                }
            }
        }
        out.put("storyboard", storyboard);
    }

    /** Streams a rendition file, honouring a single byte range (players seek so). */
    private void serve(Context ctx, Renditions.File f, String path) throws IOException {
        long size = store.size(f.sha256()).orElseThrow(() -> new ApiError(404, "not-found", "no such file"));
        ByteRange.Result range = ByteRange.parse(ctx.header("Range"), size);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(Renditions.mediaType(path));
        long start = 0;
        long length = size;
        switch (range) {
            case ByteRange.Unsatisfiable u -> {
                ctx.status(416).header("Content-Range", "bytes */" + size);
                return;
            }
            case ByteRange.Partial(ByteRange r) -> {
                ctx.status(206).header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + size);
                start = r.start();
                length = r.length();
            }
            case ByteRange.Whole w -> ctx.status(200);
        }
        // Written to the servlet's stream, past Javalin's compression: video does not compress, and a gzipped
        // body would no longer match Content-Range.
        var res = ctx.res();
        res.setStatus(ctx.status().getCode());
        res.setContentLengthLong(length);
        try (InputStream in = store.open(f.sha256(), start, length);
                OutputStream out = res.getOutputStream()) {
            in.transferTo(out);
        }
    }

    /** A ranged request past the first byte continues a download already logged. */
    private static boolean isRangeContinuation(Context ctx) {
        return ByteRange.parse(ctx.header("Range"), Long.MAX_VALUE) instanceof ByteRange.Partial(ByteRange r)
                && r.start() > 0;
    }

    private static String text(JsonNode body, String key) {
        JsonNode n = body.path(key);
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 200) {
            throw new ApiError(400, "bad-request", key + " is a text of 1 to 200 characters");
        }
        return n.asText().strip();
    }

    private Instant expiry(JsonNode body) {
        String text = text(body, "expiresAt");
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiError(
                    400,
                    "bad-request",
                    "expiresAt is an ISO 8601 instant (2026-07-01T12:00:00Z), not '" + shorten(text) + "'");
        }
        Instant now = archive.clock().instant();
        if (!at.isAfter(now)) {
            throw new ApiError(400, "bad-request", "expiresAt is in the future");
        }
        if (at.isAfter(now.plus(MAX_SHARE))) {
            throw new ApiError(400, "bad-request", "a share runs at most " + MAX_SHARE.toDays() + " days");
        }
        return at;
    }

    private static Map<String, Object> jobJson(JobQueue.Info j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("state", j.state());
        m.put("progress", j.progress());
        m.put("stage", j.stage());
        m.put("message", j.message());
        m.put("attempts", j.attempts());
        m.put("createdAt", j.createdAt().toString());
        m.put("finishedAt", j.finishedAt() == null ? null : j.finishedAt().toString());
        return m;
    }

    private Map<String, Object> grantJson(Grants.Grant g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("recordingId", g.recordingId());
        m.put("grantee", g.grantee());
        m.put("grantedBy", g.grantedBy());
        m.put("createdAt", g.createdAt().toString());
        m.put("expiresAt", g.expiresAt().toString());
        m.put("revokedAt", g.revokedAt() == null ? null : g.revokedAt().toString());
        m.put("revokedBy", g.revokedBy());
        m.put("active", g.activeAt(archive.clock().instant()));
        return m;
    }

    private Map<String, Object> linkJson(ShareLinks.ShareLink l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("recordingId", l.recordingId());
        m.put("anonymized", l.anonymized());
        m.put("createdBy", l.createdBy());
        m.put("createdAt", l.createdAt().toString());
        m.put("expiresAt", l.expiresAt().toString());
        m.put("revokedAt", l.revokedAt() == null ? null : l.revokedAt().toString());
        m.put("revokedBy", l.revokedBy());
        m.put("active", l.activeAt(archive.clock().instant()));
        return m;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
