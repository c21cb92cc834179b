package org.medsync.server.archive;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medsync.archive.Archive;
import org.medsync.archive.encode.TranscodeHandler;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.or.OrSettings;
import org.medsync.server.record.LocalArchiveSink;
import org.medsync.server.record.OrFlowRecorder;
import org.medsync.server.record.OrRecordings;

/**
 * Recording an OR's flow into the archive from the server (docs/archive.md "Recording an OR's flow"):
 * {@code POST /api/archive/or-recordings} {@code {"or", "flow", "hospital"}} starts, {@code GET} lists what this node
 * records, {@code DELETE /api/archive/or-recordings/{or}/{flow}} stops and answers the recordings delivered. Who: a
 * clinician whom the OR admits (its roles or users, as for watching it) and who is a member of the hospital the
 * recording is for (admins: any). The recordings are owned by whoever started them and queued for transcoding.
 */
public final class OrRecordingRoutes implements AutoCloseable {
    static final String BASE = "/api/archive/or-recordings";

    private final Archive archive;
    private final OrSettings ors;
    private final Function<Context, Accounts.User> currentUser;
    private final OrRecordings recordings;

    /** Recordings are encoded under the archive's staging directory ({@code or-recordings/<or>/<flow>}). */
    public OrRecordingRoutes(Archive archive, OrSettings ors, Function<Context, Accounts.User> currentUser) {
        this.archive = archive;
        this.ors = ors;
        this.currentUser = currentUser;
        this.recordings = new OrRecordings(
                archive.settings().stagingDir().resolve("or-recordings"),
                OrFlowRecorder.Settings.DEFAULT,
                user -> new LocalArchiveSink(archive.vault(), archive.recordings(), user, null, r -> {
                    try {
                        archive.jobs().enqueueOnce(r.id(), TranscodeHandler.KIND, "{}");
                    } catch (SQLException e) {
                        throw new IllegalStateException("the transcode of " + r.id() + " was not queued", e);
                    }
                }),
                Clock.systemUTC());
    }

    public void register(Javalin app) {
        Role[] clinicians = Role.CLINICIANS.toArray(Role[]::new);
        app.post(BASE, this::start, clinicians);
        app.get(BASE, this::list, clinicians);
        app.delete(BASE + "/{or}/{flow}", this::stop, clinicians);
    }

    private void start(Context ctx) throws SQLException {
        OrRecordingRequest body = OrRecordingRequest.parse(ctx.body());
        Accounts.User user = currentUser.apply(ctx);
        OrSettings.Or or = admitted(user, body.or());
        OrSettings.Flow flow = or.flow(body.flow());
        if (flow == null) {
            throw new ApiError(404, "no-flow", "OR " + or.id() + " has no flow '" + body.flow() + "'");
        }
        String hospital = body.hospital();
        if (archive.hospitals().find(hospital).isEmpty()) {
            throw new ApiError(400, "unknown-hospital", "there is no hospital '" + hospital + "'");
        }
        if (user.role() != Role.ADMIN
                && !archive.hospitals().of(user.username()).contains(hospital)) {
            throw new ApiError(403, "not-a-member", "you are not a member of hospital '" + hospital + "'");
        }
        try {
            OrRecordings.Active a = recordings.start(
                    new OrRecordings.Source(or.id(), or.name(), flow.name(), flow.sdp()), hospital, user.username());
            ctx.status(201).json(view(a));
        } catch (IllegalStateException e) {
            throw new ApiError(409, "recording", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiError(502, "bad-flow", "the flow's SDP is no RTV flow: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiError(502, "flow-unavailable", e.getMessage());
        }
    }

    private void list(Context ctx) {
        Accounts.User user = currentUser.apply(ctx);
        ctx.json(Map.of(
                "recordings",
                recordings.active().stream()
                        .filter(a -> {
                            OrSettings.Or or = ors.or(a.or());
                            return or != null && or.admits(user.username(), user.role());
                        })
                        .map(OrRecordingRoutes::view)
                        .toList()));
    }

    private void stop(Context ctx) {
        Accounts.User user = currentUser.apply(ctx);
        OrSettings.Or or = admitted(user, ctx.pathParam("or"));
        String flow = ctx.pathParam("flow");
        OrRecordings.Stopped s = recordings
                .stop(or.id(), flow)
                .orElseThrow(() -> new ApiError(
                        404,
                        "not-recording",
                        "flow " + flow + " of " + or.id() + " is not" + " being recorded on this node"));
        Map<String, Object> out = new LinkedHashMap<>(view(s.active()));
        out.put("recordings", s.recordings());
        out.put("failures", s.failures());
        ctx.json(out);
    }

    private OrSettings.Or admitted(Accounts.User user, String orId) {
        OrSettings.Or or = ors.or(orId);
        if (or == null || !or.admits(user.username(), user.role())) {
            // An OR the user may not watch is one they may not learn of either.
            throw new ApiError(404, "no-or", "no OR '" + orId + "'");
        }
        return or;
    }

    private static Map<String, Object> view(OrRecordings.Active a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("or", a.or());
        m.put("flow", a.flow());
        m.put("hospital", a.hospital());
        m.put("startedBy", a.startedBy());
        m.put("since", a.since().toString());
        return m;
    }

    /** Stops every recording of this node, each finalized and delivered. */
    @Override
    public void close() {
        recordings.close();
    }

    List<OrRecordings.Active> active() {
        return recordings.active();
    }
}
