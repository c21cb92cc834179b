package org.medsync.rtv.control;

import static org.medsync.rtv.control.JsonFields.array;
import static org.medsync.rtv.control.JsonFields.bool;
import static org.medsync.rtv.control.JsonFields.integer;
import static org.medsync.rtv.control.JsonFields.object;
import static org.medsync.rtv.control.JsonFields.string;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.time.Grandmasters;
import org.medsync.rtv.time.PtpClock;
import org.medsync.sdp.SdpException;
import org.medsync.sdp.SessionDescription;

/**
 * The receiver side of docs/rtv-control.md: PUT /config, GET /status, GET /snapshot.png; and the remote annotations
 * layer (docs/rtv.md "Remote annotations"): GET /annotations lists the strokes shown, DELETE /annotations clears them
 * (the OR's own "clear" button).
 */
public final class ReceiverControl implements AutoCloseable {

    /** An SDP of 4 flows is a few kB; a server answering more is not an SDP server. */
    static final int MAX_SDP = 64 * 1024;

    private final ControlServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final System.Logger LOG = System.getLogger(ReceiverControl.class.getName());

    // the receiver's own lock, and which clocks its flows follow (from their SDPs), for GET /status
    private final PtpClock ptp = new PtpClock(
            (code, message) -> LOG.log(System.Logger.Level.WARNING, "receiver: {0}: {1}", code, message), () -> {});
    private volatile List<String> flowClocks = List.of();

