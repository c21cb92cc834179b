package org.medsync.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.access.Privileges;
import org.medsync.archive.access.Viewer;
import org.medsync.archive.retention.DeletionRefused;
import org.medsync.archive.retention.Deletions;
import org.medsync.archive.retention.Holds;
import org.medsync.archive.retention.Retention;
import org.medsync.archive.retention.RetentionExpiry;
import org.medsync.archive.retention.RetentionPolicies;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/**
 * Retention, legal holds and deletion (docs/archive-api.md, "Retention and legal hold"). Policies, visits, expiry
 * reports and deletion are for admins; holds for admins and the roles of archive.retention.hold-roles. The hold and
 * delete routes admit every role and refuse inside, so that a refused attempt on a recording is appended to the
 * access log like an allowed one.
 */
public final class RetentionRoutes {
    static final String BASE = "/api/archive/retention";
    static final String HOLDS = "/api/archive/holds";

    private final Archive archive;
    private final Function<Context, Accounts.User> currentUser;
    private final Set<Role> holdRoles;
    private final AccessLog log;
    private final Privileges privileges;

    public RetentionRoutes(Archive archive, Function<Context, Accounts.User> currentUser, Set<Role> holdRoles) {
        this.archive = archive;
        this.currentUser = currentUser;
        this.holdRoles = Set.copyOf(holdRoles);
        this.log = archive.accessLog();
        this.privileges = archive.privileges();
    }

    public void register(Javalin app) {
        Role[] readers = Role.READERS.toArray(Role[]::new);
        app.get(BASE + "/policies", this::policies, Role.ADMIN);
        app.put(BASE + "/policies", this::setPolicy, Role.ADMIN);
        app.delete(BASE + "/policies/{id}", this::removePolicy, Role.ADMIN);
        app.post(BASE + "/visits", this::visit, Role.ADMIN);
        app.get(BASE + "/runs", this::runs, Role.ADMIN);
        app.post(BASE + "/runs", this::startRun, Role.ADMIN);
        app.get(BASE + "/runs/{id}", this::run, Role.ADMIN);
        app.get(HOLDS, this::holds, readers);
        app.post(HOLDS, this::placeHold, readers);
        app.post(HOLDS + "/{id}/lift", this::liftHold, readers);
        app.delete(RecordingRoutes.RECORDINGS + "/{id}", this::delete, readers);
    }

    /** A recording's retention as the recording page shows it (identified viewers only: it dates visits). */
    public static Map<String, Object> retentionJson(Archive archive, String recordingId) throws SQLException {
        Optional<Retention.Term> term = archive.retention().of(recordingId);
        if (term.isEmpty()) {
            return null;
        }
        Retention.Term t = term.get();
        List<Holds.Hold> holds = archive.holds().activeOn(recordingId);
        Instant now = archive.clock().instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("until", t.end() == null ? null : t.end().toString());
        m.put("explanation", t.explanation());
        m.put("anchorDate", t.anchorDate() == null ? null : t.anchorDate().toString());
        m.put("policy", t.policy() == null ? null : policyJson(t.policy()));
        m.put("ended", t.endedAt(now));
        m.put("holds", holds.stream().map(RetentionRoutes::holdJson).toList());
        m.put("deletable", t.endedAt(now) && holds.isEmpty());
        return m;
    }

    // ---- policies, visits, reports (admins) ----

    private void policies(Context ctx) throws SQLException {
        ctx.json(Map.of(
                "policies",
                archive.retention().policies().all().stream()
                        .map(RetentionRoutes::policyJson)
                        .toList()));
    }

    private void setPolicy(Context ctx) throws SQLException {
        JsonNode b = JsonBodies.object(ctx);
        String hospital = optionalText(b, "hospital");
        if (hospital != null && archive.hospitals().find(hospital).isEmpty()) {
            throw new ApiError(400, "bad-policy", "there is no hospital '" + hospital + "'");
        }
        JsonNode years = b.path("years");
        if (!years.canConvertToInt() || !years.isIntegralNumber()) {
            throw new ApiError(400, "bad-policy", "years is a whole number, 0 to 200");
        }
        try {
            RetentionPolicies.Policy p = archive.retention()
                    .policies()
                    .set(
                            hospital,
                            optionalText(b, "procedure"),
                            years.asInt(),
                            RetentionPolicies.Anchor.of(
                                    b.path("anchor").isTextual()
                                            ? b.path("anchor").asText()
                                            : "last-visit"),
                            optionalText(b, "note"),
                            user(ctx).username());
            ctx.json(policyJson(p));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-policy", e.getMessage());
        }
    }

