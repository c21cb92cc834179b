package org.medsync.server.photo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.medsync.photo.decode.PhotoDecoder;
import org.medsync.photo.fiducial.PhotoModeFrame;
import org.medsync.photo.request.CornersRequest;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/** The photo intake's HTTP API (docs/photo-intake.md "HTTP API"). */
public final class PhotoRoutes {
    static final String PHOTOS = "/api/photos";
    /** At most this many photos in one upload. */
    static final int MAX_PHOTOS = 10;

    /** Sides of the server-made pictures the viewer's photo mode draws (it scales them with the image). */
    static final int MARKER_PIXELS = 240;

    static final int QR_PIXELS = 360;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PhotoIntake intake;
    private final Function<Context, Accounts.User> currentUser;
    private final Map<Integer, byte[]> markers = new ConcurrentHashMap<>();

    public PhotoRoutes(PhotoIntake intake, Function<Context, Accounts.User> currentUser) {
        this.intake = intake;
        this.currentUser = currentUser;
    }

    public void register(Javalin app) {
        Role[] readers = Role.READERS.toArray(Role[]::new);
        Role[] clinicians = Role.CLINICIANS.toArray(Role[]::new);
        app.before(PHOTOS, this::refuseOversized);
        app.post(PHOTOS, this::upload, clinicians);
        app.get(PHOTOS + "/{id}", ctx -> ctx.json(view(currentUser.apply(ctx), visible(ctx))), readers);
        app.get(PHOTOS + "/{id}/{image}", this::image, readers);
        app.post(PHOTOS + "/{id}/corners", this::corners, clinicians);
        app.post("/api/photo-mode/tokens", this::token, readers);
        app.get("/api/photo-mode/qr/{file}", this::qr, readers);
        app.get("/api/photo-mode/markers/{file}", this::marker, readers);
    }

    private void refuseOversized(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        long limit = (long) MAX_PHOTOS * PhotoDecoder.MAX_BYTES + 65536;
        if (length > limit) {
            throw new ApiError(413, "too-large", "the upload is " + length + " bytes; the limit is " + limit);
        }
    }

    private void upload(Context ctx) throws IOException, SQLException {
        if (!ctx.isMultipartFormData()) {
            throw new ApiError(400, "bad-request", "send multipart/form-data with one or more 'photo' parts");
        }
        List<UploadedFile> parts = ctx.uploadedFiles("photo");
        if (parts.isEmpty()) {
            throw new ApiError(400, "bad-request", "no 'photo' part in the upload");
        }
        if (parts.size() > MAX_PHOTOS) {
            throw new ApiError(400, "bad-request", "at most " + MAX_PHOTOS + " photos in one upload");
        }
        List<PhotoIntake.Upload> uploads = new ArrayList<>();
        for (UploadedFile f : parts) {
            if (f.size() > PhotoDecoder.MAX_BYTES) {
                throw new ApiError(
                        413,
                        "too-large",
                        "a photo is " + f.size() + " bytes; the limit is " + PhotoDecoder.MAX_BYTES + " per photo");
            }
            try (InputStream in = f.content()) {
                uploads.add(new PhotoIntake.Upload(in.readNBytes(PhotoDecoder.MAX_BYTES + 1), f.filename()));
            }
        }
        Accounts.User user = currentUser.apply(ctx);
        List<PhotoRecord> accepted = intake.accept(user, uploads, ctx.formParam("attachTo"), ctx.formParam("note"));
        ObjectNode out = JSON.createObjectNode();
        var photos = out.putArray("photos");
        for (PhotoRecord p : accepted) {
            photos.add(view(user, p));
        }
        ctx.status(201).json(out);
    }

    private PhotoRecord visible(Context ctx) throws SQLException {
        PhotoRecord p = intake.get(ctx.pathParam("id"));
        if (!intake.maySee(currentUser.apply(ctx), p)) {
            throw new ApiError(403, "forbidden", "this photo is its sender's and its study's readers' only");
        }
        return p;
    }

