package org.medsync.server.archive;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.upload.TusResponse;
import org.medsync.archive.upload.TusUploads;
import org.medsync.archive.upload.Uploader;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 upload endpoint at {@code /api/archive/uploads} (docs/archive-api.md, "Recorder uploads"). A recorder
 * authenticates with its device credential ({@code Authorization: Bearer msd_...}), checked on every request so a
 * revoked device stops at once; a browser with the session of a clinician or admin (the global SameOrigin check
 * refuses another site's page). PATCH bodies stream from the request to the staging file, never held whole.
 */
public final class RecorderRoutes {
    private static final Logger log = LoggerFactory.getLogger(RecorderRoutes.class);
    private static final String BEARER = "Bearer ";
    /** The error code of a refusal, for clients that cannot read its body (HEAD, some tus libraries). */
    public static final String ERROR_HEADER = "MedSync-Error";
    /** The actor of a refused credential that does not even name a device. */
    static final String MALFORMED_ACTOR = "(malformed credential)";

    private final TusUploads uploads;
    private final Devices devices;
    private final Sessions sessions;
    private final AccessLog accessLog;

    public RecorderRoutes(TusUploads uploads, Devices devices, Sessions sessions, AccessLog accessLog) {
        this.uploads = uploads;
        this.devices = devices;
        this.sessions = sessions;
        this.accessLog = accessLog;
    }

    /** Registered open (Role.ANYONE): each handler authenticates the device or the session itself. */
    public void register(Javalin app) {
        String base = ArchiveSettings.UPLOADS_PATH;
        app.options(base, ctx -> answer(ctx, uploads.options()), Role.ANYONE);
        app.options(base + "/{id}", ctx -> answer(ctx, uploads.options()), Role.ANYONE);
        app.post(base, ctx -> answer(ctx, uploads.create(uploader(ctx), headers(ctx))), Role.ANYONE);
        app.head(
                base + "/{id}",
                ctx -> answer(ctx, uploads.head(uploader(ctx), ctx.pathParam("id"), headers(ctx))),
                Role.ANYONE);
        app.patch(base + "/{id}", this::patch, Role.ANYONE);
        app.delete(base + "/{id}", this::terminate, Role.ANYONE);
        // tus: clients that cannot send PATCH or DELETE (Java's HttpURLConnection) POST with X-HTTP-Method-Override.
        app.post(
                base + "/{id}",
                ctx -> {
                    String method = Optional.ofNullable(ctx.header("X-HTTP-Method-Override"))
                            .orElse("")
                            .trim()
                            .toUpperCase(Locale.ROOT);
                    switch (method) {
                        case "PATCH" -> patch(ctx);
                        case "DELETE" -> terminate(ctx);
                        case "HEAD" -> answer(ctx, uploads.head(uploader(ctx), ctx.pathParam("id"), headers(ctx)));
                        default ->
                            throw new ApiError(
                                    405,
                                    "method-not-allowed",
                                    "POST to an upload needs X-HTTP-Method-Override: PATCH or DELETE");
                    }
                },
                Role.ANYONE);
    }

    private void patch(Context ctx) throws SQLException, IOException {
        Uploader who = uploader(ctx);
        answer(
                ctx,
                uploads.patch(who, ctx.pathParam("id"), headers(ctx), ctx.req().getInputStream()));
    }

    private void terminate(Context ctx) throws SQLException, IOException {
        answer(ctx, uploads.terminate(uploader(ctx), ctx.pathParam("id"), headers(ctx)));
    }

    private static UnaryOperator<String> headers(Context ctx) {
        return ctx::header;
    }

    /** The device of a bearer credential, or the logged-in clinician or admin of the session cookie. */
    private Uploader uploader(Context ctx) throws SQLException {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (!authorization.startsWith(BEARER)) {
                throw unauthorized(ctx, "bad-credential", "Authorization must be 'Bearer msd_<device>_<secret>'");
            }
            Devices.Check check =
                    devices.check(authorization.substring(BEARER.length()).trim());
            return switch (check) {
                case Devices.Check.Valid v -> Uploader.device(v.device());
                case Devices.Check.Revoked r -> {
                    refused(ctx, r.device().id(), "revoked credential");
                    log.warn(
                            "Refused upload request of revoked device {} from {}",
                            r.device().id(),
                            ctx.ip());
                    throw unauthorized(ctx, "device-revoked", "this device's credential was revoked by an admin");
                }
                case Devices.Check.Unknown u -> {
                    refused(ctx, u.deviceId(), "wrong secret or no such device");
                    log.warn(
                            "Refused upload request with a wrong credential for device {} from {}",
                            u.deviceId(),
                            ctx.ip());
                    throw unauthorized(ctx, "bad-credential", "the device credential is not valid");
                }
                case Devices.Check.Malformed m -> {
                    refused(ctx, MALFORMED_ACTOR, "malformed credential");
                    throw unauthorized(
                            ctx, "bad-credential", "a device credential is msd_<device>_<secret>, as issued");
                }
            };
        }
        Accounts.User user = sessions.lookup(ctx.cookie(Sessions.COOKIE))
                .orElseThrow(() -> unauthorized(
                        ctx, "not-authenticated", "send a device credential (Authorization: Bearer ...) or log in"));
        if (!Role.CLINICIANS.contains(user.role())) {
            ctx.header(ERROR_HEADER, "forbidden");
            throw new ApiError(403, "forbidden", "role '" + user.role().wireName() + "' may not upload recordings");
        }
        return Uploader.user(user.username(), user.role() == Role.ADMIN);
    }

    /**
     * A refused device credential, in archive_access (issue 13): who it claimed to be (a device id that passed the
     * id pattern, else {@value #MALFORMED_ACTOR}), what was wrong, the method and the address. Never the credential:
     * a wrong secret may be a right one mistyped, and the log is read by more people than the recorder's admin.
     */
    private void refused(Context ctx, String deviceId, String why) throws SQLException {
        accessLog.append(
                deviceId,
                AccessLog.ActorKind.DEVICE,
                null,
                "device-refused",
                false,
                why + "; " + ctx.method() + " from " + ctx.ip());
    }

    /** A refusal of the caller: the code also in a header, since a HEAD answer has no body. */
    private static ApiError unauthorized(Context ctx, String code, String message) {
        ctx.header(ERROR_HEADER, code);
        ctx.header("WWW-Authenticate", "Bearer");
        return new ApiError(401, code, message);
    }

    private static void answer(Context ctx, TusResponse r) {
        r.headers().forEach(ctx::header);
        ctx.status(r.status());
        if (r.isError()) {
            ctx.header(ERROR_HEADER, r.error());
        }
        if (r.isError() && !ctx.method().name().equals("HEAD")) {
            ctx.json(Map.of("error", r.error(), "message", r.message()));
        }
    }
}
