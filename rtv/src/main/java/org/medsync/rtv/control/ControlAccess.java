package org.medsync.rtv.control;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who may use a control API: holders of {@code token}, reaching it by the bound address (plus localhost
 * names on loopback) or one of {@code allowedHosts} (the names the OR network uses for this device, the
 * {@code --allowed-host} options). See {@link ControlGuard} for what is enforced.
 */
public record ControlAccess(ControlToken token, List<String> allowedHosts) {

    public ControlAccess {
        Objects.requireNonNull(token, "token");
        allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        for (String h : allowedHosts) {
            if (h.isEmpty() || h.contains("/") || h.contains(" ")) {
                throw new IllegalArgumentException("--allowed-host takes a host name or address, not '" + h + "'");
            }
        }
    }

    public static ControlAccess of(ControlToken token) {
        return new ControlAccess(token, List.of());
    }
}
