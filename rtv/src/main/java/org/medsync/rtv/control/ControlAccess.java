package org.medsync.rtv.control;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Who may use a control API: holders of {@code token}, reaching it by the bound address (plus localhost
 * names on loopback) or one of {@code allowedHosts} (the names the OR network uses for this device, the
 * {@code --allowed-host} options), over TLS when {@code tls} is set (else null: plain HTTP). See
 * {@link ControlGuard} for what is enforced.
 */
public record ControlAccess(ControlToken token, List<String> allowedHosts, SSLContext tls) {

    public ControlAccess(ControlToken token, List<String> allowedHosts) {
        this(token, allowedHosts, null);
    }

    public ControlAccess {
        Objects.requireNonNull(token, "token");
        allowedHosts = allowedHosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .toList();
        for (String h : allowedHosts) {
            if (h.isEmpty() || h.contains("/") || h.contains(" ")) {
                throw new IllegalArgumentException("--allowed-host takes a host name or address, not '" + h + "'");
            }
        }
    }

    public static ControlAccess of(ControlToken token) {
        return new ControlAccess(token, List.of());
    }

    /** An HTTPS server when {@link #tls()} is set, else an HTTP one; not started. */
    public HttpServer bind(InetSocketAddress address, int backlog) throws IOException {
        if (tls == null) {
            return HttpServer.create(address, backlog);
        }
        HttpsServer https = HttpsServer.create(address, backlog);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return https;
    }
}
