package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The OR's PTP: every device's ptp4l runs in {@code domain} (ST 2059-2's default 127) and answers
 * management messages at {@code socket} (ptp4l's {@code uds_address}). Absent from the OR file, the
 * devices are free-running.
 */
record PtpSetup(int domain, String socket) {

    static final String DEFAULT_SOCKET = "/var/run/ptp4l";

    /** @return null when the OR file has no {@code ptp} */
    static PtpSetup read(JsonNode n, String path) throws ConfigException {
        if (n == null) {
            return null;
        }
        Input.object(n, path);
        int domain = Input.integer(n, "domain", path, 127, 0, 127);
        String socket = Input.text(n, "socket", path, DEFAULT_SOCKET);
        Path p = Path.of(socket.indexOf('\0') >= 0 ? "relative" : socket);
        // the devices refuse any other (docs/rtv-control.md): say so here, before anything is pushed
        if (!p.isAbsolute()
                || !p.normalize().equals(p)
                || p.getFileName() == null
                || !p.getFileName().toString().startsWith("ptp4l")
                || socket.getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new ConfigException(Input.at(path, "socket")
                    + " must be an absolute path without '..', of at most 107 bytes, whose file name starts with "
                    + "ptp4l; not \"" + socket + "\"");
        }
        return new PtpSetup(domain, socket);
    }

    /** The {@code ptp} member of a device's PUT /config (docs/rtv-control.md). */
    ObjectNode toJson() {
        return Input.JSON.createObjectNode().put("domain", domain).put("socket", socket);
    }
}
