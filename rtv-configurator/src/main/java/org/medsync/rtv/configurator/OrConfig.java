package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.medsync.dicom.worklist.RemoteAe;
import org.medsync.rtv.control.ControlTls;

/**
 * The operating room as the configurator sees it, from a JSON file (docs/rtv.md "Configurator"):
 *
 * <pre>
 * {
 *   "listen": "127.0.0.1:8700",
 *   "worklist": {"host": "10.0.0.5", "port": 104, "calledAe": "RIS", "callingAe": "OR1_RTV",
 *                "timeoutMs": 10000, "modality": "ES", "stationAe": null},
 *   "deviceTimeoutMs": 3000,
 *   "tlsTrust": "or-devices.pem",
 *   "ptp": {"domain": 127, "socket": "/var/run/ptp4l"},
 *   "transmitters": [{"name": "endoscope", "control": "http://10.1.0.11:9001", "tokenFile": "tokens/endoscope.token",
 *                     "video": {...}, "destination": {...}, "sopClassUid": "1.2.840.10008.10.1", "equipment": {...}}],
 *   "receivers": [{"name": "monitor 1", "control": "http://10.1.0.21:9101", "tokenFile": "tokens/monitor-1.token",
 *                  "layout": "side-by-side", "overlay": {"zone": 7, "attributes": ["00100010"]}, "latencyMs": 40}]
 * }
 * </pre>
 */
public record OrConfig(
        InetSocketAddress listen,
        RemoteAe worklist,
        Duration worklistTimeout,
        String modality,
        String stationAe,
        Duration deviceTimeout,
        SSLContext deviceTls,
        List<TransmitterSetup> transmitters,
        List<ReceiverSetup> receivers,
        PtpSetup ptp) {

    public OrConfig {
        transmitters = List.copyOf(transmitters);
        receivers = List.copyOf(receivers);
    }

    public static OrConfig load(Path file) throws ConfigException {
        try {
            return parse(
                    Files.readString(file),
                    file.toString(),
                    file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ConfigException("cannot read OR configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param base folder that relative {@code tokenFile} paths are resolved against */
    public static OrConfig parse(String json, String what, Path base) throws ConfigException {
        JsonNode root = Input.object(Input.parse(json, what), what);
        String listenText = Input.text(root, "listen", "", "127.0.0.1:8700");
        InetSocketAddress listen = hostPort(listenText, "listen");
        JsonNode wl = Input.object(Input.optional(root, "worklist"), "worklist");
        RemoteAe ae;
        try {
            ae = new RemoteAe(
                    Input.requiredText(wl, "host", "worklist"),
                    Input.integer(wl, "port", "worklist", null, 1, 65535),
                    Input.requiredText(wl, "calledAe", "worklist"),
                    Input.text(wl, "callingAe", "worklist", RemoteAe.DEFAULT_CALLING_AE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("worklist: " + e.getMessage());
        }
        Duration wlTimeout = Duration.ofMillis(Input.integer(wl, "timeoutMs", "worklist", 10_000, 100, 300_000));
        String trust = Input.text(root, "tlsTrust", "", null);
        SSLContext deviceTls = null;
        if (trust != null) {
            try {
                deviceTls = ControlTls.trusting(base.resolve(trust));
            } catch (IOException e) {
                throw new ConfigException("tlsTrust: " + e.getMessage(), e);
            }
        }
        Credentials tokens = Credentials.tokenFiles(base);
        List<TransmitterSetup> tx = Input.list(root, "transmitters", "", (n, p) -> TransmitterSetup.read(n, p, tokens));
        List<ReceiverSetup> rx = Input.list(root, "receivers", "", (n, p) -> ReceiverSetup.read(n, p, tokens));
        return new OrConfig(
                listen,
                ae,
                wlTimeout,
                Input.text(wl, "modality", "worklist", null),
                Input.text(wl, "stationAe", "worklist", null),
                Duration.ofMillis(Input.integer(root, "deviceTimeoutMs", "", 3_000, 100, 120_000)),
                deviceTls,
                tx == null ? List.of() : tx,
                rx == null ? List.of() : rx,
                PtpSetup.read(Input.optional(root, "ptp"), "ptp"));
    }

    static InetSocketAddress hostPort(String s, String field) throws ConfigException {
        int colon = s.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(s.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new ConfigException(field + " must be HOST:PORT, not \"" + s + "\"");
        }
    }
}
