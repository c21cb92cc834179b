package org.medsync.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
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

    private final ArchiveLinks archive;

    ArchivePacsRoutes(ArchiveLinks archive) {
        this.archive = archive;
    }

    void register(Javalin app) {
        app.post(SEND, this::send, Access.roles(Role.CLINICIANS));
    }

    private void send(Context ctx) throws SQLException {
        Accounts.User user = Access.user(ctx);
        String id = ctx.pathParam("id");
        boolean admin = user.role() == Role.ADMIN;
        if (id.length() > 64 || !archive.studies().clinicianMaySee(id, user.username(), admin)) {
            if (id.length() <= 64) {
                archive.sends().audit(user.username(), null, false, "send refused: recording unknown or not visible");
            }
            throw new ApiError(404, "not-found", "no such recording");
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
            job = archive.sends().enqueue(id, destination, via, sopClass);
        } catch (IllegalArgumentException e) {
            archive.sends().audit(user.username(), id, false, "send refused: " + e.getMessage());
            throw new ApiError(400, "bad-request", e.getMessage());
        }
        archive.sends().audit(user.username(), id, true, "job=" + job + " destination=" + destination + " via=" + via);
        ctx.status(202).json(Map.of("job", job));
    }
}
