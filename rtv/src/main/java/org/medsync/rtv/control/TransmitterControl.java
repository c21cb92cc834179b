package org.medsync.rtv.control;

import static org.medsync.rtv.control.JsonFields.integer;
import static org.medsync.rtv.control.JsonFields.object;
import static org.medsync.rtv.control.JsonFields.string;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

/**
 * The transmitter side of docs/rtv-control.md: GET /SDP, GET /status, PUT /config,
 * POST /metadata/dynamic, POST /start, POST /stop.
 */
public final class TransmitterControl implements AutoCloseable {

    private final ControlServer server;

    public TransmitterControl(Transmitter tx, InetSocketAddress address, ControlAccess access) throws IOException {
        server = new ControlServer(address, access, "transmitter control API")
                .route("GET", "/SDP", body -> {
                    try {
                        return new ControlServer.Response(
                                200, "application/sdp", tx.sdp().getBytes(StandardCharsets.UTF_8));
                    } catch (IllegalStateException e) {
                        throw new ControlServer.Refused(404, "not-configured", e.getMessage());
                    }
                })
                .route("GET", "/status", body -> ControlServer.Response.json(withWarnings(status(tx.status()))))
                .route("PUT", "/config", body -> {
                    TransmitterConfig c = config(body);
                    tx.configure(c, PtpJson.settings(object(Json.parse(body), "the body")));
                    Map<String, Object> applied = configJson(c);
                    tx.ptpSettings().ifPresent(p -> applied.put("ptp", PtpJson.config(p)));
                    return ControlServer.Response.json(applied);
                })
                .route("POST", "/metadata/dynamic", body -> {
                    tx.postDynamic(DicomJson.toDataset(Json.parse(body)));
                    return ControlServer.Response.noContent();
                })
                .route("POST", "/start", body -> {
                    tx.start();
                    return ControlServer.Response.noContent();
                })
                .route("POST", "/stop", body -> {
                    tx.stop();
                    return ControlServer.Response.noContent();
                })
                .start();
    }

    public int port() {
        return server.port();
    }

    private Map<String, Object> withWarnings(Map<String, Object> status) {
        status.put("warnings", server.warnings());
        return status;
    }

    /** Parses and validates a TransmitterConfig document. @throws IllegalArgumentException saying what is wrong */
    public static TransmitterConfig config(String body) {
        Map<String, Object> c = object(Json.parse(body), "the body");
        Map<String, Object> v = object(c, "video", "");
        VideoFormat fmt = VideoFormat.of(
                string(v, "sampling", "video."),
                Integer.toString(integer(v, "depth", "video.")),
                integer(v, "width", "video."),
                integer(v, "height", "video."),
                rate(string(v, "rate", "video.")),
                string(v, "colorimetry", "video."),
                false);
        Map<String, Object> d = object(c, "destination", "");
        Map<String, Object> dv = object(d, "video", "destination.");
        Map<String, Object> dm = object(d, "metadata", "destination.");
        Optional<TransmitterConfig.Redundancy> redundancy = Optional.empty();
        if (d.containsKey("secondary")) {
            Map<String, Object> s2 = object(d, "secondary", "destination.");
            Map<String, Object> sv = object(s2, "video", "destination.secondary.");
            Map<String, Object> sm = object(s2, "metadata", "destination.secondary.");
            redundancy = Optional.of(new TransmitterConfig.Redundancy(
                    new TransmitterConfig.Endpoint(
                            string(sv, "address", "destination.secondary.video."),
                            integer(sv, "port", "destination.secondary.video.")),
                    new TransmitterConfig.Endpoint(
                            string(sm, "address", "destination.secondary.metadata."),
                            integer(sm, "port", "destination.secondary.metadata.")),
                    optionalString(d, "source", "destination."),
                    optionalString(s2, "source", "destination.secondary."),
                    optionalString(s2, "interface", "destination.secondary.")));
        } else if (d.containsKey("source")) {
            throw new IllegalArgumentException(
                    "destination.source names the primary path's local address: it goes with destination.secondary");
        }
        Dataset statics =
                c.containsKey("staticMetadata") ? DicomJson.toDataset(c.get("staticMetadata")) : Dataset.EMPTY;
        String sop = c.containsKey("sopClassUid") ? string(c, "sopClassUid", "") : RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC;
        return new TransmitterConfig(
                fmt,
                new TransmitterConfig.Endpoint(
                        string(dv, "address", "destination.video."), integer(dv, "port", "destination.video.")),
                new TransmitterConfig.Endpoint(
                        string(dm, "address", "destination.metadata."), integer(dm, "port", "destination.metadata.")),
                integer(d, "ttl", "destination.", 8),
                sop,
                statics,
                redundancy);
    }

