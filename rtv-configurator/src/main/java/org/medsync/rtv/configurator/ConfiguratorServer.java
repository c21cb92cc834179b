package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medsync.dicom.worklist.WorklistException;
import org.medsync.dicom.worklist.WorklistItem;
import org.medsync.dicom.worklist.WorklistQuery;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configurator's own HTTP interface (JDK HttpServer; only the server module uses a web framework):
 *
 * <pre>
 *   GET  /worklist[?date=YYYY-MM-DD&amp;modality=ES&amp;stationAe=..&amp;patientName=DOE*]   {"items":[{index,...}]}
 *   POST /procedures/{index}/apply   {"transmitters":[...],"receivers":[...]} or empty   200 what was pushed
 *   POST /dynamic/{transmitterIndex} DICOM JSON object                              204 relayed
 *   GET  /status                     last apply and each device's GET /status
 * </pre>
 *
 * Every request first passes the same {@link ControlGuard} as the devices' (Host, Origin, bearer token,
 * Content-Type). Errors are {@code {"error": code, "message": text}} like the devices': 400 invalid input, 404 no such
 * procedure/transmitter/path, 405, 409, 413, 502 a device or the worklist failed (504 if it timed out).
 * A failed request leaves the configurator running and its state unchanged.
 */
public final class ConfiguratorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguratorServer.class);
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern APPLY = Pattern.compile("/procedures/(-?\\d{1,9})/apply/?");
    private static final Pattern DYNAMIC = Pattern.compile("/dynamic/(-?\\d{1,9})/?");

    private final Configurator configurator;
    private final HttpServer http;
    private final ExecutorService executor;
    private final ControlGuard guard;

    private ConfiguratorServer(
            Configurator configurator, HttpServer http, ExecutorService executor, ControlGuard guard) {
        this.configurator = configurator;
        this.http = http;
        this.executor = executor;
        this.guard = guard;
    }

    /**
     * Starts listening on {@code address} (port 0: any free port). Every request must pass {@code access} as the
     * devices' control APIs do (docs/rtv-control.md "Authentication"): the worklist it answers is patient data.
     */
    public static ConfiguratorServer start(Configurator configurator, InetSocketAddress address, ControlAccess access)
            throws IOException {
        HttpServer http = access.bind(address, 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ControlGuard guard = new ControlGuard(access, http.getAddress(), "configurator");
        ConfiguratorServer s = new ConfiguratorServer(configurator, http, executor, guard);
        http.createContext("/", s::handle).getFilters().add(guard);
        http.setExecutor(executor);
        http.start();
        LOG.info("configurator listening on {}", s.uri());
        return s;
    }

    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        String scheme = http instanceof HttpsServer ? "https://" : "http://";
        return URI.create(scheme + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Matcher m;
            if (path.equals("/worklist") || path.equals("/worklist/")) {
                requireMethod(method, "GET");
                List<WorklistItem> items =
                        configurator.worklist(query(ex.getRequestURI().getRawQuery()));

                send(ex, 200, WorklistJson.list(items));
            } else if ((m = APPLY.matcher(path)).matches()) {
                requireMethod(method, "POST");
                JsonNode body = body(ex);
                send(
                        ex,
                        200,
                        configurator.apply(Integer.parseInt(m.group(1)), body).toJson());
            } else if ((m = DYNAMIC.matcher(path)).matches()) {
                requireMethod(method, "POST");
                JsonNode body = body(ex);
                if (body == null) {
                    throw new ConfigException("dynamic metadata: the body must be a DICOM JSON object, it is empty");
                }
                configurator.relayDynamic(Integer.parseInt(m.group(1)), body);
                ex.sendResponseHeaders(204, -1);
            } else if (path.equals("/status")) {
                requireMethod(method, "GET");
                ObjectNode status = configurator.status();
                guard.warnings().forEach(status.putArray("warnings")::add);
                send(ex, 200, status);
            } else {
                error(
                        ex,
                        404,
                        "not-found",
                        "no such path: " + path
                                + " (GET /worklist, POST /procedures/{index}/apply, POST /dynamic/{transmitterIndex}, GET /status)");
            }
        } catch (MethodNotAllowed e) {
            ex.getResponseHeaders().set("Allow", e.getMessage());
            error(ex, 405, "method-not-allowed", ex.getRequestMethod() + " is not allowed here; use " + e.getMessage());
        } catch (BodyTooLarge e) {
            error(ex, 413, "too-large", "request body over " + MAX_BODY + " bytes");
        } catch (ConfigException e) {
            int status = switch (e.reason()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            error(ex, status, e.reason().code(), e.getMessage());
        } catch (WorklistException e) {
            error(
                    ex,
                    e.reason() == WorklistException.Reason.TIMEOUT ? 504 : 502,
                    "worklist-" + e.reason().code(),
                    e.getMessage());
        } catch (DeviceException e) {
            ObjectNode o = Input.JSON
                    .createObjectNode()
                    .put("error", "device-" + e.reason().code())
                    .put("message", e.getMessage())
                    .put("device", String.valueOf(e.device()));
            if (e.status() != 0) {
                o.put("deviceStatus", e.status());
            }
            if (e.deviceError() != null) {
                o.put("deviceError", e.deviceError());
            }
            send(ex, e.reason() == DeviceException.Reason.TIMEOUT ? 504 : 502, o);
        } catch (IOException e) {
            LOG.debug("configurator: client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("configurator: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            error(ex, 500, "internal", e.toString());
        }
    }

    private WorklistQuery query(String raw) throws ConfigException {
        Map<String, String> p = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    p.put(
                            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        LocalDate day;
        try {
            day = p.containsKey("date") ? LocalDate.parse(p.get("date")) : LocalDate.now();
        } catch (DateTimeParseException e) {
            throw new ConfigException("date must be YYYY-MM-DD, not \"" + p.get("date") + "\"");
        }
        WorklistQuery q = configurator.defaultQuery(day);
        try {
            if (p.containsKey("modality")) {
                q = q.withModality(p.get("modality"));
            }
            if (p.containsKey("stationAe")) {
                q = q.withStationAeTitle(p.get("stationAe"));
            }
            if (p.containsKey("patientName")) {
                q = q.withPatientName(p.get("patientName"));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return q;
    }

    private static JsonNode body(HttpExchange ex) throws IOException, ConfigException, BodyTooLarge {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new BodyTooLarge();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.isBlank() ? null : Input.parse(text, "request body");
    }

    private static void requireMethod(String method, String allowed) throws MethodNotAllowed {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    /** Writes a JSON answer; a client that went away is only logged. */
    private static void send(HttpExchange ex, int status, JsonNode body) {
        try {
            byte[] bytes = Input.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (IOException e) {
            LOG.debug("configurator: answer {} not delivered: {}", status, e.toString());
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) {
        send(ex, status, Input.JSON.createObjectNode().put("error", code).put("message", message));
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private static final class MethodNotAllowed extends Exception {
        MethodNotAllowed(String allowed) {
            super(allowed, null, false, false);
        }
    }

    private static final class BodyTooLarge extends Exception {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }
}
