package org.medsync.server.readout.audio;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.medsync.library.secrets.Secrets;
import org.medsync.server.network.PortRange;
import org.medsync.server.settings.PropertyValues;

/**
 * Where readout audio goes in relay mode (README.md, settings "readout.audio-sfu.*"): {@code embedded} (default)
 * starts Debian's Janus as a child process on loopback; a URL uses a Janus someone else runs (its HTTP API, e.g.
 * http://10.0.0.5:8088/janus, with its api_secret); {@code off} keeps audio on the mesh.
 *
 * @param url        null for embedded, else the Janus HTTP API
 * @param enabled    false: no SFU, audio on the mesh in every readout
 * @param apiSecret  the external Janus's api_secret (embedded: a fresh random one)
 * @param janus      the janus binary for embedded
 * @param rtpMin     embedded: first RTP/ICE port (0: Janus's default range)
 * @param rtpMax     embedded: last RTP/ICE port
 * @param interfaces embedded: the only interfaces or addresses ICE gathers on (Janus's ice_enforce_list; empty: all)
 * @param timeout    how long one Janus request may take
 * @param mixAbove   readouts on the relay with more participants than this get their audio mixed by Janus's
 *                   AudioBridge (one stream down per participant) instead of forwarded (readout.audio-sfu.mix-above,
 *                   default 8; 0: always mixed)
 */
public record AudioSfuSettings(
        boolean enabled,
        URI url,
        String apiSecret,
        Path janus,
        int rtpMin,
        int rtpMax,
        String interfaces,
        Duration timeout,
        int mixAbove) {
    public AudioSfuSettings {
        if (rtpMin < 0 || rtpMax > 65535 || rtpMin > rtpMax || (rtpMin == 0) != (rtpMax == 0)) {
            throw new IllegalArgumentException("readout.audio-sfu.ports must be a range like 20000-20999");
        }
        if (!interfaces.matches("[A-Za-z0-9.:,_-]*")) {
            throw new IllegalArgumentException(
                    "readout.audio-sfu.interfaces: interface names or addresses separated by commas");
        }
        if (mixAbove < 0) {
            throw new IllegalArgumentException("readout.audio-sfu.mix-above cannot be negative");
        }
        if (url != null && !"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(
                    "readout.audio-sfu.url must be embedded, off or Janus's HTTP API URL (http://host:port/janus)");
        }
    }

    /**
     * Up to 8 participants forwarding costs a participant at most 7 streams (about 350 kbps) and the server no
     * decoding; above, one mixed stream keeps a lecture's download flat.
     */
    public static final int DEFAULT_MIX_ABOVE = 8;

    public static AudioSfuSettings from(Properties p) {
        String url = p.getProperty("readout.audio-sfu.url", "embedded").trim();
        PortRange ports = PortRange.parse(
                "readout.audio-sfu.ports", p.getProperty("readout.audio-sfu.ports", "20000-20999"), "20000-20999");
        URI uri = switch (url) {
            case "embedded", "off" -> null;
            default -> {
                try {
                    yield URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("readout.audio-sfu.url is no URL: " + e.getMessage());
                }
            }
        };
        return new AudioSfuSettings(
                !url.equals("off"),
                uri,
                p.getProperty("readout.audio-sfu.secret", "").trim(),
                Path.of(p.getProperty("readout.audio-sfu.janus", "/usr/bin/janus")
                        .trim()),
                ports.min(),
                ports.max(),
                p.getProperty("readout.audio-sfu.interfaces", "").trim(),
                Duration.ofSeconds(10),
                PropertyValues.integer(p, "readout.audio-sfu.mix-above", DEFAULT_MIX_ABOVE));
    }

    /** Without Janus's api_secret (see {@link Secrets}). */
    @Override
    public String toString() {
        return Secrets.recordString(this, "apiSecret");
    }
}