    private static Optional<String> optionalString(Map<String, Object> m, String key, String prefix) {
        return m.containsKey(key) ? Optional.of(string(m, key, prefix)) : Optional.empty();
    }

    /** "50", "60000/1001", any N or N/1001. */
    static FrameRate rate(String s) {
        if (s.matches("[1-9]\\d{0,5}")) {
            return new FrameRate(Long.parseLong(s), 1);
        }
        if (s.matches("[1-9]\\d{0,6}/1001")) {
            return new FrameRate(Long.parseLong(s.substring(0, s.indexOf('/'))), 1001);
        }
        throw new IllegalArgumentException("video.rate '" + s + "' must be N or N/1001, e.g. \"50\" or \"60000/1001\"");
    }

    static Map<String, Object> format(VideoFormat f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", f.width());
        m.put("height", f.height());
        m.put("rate", f.rate().toString());
        m.put("sampling", VideoFormat.SAMPLING);
        m.put("depth", f.depth());
        m.put("colorimetry", f.colorimetry().name());
        return m;
    }

    static Map<String, Object> configJson(TransmitterConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("video", format(c.video()));
        Map<String, Object> dest = new LinkedHashMap<>(Map.of(
                "video",
                        Map.of(
                                "address",
                                c.videoDestination().address(),
                                "port",
                                c.videoDestination().port()),
                "metadata",
                        Map.of(
                                "address",
                                c.metadataDestination().address(),
                                "port",
                                c.metadataDestination().port()),
                "ttl", c.ttl()));
        c.redundancy().ifPresent(r -> {
            r.primarySource().ifPresent(a -> dest.put("source", a));
            Map<String, Object> s2 = new LinkedHashMap<>();
            s2.put(
                    "video",
                    Map.of("address", r.video().address(), "port", r.video().port()));
            s2.put(
                    "metadata",
                    Map.of(
                            "address",
                            r.metadata().address(),
                            "port",
                            r.metadata().port()));
            r.secondarySource().ifPresent(a -> s2.put("source", a));
            r.secondaryInterface().ifPresent(i -> s2.put("interface", i));
            dest.put("secondary", s2);
        });
        m.put("destination", dest);
        m.put("sopClassUid", c.sopClassUid());
        return m;
    }

    static Map<String, Object> status(Transmitter.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state());
        m.put("source", s.source());
        m.put("format", s.format() == null ? null : format(s.format()));
        m.put("framesSent", s.framesSent());
        m.put("packetsSent", s.packetsSent());
        List<Object> alerts = new ArrayList<>();
        for (Transmitter.Alert a : s.alerts()) {
            alerts.add(Map.of("time", a.time().toString(), "code", a.code(), "message", a.message()));
        }
        m.put("alerts", alerts);
        m.put("framesSkipped", s.framesSkipped());
        m.put("sendBufferBytes", s.sendBufferBytes());
        m.put("ptp", PtpJson.status(s.ptp(), s.ptpAlert()));
        if (!s.paths().isEmpty()) {
            List<Object> paths = new ArrayList<>();
            for (Transmitter.PathStatus p : s.paths()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("path", p.path());
                pm.put("videoDestination", p.videoDestination());
                pm.put("packetsSent", p.packetsSent());
                pm.put("sendErrors", p.sendErrors());
                paths.add(pm);
            }
            m.put("paths", paths);
        }
        s.pacing().ifPresent(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("cinstMax", p.cinstMax());
            pm.put("cmax", p.cmax());
            pm.put("vrxMax", p.vrxMax());
            pm.put("vrxFull", p.vrxFull());
            pm.put("latePackets", p.latePackets());
            pm.put("compliant", p.compliant());
            m.put("pacing", pm);
        });
        return m;
    }

    @Override
    public void close() {
        server.close();
    }
}