    private void removePolicy(Context ctx) throws SQLException {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiError(404, "not-found", "no such policy");
        }
        if (archive.retention().policies().find(id).isEmpty()) {
            throw new ApiError(404, "not-found", "no such policy");
        }
        if (!archive.retention().policies().remove(id)) {
            throw new ApiError(409, "default-policy", "the default policy can be changed but not removed");
        }
        ctx.status(204);
    }

    private void visit(Context ctx) throws SQLException, IOException {
        JsonNode b = JsonBodies.object(ctx);
        String hospital = requiredText(b, "hospital");
        String patient = requiredText(b, "patientId");
        LocalDate date;
        try {
            date = LocalDate.parse(requiredText(b, "date"));
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "bad-visit", "date is an ISO 8601 date such as 2026-12-01");
        }
        Accounts.User u = user(ctx);
        List<String> affected;
        try {
            affected = archive.retention()
                    .recordVisit(
                            hospital,
                            patient,
                            date,
                            u.username(),
                            archive.clock().instant());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-visit", e.getMessage());
        }
        // The recordings' objects stay locked (S3 Object Lock) as long as their retention now runs.
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : affected) {
            Retention.Term t = archive.retention().of(id).orElseThrow();
            archive.objectLocks().extend(t, archive.clock().instant());
            log.append(
                    u.username(),
                    AccessLog.ActorKind.USER,
                    id,
                    "retention-visit",
                    true,
                    "visit of " + date + " recorded; kept until " + t.end());
            out.add(Map.of("recording", id, "until", String.valueOf(t.end())));
        }
        ctx.status(201).json(Map.of("hospital", hospital, "date", date.toString(), "recordings", out));
    }

    private void runs(Context ctx) throws SQLException {
        ctx.json(Map.of(
                "runs",
                archive.expiry().runs(50).stream().map(RetentionRoutes::runJson).toList(),
                "deleteExpired",
                archive.settings().retention().deleteExpired()));
    }

    private void run(Context ctx) throws SQLException {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ApiError(404, "not-found", "no such run");
        }
        RetentionExpiry.Run r =
                archive.expiry().run(id).orElseThrow(() -> new ApiError(404, "not-found", "no such run"));
        Map<String, Object> out = runJson(r);
        List<Map<String, Object>> items = new ArrayList<>();
        for (RetentionExpiry.Item i : archive.expiry().items(id)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recording", i.recordingId());
            m.put("hospital", i.hospitalId());
            m.put("retentionEnd", i.retentionEnd().toString());
            m.put("outcome", i.outcome());
            m.put("detail", i.detail());
            items.add(m);
        }
        out.put("items", items);
        ctx.json(out);
    }

    private void startRun(Context ctx) throws SQLException {
        long job = archive.jobs().enqueue(null, RetentionExpiry.KIND, "{}");
        ctx.status(202).json(Map.of("job", job));
    }

    // ---- holds ----

    private void holds(Context ctx) throws SQLException {
        Accounts.User u = holder(ctx, null, "hold-list");
        boolean all = "true".equals(ctx.queryParam("all"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Holds.Hold h : archive.holds().list(!all)) {
            out.add(holdJson(h));
        }
        ctx.json(Map.of("holds", out, "placedBy", u.username()));
    }

    private void placeHold(Context ctx) throws SQLException {
        JsonNode b = JsonBodies.object(ctx);
        Holds.Scope scope;
        try {
            scope = Holds.Scope.of(b.path("scope").isTextual() ? b.path("scope").asText() : "recording");
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-hold", e.getMessage());
        }
        String target = switch (scope) {
            case RECORDING -> requiredText(b, "recording");
            case PATIENT -> requiredText(b, "patientId");
            case CASE -> requiredText(b, "caseNumber");
        };
        Accounts.User u = holder(ctx, scope == Holds.Scope.RECORDING ? target : null, "hold");
        try {
            Holds.Hold h = archive.holds()
                    .place(
                            scope,
                            optionalText(b, "hospital"),
                            target,
                            b.path("reason").isTextual() ? b.path("reason").asText() : null,
                            AccessLog.ActorKind.USER,
                            u.username());
            ctx.status(201).json(holdJson(h));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-hold", e.getMessage());
        }
    }

    private void liftHold(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        Holds.Hold h = archive.holds().find(id).orElse(null);
        Accounts.User u = holder(ctx, h != null && h.scope() == Holds.Scope.RECORDING ? h.target() : null, "hold-lift");
        if (h == null) {
            throw new ApiError(404, "not-found", "no such hold");
        }
        JsonNode b = JsonBodies.object(ctx);
        try {
            ctx.json(holdJson(archive.holds()
                    .lift(
                            id,
                            b.path("reason").isTextual() ? b.path("reason").asText() : null,
                            AccessLog.ActorKind.USER,
                            u.username())));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-hold", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiError(409, "hold-lifted", e.getMessage());
        }
    }

    /** The user if their role may place and lift holds; else the refusal is logged (on a recording) and 403. */
    private Accounts.User holder(Context ctx, String recordingId, String action) throws SQLException {
        Accounts.User u = user(ctx);
        if (!holdRoles.contains(u.role())) {
            if (recordingId != null && archive.recordings().find(recordingId).isPresent()) {
                log.append(u.username(), AccessLog.ActorKind.USER, recordingId, action, false, "role may not hold");
            }
            throw new ApiError(
                    403, "forbidden", "role '" + u.role().wireName() + "' may not place or lift legal holds");
        }
        return u;
    }

    // ---- deletion ----

    private void delete(Context ctx) throws SQLException {
        Accounts.User u = user(ctx);
        String id = ctx.pathParam("id");
        Viewer v = ArchiveViewers.of(u, archive.hospitals());
        boolean exists = id.length() <= 100 && archive.recordings().find(id).isPresent();
        if (u.role() != Role.ADMIN) {
            if (exists && privileges.visible(v, id).isPresent()) {
                log.append(u.username(), AccessLog.ActorKind.USER, id, "delete-refused", false, "not an admin");
                throw new ApiError(403, "forbidden", "only an admin may delete a recording");
            }
            throw new ApiError(404, "not-found", "no such recording");
        }
        if (!exists) {
            throw new ApiError(404, "not-found", "no such recording");
        }
        JsonNode b = JsonBodies.object(ctx);
        String reason = b.path("reason").isTextual() ? b.path("reason").asText() : null;
        Optional<Deletions.Deleted> done;
        try {
            done = archive.deletions().delete(id, reason, AccessLog.ActorKind.USER, u.username());
        } catch (IllegalArgumentException e) {
            log.append(u.username(), AccessLog.ActorKind.USER, id, "delete-refused", false, "no reason given");
            throw new ApiError(400, "bad-request", e.getMessage());
        } catch (DeletionRefused e) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", e.holds().isEmpty() ? "retained" : "legal-hold");
            out.put("message", e.getMessage());
            out.put(
                    "retainedUntil",
                    e.underRetention() && e.retainedUntil() != null
                            ? e.retainedUntil().toString()
                            : null);
            out.put("holds", e.holds().stream().map(RetentionRoutes::holdJson).toList());
            ctx.status(409).json(out);
            return;
        }
        if (done.isEmpty()) {
            throw new ApiError(404, "not-found", "no such recording");
        }
        Deletions.Deleted d = done.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deletion", d.id());
        out.put("recordings", d.recordings());
        out.put("objectsRemoved", d.removed().size());
        out.put("objectsKept", d.kept().size());
        out.put("complete", d.complete());
        ctx.json(out);
    }

    // ---- helpers ----

    private Accounts.User user(Context ctx) {
        return currentUser.apply(ctx);
    }

    static Map<String, Object> policyJson(RetentionPolicies.Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("hospital", p.hospitalId());
        m.put("procedure", p.procedure());
        m.put("years", p.years());
        m.put("anchor", p.anchor().code());
        m.put("note", p.note());
        m.put("updatedBy", p.updatedBy());
        m.put("updatedAt", p.updatedAt().toString());
        return m;
    }

    static Map<String, Object> holdJson(Holds.Hold h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("scope", h.scope().code());
        m.put("hospital", h.hospitalId());
        m.put("target", h.target());
        m.put("reason", h.reason());
        m.put("placedBy", h.placedBy());
        m.put("placedAt", h.placedAt().toString());
        m.put("active", h.active());
        m.put("liftedAt", h.liftedAt() == null ? null : h.liftedAt().toString());
        m.put("liftedBy", h.liftedBy());
        m.put("liftReason", h.liftReason());
        return m;
    }

    private static Map<String, Object> runJson(RetentionExpiry.Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("job", r.jobId());
        m.put("startedAt", r.startedAt().toString());
        m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        m.put("deleteExpired", r.deleteExpired());
        m.put("examined", r.examined());
        m.put("expired", r.expired());
        m.put("deleted", r.deleted());
        m.put("held", r.held());
        m.put("failed", r.failed());
        m.put("locked", r.locked());
        return m;
    }

    private static String requiredText(JsonNode body, String key) {
        String v = optionalText(body, key);
        if (v == null) {
            throw new ApiError(400, "bad-request", key + " is required");
        }
        return v;
    }

    private static String optionalText(JsonNode body, String key) {
        JsonNode n = body.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > 1000) {
            throw new ApiError(400, "bad-request", key + " is a text of at most 1000 characters");
        }
        return n.asText().isBlank() ? null : n.asText().strip();
    }
}
