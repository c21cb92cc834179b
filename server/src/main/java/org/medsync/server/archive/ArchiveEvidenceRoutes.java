package org.medsync.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.audit.AtnaXml;
import org.medsync.archive.audit.AuditEntry;
import org.medsync.archive.audit.AuditQuery;
import org.medsync.archive.audit.Verification;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.export.LegalExports;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;

/**
 * The archive as evidence over HTTP (docs/archive-api.md "Audit trail and legal export"): verifying the audit chain
 * and exporting it as ATNA XML, legal export packages, and the public key that verifies them. Admins only, except
 * the public key, which anyone may fetch.
 */
public final class ArchiveEvidenceRoutes {
    private final Archive archive;
    private final Sessions sessions;

    public ArchiveEvidenceRoutes(Archive archive, Sessions sessions) {
        this.archive = archive;
        this.sessions = sessions;
    }

    public void register(Javalin app) {
        app.get("/api/archive/audit/verify", this::verify, Role.ADMIN);
        app.get("/api/archive/audit", this::auditXml, Role.ADMIN);
        app.post("/api/archive/exports", this::export, Role.ADMIN);
        app.get("/api/archive/export-key", this::publicKey, Role.ANYONE);
    }

    private Accounts.User user(Context ctx) {
        return sessions.lookup(ctx.cookie(Sessions.COOKIE))
                .orElseThrow(() -> new ApiError(401, "not-logged-in", "log in first"));
    }

    private void verify(Context ctx) throws SQLException {
        Verification v = archive.audit().verify();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", v.ok());
        out.put("count", v.count());
        out.put("headHash", v.headHash());
        if (!v.ok()) {
            out.put("brokenId", v.brokenId());
            out.put("brokenSeq", v.brokenSeq());
            out.put("problem", v.problem().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            out.put("message", v.message());
        }
        ctx.json(out);
    }

    private void auditXml(Context ctx) throws SQLException, IOException {
        AuditQuery q;
        try {
            q = AuditQuery.parse(ctx.queryParam("recording"), ctx.queryParam("from"), ctx.queryParam("to"));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-request", e.getMessage());
        }
        List<AuditEntry> entries = archive.audit().entries(q.recordingId(), q.from(), q.to());
        Map<String, String> hospitals = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            if (e.recordingId() != null && !hospitals.containsKey(e.recordingId())) {
                hospitals.put(
                        e.recordingId(),
                        archive.recordings()
                                .find(e.recordingId())
                                .map(Recording::hospitalId)
                                .orElse(null));
            }
        }
        hospitals.values().removeIf(Objects::isNull);
        ctx.contentType("application/xml; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"medsync-audit.xml\"");
        try (OutputStream out = ctx.outputStream()) {
            AtnaXml.write(entries, "medsync-archive", hospitals, out);
        } catch (XMLStreamException e) {
            throw new IOException("the audit trail could not be written as XML", e);
        }
    }

    /** Body: {"recordings": ["id", ...], "recipient": "...", "reason": "..."}; answers the zip. */
    private void export(Context ctx) throws SQLException, IOException {
        JsonNode body = JsonBodies.object(ctx);
        List<String> ids = new ArrayList<>();
        JsonNode recs = body.get("recordings");
        if (recs == null || !recs.isArray()) {
            throw new ApiError(400, "bad-request", "recordings is an array of recording ids");
        }
        for (JsonNode r : recs) {
            if (!r.isTextual()) {
                throw new ApiError(400, "bad-request", "recordings is an array of recording ids");
            }
            ids.add(r.asText());
        }
        LegalExports.Request request = new LegalExports.Request(
                ids, text(body, "recipient"), text(body, "reason"), user(ctx).username(), AccessLog.ActorKind.USER);
        LegalExports exports = archive.exports();
        try {
            exports.check(request);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-request", e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ApiError(404, "not-found", e.getMessage());
        }
        // Built whole before it is sent: a failure halfway answers an error, never half a package.
        Path dir = archive.settings().stagingDir().resolve("exports");
        Files.createDirectories(dir);
        Path zip = dir.resolve(UUID.randomUUID() + ".zip");
        try {
            LegalExports.Result result;
            try (OutputStream out = Files.newOutputStream(zip)) {
                result = exports.export(request, out);
            }
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + result.exportId() + ".zip\"");
            ctx.header("X-MedSync-Export", result.exportId());
            ctx.header("Content-Length", Long.toString(Files.size(zip)));
            try (InputStream in = Files.newInputStream(zip);
                    OutputStream out = ctx.outputStream()) {
                in.transferTo(out);
            }
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private static String text(JsonNode body, String key) {
        JsonNode n = body.get(key);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private void publicKey(Context ctx) throws IOException {
        ctx.contentType("application/x-pem-file");
        ctx.header("X-MedSync-Key-SHA256", archive.exportSigningKey().fingerprint());
        ctx.result(archive.exportSigningKey().publicKeyPem());
    }
}
