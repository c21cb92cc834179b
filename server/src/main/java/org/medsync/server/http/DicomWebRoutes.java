package org.medsync.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medsync.library.dicomweb.MultipartRelated;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.library.source.SourceException;
import org.medsync.library.source.StudySource;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Role;

/** The DICOMweb subset of docs/api.md, per source, de-identified for roles that must not see identities. */
final class DicomWebRoutes {
    private static final String DICOM_JSON = "application/dicom+json";
    private static final String ROOT = "/dicomweb/{source}";
    private static final String SERIES = ROOT + "/studies/{study}/series/{series}";
    private static final String INSTANCE = SERIES + "/instances/{sop}";

    private final Map<String, StudySource> sources;
    private final JsonDeidentifier deidentifier;
    private final ObjectMapper json = new ObjectMapper();

    DicomWebRoutes(Map<String, StudySource> sources, JsonDeidentifier deidentifier) {
        this.sources = sources;
        this.deidentifier = deidentifier;
    }

    void register(Javalin app) {
        Role[] readers = Access.roles(Role.READERS);
        app.get(ROOT + "/studies", ctx -> dicomJson(ctx, source(ctx).searchStudies(query(ctx))), readers);
        app.get(
                ROOT + "/studies/{study}/series",
                ctx -> dicomJson(ctx, source(ctx).searchSeries(ctx.pathParam("study"))),
                readers);
        app.get(
                SERIES + "/instances",
                ctx -> dicomJson(ctx, source(ctx).searchInstances(ctx.pathParam("study"), ctx.pathParam("series"))),
                readers);
        app.get(
                SERIES + "/metadata",
                ctx -> dicomJson(
                        ctx,
                        source(ctx).seriesMetadata(ctx.pathParam("study"), ctx.pathParam("series"), bulkBase(ctx))),
                readers);
        app.get(
                INSTANCE + "/metadata",
                ctx -> dicomJson(
                        ctx,
                        source(ctx)
                                .instanceMetadata(
                                        ctx.pathParam("study"),
                                        ctx.pathParam("series"),
                                        ctx.pathParam("sop"),
                                        bulkBase(ctx))),
                readers);
        app.get(INSTANCE + "/frames/{frame}", this::frame, readers);
        app.get(INSTANCE, this::instance, readers);
        app.get(
                SERIES + "/thumbnail",
                ctx -> {
                    byte[] png = source(ctx).thumbnail(ctx.pathParam("study"), ctx.pathParam("series"));
                    revalidated(ctx, "image/png", png, png);
                },
                readers);
    }

    private void frame(Context ctx) throws SourceException {
        int frame;
        try {
            frame = Integer.parseInt(ctx.pathParam("frame"));
        } catch (NumberFormatException e) {
            // PS3.18 allows a frame list; the viewer asks one frame at a time, so we serve one.
            throw new ApiError(
                    400, "bad-frame", "ask for one frame number (1-based), not '" + ctx.pathParam("frame") + "'");
        }
        if (frame < 1) {
            throw new ApiError(400, "bad-frame", "frame numbers start at 1");
        }
        StudySource.Frame f =
                source(ctx).frame(ctx.pathParam("study"), ctx.pathParam("series"), ctx.pathParam("sop"), frame);
        var part = new MultipartRelated.Part(
                Map.of("Content-Type", "application/octet-stream; transfer-syntax=" + f.transferSyntaxUid()),
                f.bytes());
        MultipartRelated.Body body = MultipartRelated.write("application/octet-stream", List.of(part));
        // The ETag is of the frame, not of the multipart body, whose boundary is new each time.
        revalidated(ctx, body.contentType(), body.bytes(), f.bytes());
    }

    /**
     * Pixels (frames, thumbnails) are the same for every role and worth keeping in the browser, but a browser
     * is shared by the people of a reading room: it may keep them ("private": never a shared proxy) and must
     * ask us each time ("no-cache"), so the access check of the user now logged in runs before anything it
     * kept is shown. The ETag, a hash of the pixels, makes that question cheap (304, no body).
     */
    private static void revalidated(Context ctx, String contentType, byte[] bytes, byte[] pixels) {
        String etag = "\"" + HexFormat.of().formatHex(sha256(pixels), 0, 16) + "\"";
        ctx.header("Cache-Control", "private, no-cache");
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && List.of(ifNoneMatch.split("\\s*,\\s*")).contains(etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(contentType).result(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private void instance(Context ctx) throws SourceException {
        byte[] part10 = source(ctx)
                .instance(
                        ctx.pathParam("study"),
                        ctx.pathParam("series"),
                        ctx.pathParam("sop"),
                        Access.user(ctx).role().seesDeidentified() ? deidentifier.deidentification() : null);
        MultipartRelated.Body body = MultipartRelated.write(
                "application/dicom",
                List.of(new MultipartRelated.Part(Map.of("Content-Type", "application/dicom"), part10)));
        ctx.contentType(body.contentType()).result(body.bytes());
    }

    private void dicomJson(Context ctx, ArrayNode datasets) throws Exception {
        if (Access.user(ctx).role().seesDeidentified()) {
            deidentifier.apply(datasets);
        }
        ctx.contentType(DICOM_JSON).result(json.writeValueAsBytes(datasets));
    }

    private StudySource source(Context ctx) {
        StudySource s = sources.get(ctx.pathParam("source"));
        if (s == null) {
            throw new ApiError(404, "no-such-source", "no study source '" + ctx.pathParam("source") + "'");
        }
        return s;
    }

    private static String bulkBase(Context ctx) {
        return "/dicomweb/" + ctx.pathParam("source") + "/studies/" + ctx.pathParam("study") + "/series/"
                + ctx.pathParam("series");
    }

    private static Map<String, String> query(Context ctx) {
        Map<String, String> q = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) {
                q.put(k, v.getFirst());
            }
        });
        return q;
    }
}
