package org.medsync.server.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.staticfiles.Location;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.library.source.SourceException;
import org.medsync.library.source.StudySource;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The Javalin (Jetty) server: connectors, static web app, routes, errors and request logging. */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    /** Where to listen: plain HTTP (loopback only) and/or HTTPS; a port of -1 disables it, 0 picks a free one. */
    public record Listen(String httpHost, int httpPort, String httpsHost, int httpsPort, KeyStore keyStore, char[] keyPassword) {}

    /** What the routes work with. */
    public record Services(Accounts accounts, Sessions sessions, Map<String, StudySource> sources, StudyImporter importer,
                           JsonDeidentifier deidentifier, long uploadMaxBytes, BooleanSupplier databaseUp, String version,
                           org.medsync.server.readout.ReadoutService readouts) {}

    private final Javalin app;
    private ServerConnector http;
    private ServerConnector https;

    public WebServer(Listen listen, Services services) {
        Access access = new Access(services.sessions(), new Access.GuestScope() {
            @Override
            public boolean isGuest(String username) {
                return org.medsync.server.readout.ReadoutService.isGuest(username);
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
            compression.setExcludedMimeTypes(List.of("multipart/related", "application/dicom", "application/octet-stream", "image/png"));
            config.http.customCompression(compression);
            config.jetty.multipartConfig.maxTotalRequestSize(services.uploadMaxBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(services.uploadMaxBytes(), io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/medsync-web";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
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
                https = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(httpsConfig));
                https.setHost(listen.httpsHost());
                https.setPort(listen.httpsPort());
                return https;
                });
            }
        });
        app.beforeMatched(access::check);
        app.beforeMatched(new DeidentifiedQueries(services.deidentifier().profile())::check);
        app.after(ctx -> {
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
        });
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.code(), "message", e.getMessage())));
        app.exception(SourceException.class, (e, ctx) -> {
            int status = switch (e.kind()) {
                case NOT_FOUND -> 404;
                case BAD_REQUEST -> 400;
                case UNAVAILABLE -> 502;
                case UNREADABLE -> 422;
            };
            ctx.status(status).json(Map.of("error", e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    "message", e.getMessage()));
        });
        app.exception(com.fasterxml.jackson.core.JacksonException.class, (e, ctx) ->
                ctx.status(400).json(Map.of("error", "bad-json", "message", "the request body is not the JSON this route expects")));
        app.exception(Exception.class, (e, ctx) -> {
            if (isTooLarge(e)) {
                ctx.status(413).json(Map.of("error", "upload-too-large", "message", "the upload exceeds the server's limit"));
                return;
            }
            log.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", "internal-error", "message", "the server failed; the log has the details"));
        });
        app.get("/health", ctx -> {
            boolean up = services.databaseUp().getAsBoolean();
            ctx.status(up ? 200 : 503).json(Map.of("status", up ? "up" : "down", "database", up ? "up" : "down",
                    "version", services.version()));
        }, Role.ANYONE);
        new SessionRoutes(services.accounts(), services.sessions()).register(app);
        new AdminRoutes(services.accounts(), services.sessions()).register(app);
        new LibraryRoutes(services.sources(), services.importer(), services.deidentifier(), services.uploadMaxBytes()).register(app);
        new DicomWebRoutes(services.sources(), services.deidentifier()).register(app);
        services.readouts().register(app, services.sessions());
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/dicomweb/")) {
                if (ctx.result() == null) {
                    ctx.json(Map.of("error", "not-found", "message", "no such resource"));
                }
            }
        });
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("exceeds") || m.contains("too large") || m.contains("max file size") || m.contains("request too big")) {
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
    }

}
