package org.medsync.rtv.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server behind a device's control port: every request passes the {@link ControlGuard}
 * (Host, Origin, bearer token, Content-Type) first, then routes by method and path, bodies bounded
 * to 1 MB, every failure a JSON error {@code {"error": code, "message": text}} (docs/rtv-control.md),
 * never a stack trace, never a hung request.
 */
public final class ControlServer implements AutoCloseable {

    /** A request that cannot be applied, with its HTTP status and error code. */
    public static final class Refused extends RuntimeException {
        final int status;
        final String code;

        public Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** What a handler answers. */
    public record Response(int status, String contentType, byte[] body) {
        public static Response json(Object value) {
            return new Response(200, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
        }

        public static Response noContent() {
            return new Response(204, null, new byte[0]);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(String body) throws Exception;
    }

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Handler> routes = new LinkedHashMap<>();
    private final ControlGuard guard;

    /** @param what names the device in the warning about a network address without TLS */
    public ControlServer(InetSocketAddress address, ControlAccess access, String what) throws IOException {
        server = access.bind(address, 16);
        server.setExecutor(executor);
        guard = new ControlGuard(access, server.getAddress(), what);
        server.createContext("/", this::dispatch).getFilters().add(guard);
    }

    /** Adds a route, e.g. {@code route("PUT", "/config", body -> ...)}. Call before {@link #start()}. */
    public ControlServer route(String method, String path, Handler h) {
        routes.put(method + " " + path, h);
        return this;
    }

    public ControlServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Security warnings GET /status shows (a network address without TLS); empty on loopback. */
    public List<String> warnings() {
        return guard.warnings();
    }

    private void dispatch(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            Handler h = routes.get(x.getRequestMethod() + " " + path);
            Response r;
            if (h == null) {
                boolean known = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
                r = known
                        ? error(405, "method-not-allowed", x.getRequestMethod() + " is not allowed on " + path)
                        : error(404, "not-found", "no such endpoint: " + path);
            } else {
                try {
                    r = h.handle(body(x.getRequestBody()));
                } catch (Refused e) {
                    r = error(e.status, e.code, e.getMessage());
                } catch (Json.JsonException e) {
                    r = error(400, "bad-json", e.getMessage());
                } catch (IllegalArgumentException e) {
                    r = error(400, "bad-request", e.getMessage());
                } catch (IllegalStateException e) {
                    r = error(409, "wrong-state", e.getMessage());
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.ERROR, "control request " + path + " failed", e);
                    r = error(500, "internal", String.valueOf(e.getMessage()));
                }
            }
            if (r.contentType() != null) {
                x.getResponseHeaders().set("Content-Type", r.contentType());
            }
            x.sendResponseHeaders(r.status(), r.status() == 204 ? -1 : r.body().length);
            if (r.status() != 204) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    private static String body(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new Refused(413, "too-large", "request body above " + MAX_BODY + " bytes");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    static Response error(int status, String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message == null ? code : message);
        return new Response(status, "application/json", Json.write(m).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
