package org.medsync.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.access.Privileges;
import org.medsync.archive.access.Viewer;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.pacs.PacsDestination;
import org.medsync.archive.pacs.SendRequests;
import org.medsync.server.api.ApiError;
import org.medsync.server.archive.ArchiveViewers;
import org.medsync.server.auth.Role;

/**
 * {@code POST /api/archive/recordings/{id}/send} {@code {"destination":"<source id>","via":"stow"|"c-store",
 * "sopClass":"endoscopic"|"photographic"}}: queues a send-to-pacs job for a recording the clinician may see and
 * answers {@code {"job": id}} (202). A recording the user may not see is 404, as if it did not exist; every attempt,
 * allowed or refused, is in the archive's access log.
 */
final class ArchivePacsRoutes {
    static final String SEND = "/api/archive/recordings/{id}/send";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Privileges privileges;
    private final Hospitals hospitals;
    private final AccessLog log;
    private final SendRequests sends;

    ArchivePacsRoutes(Archive archive, Map<String, PacsDestination> destinations) {
        this.privileges = archive.privileges();
        this.hospitals = archive.hospitals();
        this.log = archive.accessLog();
        this.sends = new SendRequests(archive.jobs(), destinations);
    }

    void register(Javalin app) {
        app.post(SEND, this::send, Access.roles(Role.CLINICIANS));
    }

    private void send(Context ctx) throws SQLException {
        Viewer viewer = ArchiveViewers.of(Access.user(ctx), hospitals);
        Optional<Recording> visible = privileges.visible(viewer, ctx.pathParam("id"));
        if (visible.isEmpty()) {
            log.user(viewer, null, "send", false, "recording unknown or not visible");
            throw new ApiError(404, "not-found", "no such recording");
        }
        String id = visible.get().id();
        if (!privileges.maySendToPacs(viewer, visible.get())) {
            log.user(viewer, id, "send", false, "not allowed to send this recording");
            throw new ApiError(403, "forbidden", "you may not send this recording to a PACS");
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw new ApiError(400, "bad-request", "the body is not JSON");
        }
        if (body == null || !body.isObject() || !body.path("destination").isTextual()) {
            throw new ApiError(400, "bad-request", "send {\"destination\":\"<PACS id>\",\"via\":\"stow\"|\"c-store\"}");
        }
        String destination = body.path("destination").asText();
        String via = body.path("via").asText("stow");
        String sopClass = body.hasNonNull("sopClass") ? body.path("sopClass").asText() : null;
        long job;
        try {
            job = sends.enqueue(id, destination, via, sopClass);
        } catch (IllegalArgumentException e) {
            log.user(viewer, id, "send", false, e.getMessage());
            throw new ApiError(400, "bad-request", e.getMessage());
        }
        log.user(viewer, id, "send", true, "job=" + job + " destination=" + destination + " via=" + via);
        ctx.status(202).json(Map.of("job", job));
    }
}