    public ReceiverControl(Receiver rx, InetSocketAddress address, ControlAccess access) throws IOException {
        server = new ControlServer(address, access, "receiver control API")
                .route("PUT", "/config", body -> {
                    List<SessionDescription> sdps = new ArrayList<>();
                    ReceiverConfig c = config(body, this::fetch, sdps);
                    Optional<PtpMonitor.Settings> ptpSettings = PtpJson.settings(object(Json.parse(body), "the body"));
                    try {
                        rx.configure(c);
                    } catch (IOException e) {
                        throw new ControlServer.Refused(400, "cannot-subscribe", "cannot receive the flows: " + e);
                    }
                    ptp.use(ptpSettings);
                    flowClocks = Grandmasters.of(sdps);
                    Grandmasters.warning(flowClocks)
                            .ifPresent(w -> LOG.log(System.Logger.Level.WARNING, "receiver: {0}", w));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put(
                            "flows",
                            c.flows().stream().map(FlowDescription::sessionName).toList());
                    m.put("layout", c.layout());
                    m.put(
                            "overlay",
                            Map.of(
                                    "enabled",
                                    c.overlayEnabled(),
                                    "zone",
                                    c.overlayZone(),
                                    "attributes",
                                    c.overlayAttributes().stream()
                                            .map(Tags::hex)
                                            .toList()));
                    m.put("latencyMs", c.latencyMs());
                    ptpSettings.ifPresent(p -> m.put("ptp", PtpJson.config(p)));
                    return ControlServer.Response.json(m);
                })
                .route("GET", "/status", body -> {
                    Map<String, Object> m = status(rx.status());
                    m.put("ptp", PtpJson.status(ptp.status(), ptp.activeAlert()));
                    m.put("flowClocks", flowClocks);
                    m.put("clockWarning", Grandmasters.warning(flowClocks).orElse(null));
                    return ControlServer.Response.json(withWarnings(m));
                })
                .route("GET", "/annotations", body -> ControlServer.Response.json(annotations(rx)))
                .route("DELETE", "/annotations", body -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("cleared", rx.annotations().clear());
                    return ControlServer.Response.json(m);
                })
                .route(
                        "GET",
                        "/snapshot.png",
                        body -> rx.snapshotPng()
                                .map(png -> new ControlServer.Response(200, "image/png", png))
                                .orElseThrow(() -> new ControlServer.Refused(
                                        409, "no-frame-yet", "nothing played out yet: configure flows first")))
                .start();
    }

    public int port() {
        return server.port();
    }

    private Map<String, Object> withWarnings(Map<String, Object> status) {
        status.put("warnings", server.warnings());
        return status;
    }

    /** Where an {@code sdpUrl} flow's SDP comes from: fetched over HTTP by the device, given by a test. */
    @FunctionalInterface
    interface SdpSource {
        String fetch(String url, int flow) throws InterruptedException;
    }

    /** Parses a ReceiverConfig document, fetching sdpUrl flows. @throws IllegalArgumentException or Refused */
    public ReceiverConfig config(String body) throws InterruptedException {
        return config(body, this::fetch);
    }

    static ReceiverConfig config(String body, SdpSource sdpSource) throws InterruptedException {
        return config(body, sdpSource, new ArrayList<>());
    }

    /** As {@link #config(String, SdpSource)}, also handing out each flow's parsed SDP. */
    static ReceiverConfig config(String body, SdpSource sdpSource, List<SessionDescription> sdps)
            throws InterruptedException {
        Map<String, Object> c = object(Json.parse(body), "the body");
        List<FlowDescription> flows = new ArrayList<>();
        List<?> fl = array(c, "flows", "");
        if (fl.size() > ReceiverConfig.MAX_FLOWS) {
            // before any sdpUrl is fetched: a long list would keep the device fetching for minutes
            throw new IllegalArgumentException("1 to " + ReceiverConfig.MAX_FLOWS + " flows, was " + fl.size());
        }
        for (int i = 0; i < fl.size(); i++) {
            Map<String, Object> f = object(fl.get(i), "flows[" + i + "]");
            String sdp;
            if (f.containsKey("sdp")) {
                sdp = string(f, "sdp", "flows[" + i + "].");
            } else if (f.containsKey("sdpUrl")) {
                sdp = sdpSource.fetch(string(f, "sdpUrl", "flows[" + i + "]."), i);
            } else {
                throw new IllegalArgumentException("flows[" + i + "] needs sdp or sdpUrl");
            }
            try {
                flows.add(FlowDescription.parse(sdp));
                sdps.add(SessionDescription.parse(sdp));
            } catch (SdpException e) {
                throw new ControlServer.Refused(400, "bad-sdp", "flows[" + i + "]: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ControlServer.Refused(400, "bad-sdp", "flows[" + i + "]: " + e.getMessage());
            }
        }
        Map<String, Object> overlay = c.containsKey("overlay")
                ? object(c, "overlay", "")
                : Map.of("zone", new BigDecimal(7), "attributes", List.of());
        List<Integer> attrs = new ArrayList<>();
        List<?> attributes = overlay.containsKey("attributes") ? array(overlay, "attributes", "overlay.") : List.of();
        for (int i = 0; i < attributes.size(); i++) {
            if (!(attributes.get(i) instanceof String hex)) {
                throw new IllegalArgumentException("overlay.attributes[" + i
                        + "] must be a string of 8 hex digits, not " + JsonFields.kind(attributes.get(i)));
            }
            attrs.add(Tags.parseHex(hex));
        }
        String layout = c.containsKey("layout") ? string(c, "layout", "") : ReceiverConfig.SIDE_BY_SIDE;
        return new ReceiverConfig(
                flows,
                layout,
                overlay.containsKey("zone") ? integer(overlay, "zone", "overlay.") : 7,
                attrs,
                integer(c, "latencyMs", "", 40),
                bool(overlay, "enabled", "overlay.", true));
    }

    private String fetch(String url, int i) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    BoundedBody.ofString(MAX_SDP));
            if (r.statusCode() == 401) {
                throw new ControlServer.Refused(
                        400,
                        "bad-sdp",
                        "flows[" + i + "]: " + url + " answered 401: that SDP"
                                + " needs a credential, which a receiver never holds; give the SDP itself as \"sdp\"");
            }
            if (r.statusCode() != 200) {
                throw new ControlServer.Refused(
                        400, "bad-sdp", "flows[" + i + "]: " + url + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException | IllegalArgumentException e) {
            throw new ControlServer.Refused(400, "bad-sdp", "flows[" + i + "]: cannot fetch " + url + ": " + e);
        }
    }

    /** The strokes shown: who drew them (a role), on which frame, for how much longer; never their points. */
    static Map<String, Object> annotations(Receiver rx) {
        long now = System.nanoTime();
        List<Object> strokes = new ArrayList<>();
        for (RemoteAnnotations.Shown s : rx.annotations().current()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.stroke().id());
            m.put("author", s.stroke().author());
            m.put("rtpTimestamp", s.stroke().rtpTimestamp());
            m.put("points", s.stroke().points().size());
            m.put("expiresInMs", Math.max(0, (s.expiresAtNanos() - now) / 1_000_000));
            strokes.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strokes", strokes);
        return m;
    }

    static Map<String, Object> status(Receiver.Status s) {
        List<Object> flows = new ArrayList<>();
        for (Receiver.FlowStatus f : s.flows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sdpSession", f.sdpSession());
            m.put("framesComplete", f.framesComplete());
            m.put("framesConcealed", f.framesConcealed());
            m.put("packetsLost", f.packetsLost());
            m.put("lastRtpTimestamp", f.lastRtpTimestamp());
            m.put("framesIncomplete", f.framesIncomplete());
            m.put("malformedPackets", f.malformedPackets());
            m.put("metadataGrains", f.metadataGrains());
            m.put("metadataProblems", f.metadataProblems());
            m.put("receiveBufferBytes", f.receiveBufferBytes());
            m.put("latencyP50Ms", f.latencyP50Ms());
            m.put("latencyP99Ms", f.latencyP99Ms());
            m.put("timing", f.timing());
            m.put("timingReanchors", f.timingReanchors());
            if (!f.paths().isEmpty()) {
                List<Object> paths = new ArrayList<>();
                for (Receiver.PathStatus p : f.paths()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("path", p.path());
                    pm.put("destination", p.destination());
                    pm.put("up", p.up());
                    pm.put("packets", p.packets());
                    pm.put("packetsUsed", p.packetsUsed());
                    pm.put("packetsLost", p.packetsLost());
                    pm.put(
                            "lastSeen",
                            p.lastSeen() == null ? Json.NULL : p.lastSeen().toString());
                    paths.add(pm);
                }
                m.put("paths", paths);
            }
            flows.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flows", flows);
        m.put("latencyMs", s.latencyMs());
        m.put("framesPlayed", s.framesPlayed());
        List<Object> alerts = new ArrayList<>();
        for (Receiver.Alert a : s.alerts()) {
            alerts.add(Map.of("time", a.time().toString(), "code", a.code(), "message", a.message()));
        }
        m.put("alerts", alerts);
        return m;
    }

    @Override
    public void close() {
        ptp.close();
        server.close();
    }
}