    /**
     * The state as the page shows it. A de-identified role (student, observer) gets no identity: not the sender, not
     * the note (free text), not the original (the photographed screen may show names around the image); UIDs stay,
     * as in the de-identified library.
     */
    ObjectNode view(Accounts.User user, PhotoRecord p) throws IOException {
        boolean deidentified = user.role().seesDeidentified();
        String base = PHOTOS + "/" + p.id();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        o.put("status", p.status().wireName());
        o.put("attachTo", p.attachment().wire());
        o.put("batch", p.batchId());
        if (!deidentified) {
            o.put("sender", p.sender());
            o.put("note", p.note());
        }
        o.put("createdAt", p.createdAt().toString());
        ObjectNode photo = o.putObject("photo");
        photo.put("width", p.photoWidth());
        photo.put("height", p.photoHeight());
        photo.put("mediaType", p.mediaType());
        o.set("quad", p.quadJson() == null ? null : JSON.readTree(p.quadJson()));
        o.put("cornersSource", p.cornersSource());
        o.set("problems", JSON.readTree(p.problemsJson() == null ? "[]" : p.problemsJson()));
        o.put("restoration", intake.restorerDescription().orElse("not installed"));
        // The read is numbers about pixels, no identity: de-identified roles get it as everyone else.
        o.put("aiReader", intake.classifierDescription().orElse("not installed"));
        o.set("aiRead", p.readJson() == null ? null : JSON.readTree(p.readJson()));
        o.put("studyUid", p.studyUid());
        if (p.sourceSopUid() != null) {
            o.putObject("source").put("seriesUid", p.sourceSeriesUid()).put("sopUid", p.sourceSopUid());
        }
        ObjectNode images = o.putObject("images");
        if (!deidentified) {
            images.put("original", base + "/original");
        }
        if (intake.hasImage(p, PhotoFiles.Kind.RECTIFIED)) {
            images.put("rectified", base + "/rectified");
        }
        if (intake.hasImage(p, PhotoFiles.Kind.RESTORED)) {
            images.put("restored", base + "/restored");
        }
        if (p.status() == PhotoStatus.STORED) {
            o.putObject("secondaryCapture")
                    .put("studyUid", p.studyUid())
                    .put("seriesUid", p.scSeriesUid())
                    .put("sopUid", p.scSopUid());
        }
        if (p.errorCode() != null) {
            o.putObject("error").put("code", p.errorCode()).put("message", p.errorMessage());
        }
        return o;
    }

    private void image(Context ctx) throws SQLException, IOException {
        PhotoRecord p = visible(ctx);
        PhotoFiles.Kind kind = switch (ctx.pathParam("image")) {
            case "original" -> PhotoFiles.Kind.ORIGINAL;
            case "rectified" -> PhotoFiles.Kind.RECTIFIED;
            case "restored" -> PhotoFiles.Kind.RESTORED;
            default -> throw new ApiError(404, "not-found", "images are original, rectified and restored");
        };
        if (kind == PhotoFiles.Kind.ORIGINAL && currentUser.apply(ctx).role().seesDeidentified()) {
            throw new ApiError(
                    403,
                    "forbidden",
                    "the original photo may show identity around the image: de-identified roles see the rectified image only");
        }
        byte[] bytes = intake.image(p, kind)
                .orElseThrow(
                        () -> new ApiError(404, "not-yet", "this image does not exist (yet): see the photo's status"));
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType(kind == PhotoFiles.Kind.ORIGINAL ? p.mediaType() : "image/png")
                .result(bytes);
    }

    private void corners(Context ctx) throws SQLException, IOException {
        double[][] xy;
        try {
            xy = CornersRequest.parse(ctx.body());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-corners", e.getMessage());
        }
        Accounts.User user = currentUser.apply(ctx);
        ctx.status(202).json(view(user, intake.corners(user, ctx.pathParam("id"), xy)));
    }

    private void token(Context ctx) throws SQLException, IOException {
        JsonNode body = JSON.readTree(ctx.body());
        String study = text(body, "studyUid");
        String series = text(body, "seriesUid");
        String sop = text(body, "sopUid");
        String token = intake.issueToken(currentUser.apply(ctx), study, series, sop);
        ctx.status(201).json(Map.of("token", token, "qr", "/api/photo-mode/qr/" + token + ".png"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 64) {
            throw new ApiError(400, "bad-request", field + " must be a UID string");
        }
        return v.asText();
    }

    private void qr(Context ctx) throws SQLException {
        String file = ctx.pathParam("file");
        String token = file.endsWith(".png") ? file.substring(0, file.length() - 4) : "";
        if (!intake.ownsToken(currentUser.apply(ctx), token)) {
            throw new ApiError(404, "unknown-token", "no such token of yours (tokens live 12 hours)");
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("image/png").result(PhotoModeFrame.qrPng(PhotoModeFrame.qrText(token), QR_PIXELS));
    }

    private void marker(Context ctx) {
        int id = switch (ctx.pathParam("file")) {
            case "0.png" -> 0;
            case "1.png" -> 1;
            case "2.png" -> 2;
            case "3.png" -> 3;
            default -> throw new ApiError(404, "not-found", "markers are 0.png to 3.png");
        };
        // The same four pictures for everyone: a browser may keep them.
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.contentType("image/png")
                .result(markers.computeIfAbsent(id, i -> PhotoModeFrame.markerPng(i, MARKER_PIXELS)));
    }
}
