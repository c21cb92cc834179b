package org.medsync.rtv.control;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gate in front of every route of a control API (the devices' and the configurator's), in this order:
 * <ol>
 * <li>Host must name this device (its bound address; localhost, 127.0.0.1 or [::1] when bound on
 * loopback or on every interface; an address of one of its interfaces when bound on every interface; or
 * an {@code --allowed-host}); else 421 {@code misdirected-host}. A page that rebinds its own DNS name to
 * the device sends its own name, so this ends DNS rebinding.</li>
 * <li>No Origin header: only browsers send one, and no browser page has business here; else 403
 * {@code cross-origin}. No CORS header is ever sent, so preflights fail too.</li>
 * <li>{@code Authorization: Bearer <token>}; else 401 {@code unauthorized} with
 * {@code WWW-Authenticate: Bearer realm="medsync-rtv"}.</li>
 * <li>A request with a body says {@code Content-Type: application/json} (or {@code application/dicom+json}),
 * charset UTF-8 if any; else 415 {@code unsupported-media-type}. text/plain, form and multipart bodies are
 * what a page can send without a preflight.</li>
 * </ol>
 * Refusals are {@code {"error": code, "message": text}} and a WARN log line without the presented token.
 */
public final class ControlGuard extends Filter {

    private static final System.Logger LOG = System.getLogger(ControlGuard.class.getName());
    static final String REALM = "Bearer realm=\"medsync-rtv\"";
    /** 0..255 without leading zeros, which some parsers read as octal. */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/dicom+json");

    private final ControlToken token;
    private final Set<String> names = new HashSet<>();
    private final Set<InetAddress> addresses = new HashSet<>();
    private final List<String> warnings;

    /** @param bound the address the server listens on (wildcard: every interface) */
    public ControlGuard(ControlAccess access, InetSocketAddress bound, String what) {
        this.token = access.token();
        InetAddress a = bound.getAddress();
        if (!a.isAnyLocalAddress()) {
            addresses.add(a);
        }
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            names.add("localhost");
            addresses.add(InetAddress.getLoopbackAddress());
            addresses.add(literal("127.0.0.1"));
            addresses.add(literal("::1"));
        }
        if (a.isAnyLocalAddress()) {
            try {
                NetworkInterface.networkInterfaces()
                        .flatMap(NetworkInterface::inetAddresses)
                        .forEach(addresses::add);
            } catch (SocketException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        what + ": cannot list this host's addresses (" + e.getMessage()
                                + "); only --allowed-host names and loopback are accepted in Host");
            }
        }
        for (String h : access.allowedHosts()) {
            InetAddress literal = literal(h);
            if (literal != null) {
                addresses.add(literal);
            } else {
                names.add(h);
            }
        }
        if (a.isLoopbackAddress() || access.tls() != null) {
            warnings = List.of();
        } else {
            String w = "control-api-without-tls: " + what + " listens on " + hostText(bound)
                    + " without TLS; its bearer token and the patient metadata it carries cross the network in clear."
                    + " Serve it over TLS (--tls-keystore), or keep it on loopback or an isolated management VLAN"
                    + " (docs/security.md).";
            warnings = List.of(w);
            LOG.log(System.Logger.Level.WARNING, w);
        }
    }

    /** What GET /status shows under "warnings": empty on loopback. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String description() {
        return "Host, Origin, bearer token and Content-Type checks of docs/rtv-control.md";
    }

    @Override
    public void doFilter(HttpExchange x, Chain chain) throws IOException {
        String host = x.getRequestHeaders().getFirst("Host");
        if (!hostAllowed(host)) {
            refuse(
                    x,
                    421,
                    "misdirected-host",
                    host == null
                            ? "a Host header is required"
                            : "Host '" + host + "' does not name this device; start it with --allowed-host NAME if that"
                                    + " name is meant to reach it");
            return;
        }
        String origin = x.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            refuse(
                    x,
                    403,
                    "cross-origin",
                    "requests from web pages (Origin " + origin + ") are refused: the control"
                            + " API is for the configurator and operators' tools");
            return;
        }
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip()
                : null;
        if (!token.matches(presented)) {
            x.getResponseHeaders()
                    .set("WWW-Authenticate", presented == null ? REALM : REALM + ", error=\"invalid_token\"");
            refuse(
                    x,
                    401,
                    "unauthorized",
                    presented == null
                            ? "this control API needs Authorization: Bearer <token> (the device's token file)"
                            : "the bearer token is not this device's");
            return;
        }
        if (hasBody(x) && !jsonType(x.getRequestHeaders().getFirst("Content-Type"))) {
            refuse(
                    x,
                    415,
                    "unsupported-media-type",
                    "a request body must be Content-Type: application/json (UTF-8), not "
                            + x.getRequestHeaders().getFirst("Content-Type"));
            return;
        }
        chain.doFilter(x);
    }

    boolean hostAllowed(String header) {
        if (header == null) {
            return false;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        String name;
        String port;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(1, end);
            port = h.substring(end + 1);
            if (literal(name) == null) {
                return false;
            }
        } else {
            int colon = h.indexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            port = colon < 0 ? "" : h.substring(colon);
        }
        if (!port.isEmpty() && !port.matches(":\\d{1,5}")) {
            return false;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        InetAddress literal = literal(name);
        return literal != null ? addresses.contains(literal) : names.contains(name);
    }

    /**
     * The address an IP literal names, else null. Never a DNS lookup (the Host header is the attacker's text):
     * getByName only parses a dotted quad, and text with a colon, which the JDK reads as IPv6 or refuses.
     */
    private static InetAddress literal(String s) {
        boolean v4 = s.matches(OCTET + "(\\." + OCTET + "){3}");
        if (!v4 && !(s.contains(":") && s.matches("[0-9a-f:.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException notALiteral) {
            return null;
        }
    }

    private static boolean hasBody(HttpExchange x) {
        if (x.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return true;
        }
        String length = x.getRequestHeaders().getFirst("Content-Length");
        return length != null && !length.strip().equals("0");
    }

    static boolean jsonType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!JSON_TYPES.contains(parts[0].strip())) {
            return false;
        }
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k].strip().replace(" ", "");
            if (p.startsWith("charset=") && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    private static String hostText(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static void refuse(HttpExchange x, int status, String code, String message) throws IOException {
        LOG.log(
                System.Logger.Level.WARNING,
                "control request refused " + status + " " + code + ": " + x.getRequestMethod() + " "
                        + x.getRequestURI().getPath() + " from " + x.getRemoteAddress());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        byte[] body = Json.write(m).getBytes(StandardCharsets.UTF_8);
        try (x) {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
