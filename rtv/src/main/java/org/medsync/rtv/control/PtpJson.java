package org.medsync.rtv.control;

import static org.medsync.rtv.control.JsonFields.integer;
import static org.medsync.rtv.control.JsonFields.object;
import static org.medsync.rtv.control.JsonFields.string;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.ptp.clock.PtpStatus;

/**
 * The {@code "ptp"} member of a device's PUT /config ({@code {"domain": 127, "socket": "/var/run/ptp4l"}},
 * absent = free-running) and of its GET /status (docs/rtv-control.md).
 */
final class PtpJson {

    private PtpJson() {}

    static Optional<PtpMonitor.Settings> settings(Map<String, Object> config) {
        if (!config.containsKey("ptp")) {
            return Optional.empty();
        }
        Map<String, Object> p = object(config, "ptp", "");
        int domain = integer(p, "domain", "ptp.", 127);
        if (domain < 0 || domain > 127) {
            throw new IllegalArgumentException("ptp.domain must be 0..127, was " + domain);
        }
        String socket = p.containsKey("socket") ? string(p, "socket", "ptp.") : "/var/run/ptp4l";
        if (socket.indexOf('\0') >= 0 || socket.isEmpty()) {
            throw new IllegalArgumentException("ptp.socket must be a path");
        }
        Path path = Path.of(socket);
        // a device sends datagrams to this path: only a plain absolute path a sun_path can hold, and named
        // like ptp4l's, so a token holder cannot aim our datagrams at another local socket (e.g. /dev/log)
        if (!path.isAbsolute()
                || !path.normalize().equals(path)
                || path.getFileName() == null
                || !path.getFileName().toString().startsWith("ptp4l")
                || socket.getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new IllegalArgumentException("ptp.socket must be an absolute path without '..', of at most 107 "
                    + "bytes, whose file name starts with ptp4l; was " + socket);
        }
        return Optional.of(PtpMonitor.Settings.of(path, domain));
    }

    static Map<String, Object> config(PtpMonitor.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", s.domain());
        m.put("socket", s.socket().toString());
        return m;
    }

    static Map<String, Object> status(Optional<PtpStatus> status, Optional<String> alert) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (status.isEmpty()) {
            m.put("state", "free-running");
            return m;
        }
        PtpStatus s = status.get();
        m.put("state", s.locked() ? "locked" : "unlocked");
        m.put("grandmaster", s.grandmaster().map(g -> g.eui64()).orElse(null));
        m.put("domain", s.domain());
        m.put("offsetNs", s.offsetNanos().orElse(null));
        m.put("portState", s.portState().map(Enum::name).orElse(null));
        m.put("checked", s.checked().toString());
        m.put("alert", alert.orElse(null));
        return m;
    }
}
