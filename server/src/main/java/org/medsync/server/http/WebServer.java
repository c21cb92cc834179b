package org.medsync.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.medsync.archive.Archive;
import org.medsync.archive.fixity.Fixity;
import org.medsync.archive.pacs.PacsDestination;
import org.medsync.library.database.Database;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.library.source.SourceException;
import org.medsync.library.source.StudySource;
import org.medsync.server.api.ApiError;
import org.medsync.server.api.SameOrigin;
import org.medsync.server.archive.ArchiveAdminRoutes;
import org.medsync.server.archive.ArchiveEvidenceRoutes;
import org.medsync.server.archive.ArchiveIntegrityRoutes;
import org.medsync.server.archive.OrRecordingRoutes;
import org.medsync.server.archive.RecorderRoutes;
import org.medsync.server.archive.RecordingRoutes;
import org.medsync.server.archive.RetentionRoutes;
import org.medsync.server.archive.StorageModelRoutes;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.medsync.server.or.ExpertRoutes;
import org.medsync.server.or.LiveOrs;
import org.medsync.server.or.MetadataSocket;
import org.medsync.server.or.OrAccessRoutes;
import org.medsync.server.or.OrRoutes;
import org.medsync.server.photo.PhotoIntake;
import org.medsync.server.photo.PhotoRoutes;
import org.medsync.server.readout.ReadoutService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Javalin (Jetty) server: connectors, static web app, routes, errors and request logging. */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    static final String DATABASE_UNAVAILABLE = "database-unavailable";

    /**
     * Where to listen: plain HTTP (loopback only) and/or HTTPS; a port of -1 disables it, 0 picks a free one.
     * {@code origins}: the origins browsers reach the server by (http.origins); empty: each request's own.
     */
    public record Listen(
            String httpHost,
            int httpPort,
            String httpsHost,
            int httpsPort,
            KeyStore keyStore,
            char[] keyPassword,
            List<String> origins) {}

    /**
     * What the web app may load, and that no other site may frame it. Scripts only from this server, plus
     * WebAssembly compilation (the Cornerstone image decoders); its workers are same-origin files; styles may be
     * set by script (Cornerstone and vtk.js size their canvases so); images from data: and blob: URLs
     * (rendered frames, the empty favicon). connect-src 'self' covers fetches and the readout WebSocket.
     */
    static final String CONTENT_SECURITY_POLICY = String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "worker-src 'self' blob:",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    /** What the routes work with. */
    public record Services(
            Accounts accounts,
            Sessions sessions,
            Map<String, StudySource> sources,
            StudyImporter importer,
            JsonDeidentifier deidentifier,
            long uploadMaxBytes,
            BooleanSupplier databaseUp,
            String version,
            ReadoutService readouts,
            // Video archive (issue 13); null: no archive routes.
            Archive archive,
            // The PACSs recordings may be sent to, by source id.
            Map<String, PacsDestination> pacs,
            // Live ORs out of the OR (issue 12).
            LiveOrs ors,

            // Who may place and lift legal holds on recordings (admin always).
            Set<Role> holdRoles,
            // Photos of a screen (issue 15); null: no photo routes.
            PhotoIntake photos) {}

    private final Javalin app;
    /** This node's recordings of OR flows into the archive: finalized and delivered when the server stops. */
    private OrRecordingRoutes orRecordings;

    private ServerConnector http;
    private ServerConnector https;

    public WebServer(Listen listen, Services services) {
        Access access = new Access(services.sessions(), new Access.GuestScope() {
            @Override
            public boolean isGuest(String username) {
                return ReadoutService.isGuest(username);
            }

            @Override
            public boolean isActive(String username) {
                return services.readouts().guestActive(username);
            }

            @Override
            public boolean maySee(String username, String source, String studyUid) {
                return services.readouts().guestMaySee(username, source, studyUid);
            }
        });
        app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 1_000_000; // JSON bodies; uploads stream through multipart
            // Gzip the app and JSON, never pixel data: frames barely compress and gzip made each 512 KB CT
            // frame 90 ms instead of 5 ms, which alone broke the viewer's load-time target.
            CompressionStrategy compression = new CompressionStrategy(null, new Gzip(6));
            compression.setExcludedMimeTypes(
                    List.of("multipart/related", "application/dicom", "application/octet-stream", "image/png"));
            config.http.customCompression(compression);
            config.jetty.multipartConfig.maxTotalRequestSize(services.uploadMaxBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(services.uploadMaxBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/medsync-web";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache");
            });
            if (listen.httpPort() >= 0) {
                config.jetty.addConnector((server, httpConfig) -> {
                    http = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    http.setHost(listen.httpHost());
                    http.setPort(listen.httpPort());
                    return http;
                });
            }
            if (listen.httpsPort() >= 0) {
                config.jetty.addConnector((server, httpConfig) -> {
                    SslContextFactory.Server tls = new SslContextFactory.Server();
                    tls.setKeyStore(listen.keyStore());
                    tls.setKeyStorePassword(new String(listen.keyPassword()));
                    tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                    HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
                    SecureRequestCustomizer src = new SecureRequestCustomizer();
                    src.setSniHostCheck(false);
                    httpsConfig.addCustomizer(src);
                    https = new ServerConnector(
                            server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(httpsConfig));
                    https.setHost(listen.httpsHost());
                    https.setPort(listen.httpsPort());
                    return https;
                });
            }
        });
        SameOrigin sameOrigin = new SameOrigin(listen.origins());
        // Before any handler (static files included), so that every response, errors too, carries them.
        app.before(ctx -> {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            if (ctx.scheme().equals("https")) {
                // Only over TLS: a browser ignores it on plain HTTP, and loopback HTTP must stay usable.
                ctx.header("Strict-Transport-Security", "max-age=31536000");
            }
            sameOrigin.checkRequest(ctx);
        });
        app.beforeMatched(access::check);
        app.beforeMatched(new DeidentifiedQueries(services.deidentifier().profile())::check);
        // Patient data must never be kept by a shared cache or served to the next user without asking us:
        // every API and DICOMweb answer is no-store unless its route chose a revalidated policy (pixels).
        for (String path : List.of("/api/*", "/dicomweb/*")) {
            app.after(path, ctx -> {
                if (ctx.res().getHeader("Cache-Control") == null) {
                    ctx.header("Cache-Control", "no-store");
                }
            });
        }
        app.exception(
                ApiError.class,
                (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.code(), "message", e.getMessage())));
        app.exception(SourceException.class, (e, ctx) -> {
            if (Database.isOutage(e)) {
                databaseUnavailable(ctx, e);
                return;
            }
            int status = switch (e.reason()) {
                case NOT_FOUND -> 404;
                case BAD_REQUEST -> 400;
                case UNAVAILABLE -> 502;
                case UNREADABLE -> 422;
            };
            ctx.status(status).json(Map.of("error", e.reason().code(), "message", e.getMessage()));
        });
        app.exception(JacksonException.class, (e, ctx) -> {
            if (e instanceof InvalidDefinitionException) {
                // A type the mapper cannot write or bind: a defect of this server, not of the request.
                log.error("JSON mapping defect on {} {}: {}", ctx.method(), ctx.path(), e.getOriginalMessage());
                ctx.status(500)
                        .json(Map.of("error", "internal-error", "message", "the server could not write its answer"));
                return;
            }
            ctx.status(400)
                    .json(Map.of(
                            "error", "bad-json", "message", "the request body is not the JSON this route expects"));
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (Database.isOutage(e)) {
                databaseUnavailable(ctx, e);
                return;
            }
            if (isTooLarge(e)) {
                ctx.status(413)
                        .json(Map.of("error", "upload-too-large", "message", "the upload exceeds the server's limit"));
                return;
            }
            log.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500)
                    .json(Map.of("error", "internal-error", "message", "the server failed; the log has the details"));
        });
        app.get(
                "/health",
                ctx -> {
                    // Without the database nothing works (503). Without Redis this node still serves, its new readouts
                    // placed here and no bridges to other nodes: "degraded", 200, so a load balancer keeps every node.
                    boolean up = services.databaseUp().getAsBoolean();
                    var redis = services.readouts().clusterStatus();
                    // A damaged, missing or lost copy in the archive is "degraded" too: loud, but the node serves.
                    Map<String, Object> archive =
                            up && services.archive() != null ? integrity(services.archive()) : null;
                    boolean degraded = redis.filter("down"::equals).isPresent()
                            || (archive != null && !"ok".equals(archive.get("integrity")));
                    Map<String, Object> health = new LinkedHashMap<>();
                    health.put("status", !up ? "down" : degraded ? "degraded" : "up");
                    health.put("database", up ? "up" : "down");
                    redis.ifPresent(r -> health.put("redis", r));
                    if (archive != null) {
                        health.put("archive", archive);
                    }
                    health.put("version", services.version());
                    ctx.status(up ? 200 : 503).json(health);
                },
                Role.ANYONE);
        new SessionRoutes(services.accounts(), services.sessions()).register(app);
        new AdminRoutes(services.accounts(), services.sessions()).register(app);
        new LibraryRoutes(
                        services.sources(),
                        services.importer(),
                        services.deidentifier(),
                        services.uploadMaxBytes(),
                        services.archive())
                .register(app);
        new DicomWebRoutes(services.sources(), services.deidentifier()).register(app);
        if (services.archive() != null) {
            // Archive (issue 13): recordings for users and share-link holders.
            new RecordingRoutes(services.archive(), services.accounts(), Access::user).register(app);
            new ArchivePacsRoutes(services.archive(), services.pacs()).register(app);
            new RetentionRoutes(services.archive(), Access::user, services.holdRoles()).register(app);
            // Recorder uploads (tus) and the archive's administration.
            new RecorderRoutes(
                            services.archive().uploads(),
                            services.archive().devices(),
                            services.sessions(),
                            services.archive().accessLog())
                    .register(app);
            new ArchiveIntegrityRoutes(services.archive().fixity()).register(app);
            new ArchiveAdminRoutes(
                            services.archive().hospitals(),
                            services.archive().devices(),
                            services.accounts(),
                            services.sessions())
                    .register(app);
            // The archive as evidence (issue 14): the audit chain, legal exports and their public key.
            new ArchiveEvidenceRoutes(services.archive(), services.sessions()).register(app);
            new StorageModelRoutes().register(app);
            // An OR's flow recorded into the archive (issue 13).
            orRecordings =
                    new OrRecordingRoutes(services.archive(), services.ors().settings(), Access::user);
            orRecordings.register(app);
        }
        new OrRoutes(services.ors(), Access::user).register(app);
        // Issue 12's metadata and allow-lists: the flow's metadata socket (de-identified for students/observers by the
        // library's rule set) and the administrator's allow-list routes.
        services.ors().deidentifyWith(services.deidentifier());
        new MetadataSocket(services.ors(), services.sessions(), sameOrigin).register(app);
        new OrAccessRoutes(services.ors(), Access::user, Clock.systemUTC()).register(app);
        // Expert to OR: the OR station clears remote strokes (the expert's own travel on the metadata socket).
        new ExpertRoutes(services.ors(), Access::user).register(app);
        if (services.photos() != null) {
            new PhotoRoutes(services.photos(), Access::user).register(app);
        }
        services.readouts().register(app, services.sessions(), services.accounts(), sameOrigin);
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/dicomweb/")) {
                if (ctx.result() == null) {
                    ctx.json(Map.of("error", "not-found", "message", "no such resource"));
                }
            }
        });
    }

    /** The archive's integrity for /health: ok, or degraded with the copies damaged, missing and lost. */
    private static Map<String, Object> integrity(Archive archive) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Fixity.Status s = archive.fixity().status();
            out.put("integrity", s.state());
            out.put("damaged", s.damaged());
            out.put("missing", s.missing());
            out.put("lost", s.lost());
        } catch (SQLException e) {
            log.warn("The archive's integrity could not be read for /health: {}", e.getMessage());
            out.put("integrity", "unknown");
        }
        return out;
    }

    /** PostgreSQL is down: every route that needs it says so (503), so no page mistakes the outage for "nothing there". */
    private static void databaseUnavailable(Context ctx, Exception e) {
        log.warn("Database unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
        ctx.status(503)
                .header("Retry-After", "5")
                .json(Map.of(
                        "error",
                        DATABASE_UNAVAILABLE,
                        "message",
                        "MedSync's database cannot be reached, so nothing can be listed or saved. "
                                + "The server reconnects by itself when it is back: try again in a moment."));
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceeds")
                    || m.contains("too large")
                    || m.contains("max file size")
                    || m.contains("request too big")) {
                return true;
            }
        }
        return false;
    }

    public WebServer start() {
        app.start();
        return this;
    }

    public int httpPort() {
        return http == null ? -1 : http.getLocalPort();
    }

    public int httpsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    @Override
    public void close() {
        app.stop();
        if (orRecordings != null) {
            orRecordings.close();
        }
    }
}
