package org.medsync.server.or;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.medsync.gateway.flow.FlowGateway;
import org.medsync.gateway.h264.EncoderException;
import org.medsync.gateway.h264.H264Encoder;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.server.auth.Role;
import org.medsync.server.cluster.ClusterSettings;
import org.medsync.server.cluster.OrCluster;
import org.medsync.server.janus.EmbeddedJanus;
import org.medsync.server.janus.JanusException;
import org.medsync.server.janus.JanusSession;
import org.medsync.st2110.timing.SystemMediaClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live ORs outside the OR (docs/or-gateway.md): for each configured flow someone watches, one {@link FlowGateway}
 * (one H.264 encode) feeds one mountpoint of Janus's Streaming plugin on loopback, and Janus fans the RTP out to every
 * viewer's PeerConnection. The server alone speaks to Janus (api_secret, mountpoint secret and pin are random and
 * never leave it): a viewer asks the server, which checks the OR's allow-list, asks Janus for an offer on the viewer's
 * own handle and relays the browser's answer and ICE candidates. Every viewing is recorded. A flow nobody watches
 * for {@code idleSeconds} is stopped (its encoder and mountpoint), so an idle demo machine does not encode.
 */
public final class LiveOrs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveOrs.class);
    private static final String PLUGIN = "janus.plugin.streaming";

    /** What a viewer gets for one flow: its viewing id and Janus's offer. */
    public record Watch(String viewing, String or, String flow, String offerSdp) {}

    /**
     * One flow's state as the list shows it; {@code since} ISO-8601, null while it does not run; {@code testPattern}:
     * its frames carry a burned-in stamp of their RTV timestamp.
     */
    public record FlowState(String name, boolean running, int viewers, String since, boolean testPattern) {}

    /** One OR as the list shows it to someone allowed to watch it. */
    public record OrState(String id, String name, String procedure, List<FlowState> flows) {}

    private final OrSettings settings;
    private final ViewingLog viewingLog;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, LiveFlow> flows = new ConcurrentHashMap<>();
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("or-cluster-tick").daemon().factory());
    private final OrAccess access;
    private final MetadataHub metadata = new MetadataHub();
    private final TestPatternFlows testPatterns = new TestPatternFlows(new SystemMediaClock());
    private EmbeddedJanus janus;
    private JanusSession session;
    private JanusSession.Handle admin;
    private boolean closed;
    /** Null for a node alone: it encodes every flow it shows (docs/or-gateway.md "Several nodes"). */
    private volatile OrCluster cluster;

    /**
     * A flow this node shows: its mountpoint on this node's Janus, and the gateway that feeds it when this node encodes
     * the flow (always alone; in a cluster only on the node that holds the flow's lease, the others' mountpoints being
     * fed by that node's gateway).
     */
    private static final class LiveFlow {
        final String key;
        final OrSettings.Or or;
        final OrSettings.Flow flow;
        final long mountpoint;
        final String secret;
        final String pin;
        final InetSocketAddress ingest;
        final Instant since;
        final FlowGateway.FrameListener frames;
        final Set<String> viewings = ConcurrentHashMap.newKeySet();
        volatile FlowGateway gateway;
        volatile long idleSinceNanos = System.nanoTime();
        /** The viewers of every node at the last cluster tick. */
        volatile int clusterViewers;

        volatile List<InetSocketAddress> sinks = List.of();

        LiveFlow(
                String key,
                OrSettings.Or or,
                OrSettings.Flow flow,
                long mountpoint,
                String secret,
                String pin,
                InetSocketAddress ingest,
                Instant since,
                FlowGateway.FrameListener frames) {
            this.key = key;
            this.or = or;
            this.flow = flow;
            this.mountpoint = mountpoint;
            this.secret = secret;
            this.pin = pin;
            this.ingest = ingest;
            this.since = since;
            this.frames = frames;
        }

        boolean failed() {
            FlowGateway g = gateway;
            return g != null && g.status().error() != null;
        }
    }

    private static final class Viewer {
        final String id;
        final String username;
        final Role role;
        final String orId;
        final String flow;
        final LiveFlow live;
        volatile JanusSession.Handle handle;
        volatile boolean ended;

        Viewer(String id, String username, Role role, String orId, String flow, LiveFlow live) {
            this.id = id;
            this.username = username;
            this.role = role;
            this.orId = orId;
            this.flow = flow;
            this.live = live;
        }
    }

    public LiveOrs(OrSettings settings, DataSource db, String node, Clock clock) {
        this.settings = settings;
        this.viewingLog = new ViewingLog(db, node);
        this.access = new OrAccess(db, settings.teachingOnlyRoles());
        this.clock = clock;
        try {
            int n = viewingLog.closeLeftovers();
            if (n > 0) {
                log.warn("OR gateway: closed {} viewings left open by this node's last run", n);
            }
        } catch (SQLException e) {
            log.warn("OR gateway: cannot close viewings left open: {}", e.getMessage());
        }
        this.reaper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("or-gateway-reaper").daemon().factory());
        reaper.scheduleWithFixedDelay(this::stopIdleFlows, 2, 2, TimeUnit.SECONDS);
    }

    public OrSettings settings() {
        return settings;
    }

    /** The ORs {@code username} with {@code role} may watch, with their flows' state. */
    public List<OrState> list(String username, Role role) {
        List<OrState> out = new ArrayList<>();
        for (OrSettings.Or or : settings.ors()) {
            try {
                if (access.admits(or, username, role)) {
                    out.add(state(or));
                }
            } catch (SQLException e) {
                log.warn("OR gateway: the allow-list of {} cannot be read: {}", or.id(), e.getMessage());
            }
        }
        return out;
    }

    /** The OR, if {@code username} with {@code role} may watch it (else FORBIDDEN or UNKNOWN_OR). */
    OrSettings.Or admitted(String orId, String username, Role role) throws OrException {
        return allowed(orId, username, role);
    }

    /**
     * This node's session with its Janus, Janus started first if it does not run (the talk-back rooms live on the
     * same Janus as the mountpoints: docs/or-gateway.md "Talk-back"). A new session means a new Janus: rooms made on
     * an older one are gone.
     */
    synchronized JanusSession janusSession() throws OrException {
        if (closed) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the server is stopping");
        }
        ensureJanus();
        return session;
    }

    /** One OR's state, for someone allowed to watch it. */
    public OrState state(String orId, String username, Role role) throws OrException {
        return state(allowed(orId, username, role));
    }

    private OrState state(OrSettings.Or or) {
        List<FlowState> fs = new ArrayList<>();
        for (OrSettings.Flow f : or.flows()) {
            LiveFlow l = flows.get(key(or.id(), f.name()));
            OrCluster c = cluster;
            if (c != null) {
                fs.add(clusterState(c, key(or.id(), f.name()), f, l));
                continue;
            }
            fs.add(new FlowState(
                    f.name(),
                    l != null,
                    l == null ? 0 : l.viewings.size(),
                    l == null ? null : l.since.toString(),
                    f.testPattern()));
        }
        return new OrState(or.id(), or.name(), or.procedure(), fs);
    }

    private OrSettings.Or allowed(String orId, String username, Role role) throws OrException {
        OrSettings.Or or = settings.or(orId);
        if (or == null) {
            throw new OrException(OrException.Reason.UNKNOWN_OR, "no OR '" + orId + "'");
        }
        boolean admitted;
        try {
            admitted = access.admits(or, username, role);
        } catch (SQLException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the allow-list: " + e.getMessage(), e);
        }
        if (!admitted) {
            throw new OrException(
                    OrException.Reason.FORBIDDEN,
                    "role '" + role.wireName() + "' may not watch " + or.name()
                            + " (the administrator decides who may)");
        }
        return or;
    }

    /**
     * Starts a viewing of one flow: checks the allow-list, starts the flow's gateway and mountpoint if nobody watched
     * it, and asks Janus for an offer on a handle of this viewer's own.
     *
     * @param flowName null: the OR's first flow
     */
    public Watch watch(String orId, String flowName, String username, Role role) throws OrException {
        OrSettings.Or or = allowed(orId, username, role);
        OrSettings.Flow flow = flowName == null ? or.flows().getFirst() : or.flow(flowName);
        if (flow == null) {
            throw new OrException(OrException.Reason.UNKNOWN_FLOW, or.name() + " has no flow '" + flowName + "'");
        }
        String id = UUID.randomUUID().toString();
        Viewer v;
        JsonNode data;
        synchronized (this) {
            LiveFlow live = ensureFlow(or, flow);
            v = new Viewer(id, username, role, or.id(), flow.name(), live);
            try {
                v.handle = session.attach(PLUGIN, event -> onEvent(v, event));
                ObjectNode body = JanusSession.JSON
                        .createObjectNode()
                        .put("request", "watch")
                        .put("id", live.mountpoint)
                        .put("pin", live.pin);
                data = v.handle.message(body, null);
            } catch (JanusException e) {
                if (v.handle != null) {
                    v.handle.detach();
                }
                throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
            }
            live.viewings.add(id);
            viewers.put(id, v);
        }
        String sdp = data.path("jsep").path("sdp").asText("");
        if (!sdp.startsWith("v=0")) {
            end(v);
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus made no offer");
        }
        try {
            viewingLog.started(id, username, role.wireName(), or.id(), flow.name(), clock.instant());
        } catch (SQLException e) {
            end(v);
            throw new OrException(
                    OrException.Reason.UNAVAILABLE, "the viewing cannot be recorded: " + e.getMessage(), e);
        }
        log.info("OR gateway: viewing {} of {}/{} started", id, or.id(), flow.name());
        return new Watch(id, or.id(), flow.name(), sdp);
    }

    /** The browser's answer to Janus's offer. */
    public void answer(String orId, String viewing, String username, String sdp) throws OrException {
        Viewer v = viewer(orId, viewing, username);
        try {
            v.handle.message(
                    JanusSession.JSON.createObjectNode().put("request", "start"),
                    JanusSession.JSON.createObjectNode().put("type", "answer").put("sdp", sdp));
        } catch (JanusException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
    }

    /** The browser's ICE candidates (RTCIceCandidateInit objects, already checked), or the end of them. */
    public void candidates(String orId, String viewing, String username, List<ObjectNode> candidates, boolean completed)
            throws OrException {
        Viewer v = viewer(orId, viewing, username);
        try {
            for (ObjectNode c : candidates) {
                v.handle.trickle(c);
            }
            if (completed) {
                v.handle.trickle(JanusSession.JSON.createObjectNode().put("completed", true));
            }
        } catch (JanusException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
    }

    /** The viewer stops watching (leaves the page, or switches flow). */
    public void stop(String orId, String viewing, String username) throws OrException {
        end(viewer(orId, viewing, username));
    }

    /** The latest viewings, newest first, for administrators. */
    public List<ViewingLog.Viewing> viewings(int limit) throws OrException {
        try {
            return viewingLog.latest(limit);
        } catch (SQLException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the database: " + e.getMessage(), e);
        }
    }

    /** The gateway status of a running flow, for tests and measurement; null when it is not running. */
    public FlowGateway.Status gatewayStatus(String orId, String flow) {
        LiveFlow l = flows.get(key(orId, flow));
        FlowGateway g = l == null ? null : l.gateway;
        return g == null ? null : g.status();
    }

    /** The process id of the embedded Janus's watchdog, -1 when none runs. */
    public synchronized long janusPid() {
        return janus != null && janus.alive() ? janus.pid() : -1;
    }

    private Viewer viewer(String orId, String viewing, String username) throws OrException {
        Viewer v = viewers.get(viewing);
        if (v == null || v.ended || !v.username.equals(username) || !v.orId.equals(orId)) {
            throw new OrException(OrException.Reason.UNKNOWN_VIEWING, "no open viewing '" + viewing + "' of yours");
        }
        return v;
    }

    private void onEvent(Viewer v, JsonNode event) {
        switch (event.path("janus").asText()) {
            // A new viewer's decoder needs an IDR picture: ask the one encoder for one now rather than at the GOP's
            // end.
            case "webrtcup" -> keyframe(v.live);
            case "hangup", "detached", "gone" -> reaper.execute(() -> end(v));
            default -> {
                // media, slowlink, plugin events: nothing to do
            }
        }
    }

    private void end(Viewer v) {
        synchronized (v) {
            if (v.ended) {
                return;
            }
            v.ended = true;
        }
        viewers.remove(v.id);
        metadata.viewingEnded(v.id, 1000, "the viewing ended");
        if (v.live.viewings.remove(v.id) && v.live.viewings.isEmpty()) {
            v.live.idleSinceNanos = System.nanoTime();
        }
        JanusSession.Handle h = v.handle;
        if (h != null) {
            h.detach();
        }
        try {
            viewingLog.ended(v.id, clock.instant());
        } catch (SQLException e) {
            log.warn("OR gateway: the end of viewing {} cannot be recorded: {}", v.id, e.getMessage());
        }
        log.info("OR gateway: viewing {} of {}/{} ended", v.id, v.orId, v.flow);
    }

    private static String key(String or, String flow) {
        return or + "/" + flow;
    }

    /** The flow's mountpoint (and gateway, unless another node encodes it), started when nobody watched it. Holds this. */
    private LiveFlow ensureFlow(OrSettings.Or or, OrSettings.Flow flow) throws OrException {
        if (closed) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the server is stopping");
        }
        String key = key(or.id(), flow.name());
        LiveFlow live = flows.get(key);
        if (live != null && janusUp() && !live.failed()) {
            return live;
        }
        if (live != null && janusUp()) {
            // The gateway failed (its receiver or encoder): its viewers' pages reconnect and get a new one.
            log.warn(
                    "OR gateway: {} failed ({}), restarting it",
                    key,
                    live.gateway.status().error());
            stopFlow(live);
        }
        // The flow's description first: a flow that cannot be described starts no Janus.
        String fmtp = fmtp(flow);
        ensureJanus();
        live = flows.get(key); // a Janus restart ended the flows it fed
        if (live != null) {
            return live;
        }
        String secret = token();
        String pin = token();
        long id = 1 + (random.nextLong() >>> 12); // within JSON's exact integers
        try {
            ObjectNode media = JanusSession.JSON
                    .createObjectNode()
                    .put("type", "video")
                    .put("mid", "v")
                    .put("label", flow.name())
                    .put("port", 0)
                    .put("iface", settings.ingestAddress())
                    .put("pt", FlowGateway.PAYLOAD_TYPE)
                    .put("codec", "h264")
                    .put("fmtp", fmtp);
            ObjectNode create = JanusSession.JSON
                    .createObjectNode()
                    .put("request", "create")
                    .put("type", "rtp")
                    .put("id", id)
                    .put("name", key)
                    .put("description", or.name() + " " + flow.name())
                    .put("is_private", true)
                    .put("secret", secret)
                    .put("pin", pin)
                    .put("permanent", false);
            ArrayNode list = create.putArray("media");
            list.add(media);
            JsonNode created = admin.message(create, null);
            InetSocketAddress ingest =
                    new InetSocketAddress(InetAddress.getByName(settings.ingestAddress()), ingestPort(created));
            live = new LiveFlow(
                    key, or, flow, id, secret, pin, ingest, clock.instant(), metadata.flowStarted(key, flow.name()));
        } catch (JanusException | IOException e) {
            destroyMountpoint(id, secret);
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus: " + e.getMessage(), e);
        }
        OrCluster c = cluster;
        if (c == null || c.acquire(key, live.since.toString())) {
            try {
                startGateway(live);
            } catch (OrException e) {
                if (c != null) {
                    c.release(key);
                }
                metadata.flowStopped(key);
                destroyMountpoint(id, secret);
                throw e;
            }
        } else {
            log.info("OR gateway: {} is encoded by another node; this node's mountpoint {} relays it", key, id);
        }
        flows.put(key, live);
        if (c != null) {
            c.announce(key, live.ingest, 0);
        }
        return live;
    }

    /** The fmtp of the flow's H.264, known without starting anything (not even a test pattern's transmitter). */
    private String fmtp(OrSettings.Flow flow) throws OrException {
        try {
            return flow.testPattern()
                    ? H264Encoder.fmtp(TestPatternFlows.format(flow.sdp()))
                    : FlowGateway.fmtpFor(readSdp(flow));
        } catch (IllegalArgumentException e) {
            throw new OrException(
                    OrException.Reason.UNAVAILABLE,
                    "the SDP of flow " + flow.name() + " is no RTV flow: " + e.getMessage(),
                    e);
        }
    }

    /** This node encodes the flow from now on: its gateway sends to this node's mountpoint (and the others'). */
    private void startGateway(LiveFlow live) throws OrException {
        String sdp = live.flow.testPattern() ? testPatternSdp(live.key, live.or, live.flow) : readSdp(live.flow);
        try {
            FlowGateway gateway = FlowGateway.start(
                    live.key,
                    sdp,
                    live.ingest,
                    new FlowGateway.Settings(settings.encoder(), settings.latencyMs(), settings.multicastInterface()),
                    new SystemMediaClock());
            gateway.onFrame(live.frames);
            List<InetSocketAddress> sinks = live.sinks;
            if (!sinks.isEmpty()) {
                gateway.destinations(withOwn(sinks, live.ingest));
            }
            live.gateway = gateway;
            log.info(
                    "OR gateway: {} encodes once into Janus mountpoint {} ({})",
                    live.key,
                    live.mountpoint,
                    live.ingest);
        } catch (IOException | EncoderException | IllegalArgumentException e) {
            testPatterns.stop(live.key);
            throw new OrException(OrException.Reason.UNAVAILABLE, live.key + " cannot start: " + e.getMessage(), e);
        }
    }

    private static List<InetSocketAddress> withOwn(List<InetSocketAddress> sinks, InetSocketAddress own) {
        if (sinks.contains(own)) {
            return sinks;
        }
        List<InetSocketAddress> out = new ArrayList<>(sinks);
        out.add(own);
        return out;
    }

    private static int ingestPort(JsonNode created) throws JanusException {
        for (JsonNode p : created.path("stream").path("ports")) {
            if (p.path("type").asText().equals("video") && p.path("port").asInt() > 0) {
                return p.path("port").asInt();
            }
        }
        throw new JanusException("the mountpoint has no video port: " + created);
    }

    private String token() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Whether Janus runs and this server's session with it is open: a killed Janus ends the session's long-poll at
     * once, while its watchdog shell outlives it by up to a second.
     */
    private boolean janusUp() {
        return janus != null && session != null && !session.closed() && janus.alive();
    }

    private void ensureJanus() throws OrException {
        if (janusUp()) {
            return;
        }
        if (janus != null) {
            log.error("OR gateway: Janus died, starting a new one: {}", janus.logTail());
            resetAfterJanusLoss();
        }
        try {
            janus = EmbeddedJanus.start(
                    new EmbeddedJanus.Options(
                            settings.janus(),
                            settings.iceMin(),
                            settings.iceMax(),
                            settings.interfaces(),
                            List.of(EmbeddedJanus.STREAMING, EmbeddedJanus.AUDIOBRIDGE),
                            settings.ingestMin(),
                            settings.ingestMax(),
                            "OR gateway SFU"),
                    http);
            session = JanusSession.create(http, janus.api(), janus.apiSecret(), Duration.ofSeconds(10));
            admin = session.attach(PLUGIN, e -> {});
        } catch (JanusException e) {
            if (janus != null) {
                janus.close();
                janus = null;
            }
            throw new OrException(OrException.Reason.UNAVAILABLE, "Janus cannot start: " + e.getMessage(), e);
        }
    }

    /** Janus went away with every mountpoint and PeerConnection: the viewings are over, the encoders stop. */
    private void resetAfterJanusLoss() {
        new ArrayList<>(viewers.values()).forEach(this::end);
        flows.values().forEach(l -> {
            stopGateway(l);
            OrCluster c = cluster;
            if (c != null) {
                c.withdraw(l.key);
            }
            metadata.flowStopped(l.key);
        });
        flows.clear();
        if (session != null) {
            session.close();
        }
        // The dead Janus's watchdog shell exits within its next second; its viewers' pages are reconnecting now and
        // should not wait for that.
        EmbeddedJanus dead = janus;
        reaper.execute(dead::close);
        janus = null;
        session = null;
    }

    /** A test-pattern flow's SDP, its transmitter started now if it does not run (docs/or-gateway.md "Demo OR"). */
    private String testPatternSdp(String key, OrSettings.Or or, OrSettings.Flow flow) throws OrException {
        try {
            return testPatterns.sdp(key, or.name() + " " + flow.name(), flow.sdp(), flow.testPatternMetadata());
        } catch (IOException | RuntimeException e) {
            throw new OrException(
                    OrException.Reason.UNAVAILABLE,
                    "the test pattern of flow " + flow.name() + " cannot start: " + e.getMessage(),
                    e);
        }
    }

    private String readSdp(OrSettings.Flow flow) throws OrException {
        try {
            return FlowSdp.read(http, flow.sdp());
        } catch (IOException | IllegalArgumentException e) {
            throw new OrException(
                    OrException.Reason.UNAVAILABLE,
                    "the SDP of flow " + flow.name() + " cannot be read: " + e.getMessage(),
                    e);
        }
    }

    private void stopIdleFlows() {
        long limit = TimeUnit.SECONDS.toNanos(settings.idleSeconds());
        synchronized (this) {
            for (LiveFlow l : new ArrayList<>(flows.values())) {
                // In a cluster the node that encodes goes on while other nodes' viewers watch.
                boolean watchedElsewhere = cluster != null && l.gateway != null && l.clusterViewers > 0;
                if (l.viewings.isEmpty() && !watchedElsewhere && System.nanoTime() - l.idleSinceNanos > limit) {
                    stopFlow(l);
                }
            }
        }
    }

    /** Holds this. */
    private void stopFlow(LiveFlow l) {
        flows.remove(l.key);
        stopGateway(l);
        OrCluster c = cluster;
        if (c != null) {
            c.withdraw(l.key);
        }
        metadata.flowStopped(l.key);
        testPatterns.stop(l.key);
        destroyMountpoint(l.mountpoint, l.secret);
        log.info("OR gateway: {} stopped (nobody watches)", l.key);
    }

    private void destroyMountpoint(long id, String secret) {
        if (admin == null || session == null || session.closed()) {
            return;
        }
        try {
            admin.message(
                    JanusSession.JSON
                            .createObjectNode()
                            .put("request", "destroy")
                            .put("id", id)
                            .put("secret", secret),
                    null);
        } catch (JanusException e) {
            log.debug("OR gateway: destroy mountpoint {}: {}", id, e.getMessage());
        }
    }

    // Several nodes (docs/or-gateway.md "Several nodes"): OrCluster holds the leases and the nodes' entries in Redis;
    // these are its hooks into the flows.

    /**
     * Joins the other nodes on {@code settings}' Redis: from now on each flow is encoded by one node of the cluster,
     * its viewers counted across nodes.
     *
     * @throws IOException when Redis cannot be reached
     */
    public void joinCluster(ClusterSettings settings) throws IOException {
        if (!settings.enabled()) {
            return;
        }
        OrCluster c = OrCluster.join(settings.redisUrl(), settings.nodeName(), new OrCluster.Listener() {
            @Override
            public void remoteMetadata(String flowKey, boolean isStatic, String identified, String deidentified) {
                metadata.remote(flowKey, isStatic, identified, deidentified);
            }

            @Override
            public void keyframeWanted(String flowKey) {
                LiveFlow l = flows.get(flowKey);
                FlowGateway g = l == null ? null : l.gateway;
                if (g != null) {
                    g.requestKeyframe();
                }
            }
        });
        metadata.relay(c::publishMetadata);
        cluster = c;
        ticker.scheduleWithFixedDelay(this::clusterTick, 0, OrCluster.TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Every {@link OrCluster#TICK}: this node announces each flow it shows (its ingest address, its viewers), the
     * owner renews its lease and sends to every node's mountpoint, and a node whose flow has no owner (it stopped,
     * or died and its lease expired) takes it over.
     */
    private void clusterTick() {
        OrCluster c = cluster;
        if (c == null) {
            return;
        }
        for (LiveFlow l : new ArrayList<>(flows.values())) {
            try {
                c.announce(l.key, l.ingest, l.viewings.size());
                OrCluster.FlowView view = c.view(l.key);
                l.clusterViewers = view.viewers();
                boolean joined = !new HashSet<>(l.sinks).containsAll(view.sinks());
                l.sinks = view.sinks();
                FlowGateway g = l.gateway;
                if (g != null && !c.owns(l.key)) {
                    synchronized (this) {
                        log.warn("OR gateway: {} is now encoded by another node; this node's encode stops", l.key);
                        stopGateway(l);
                    }
                    continue;
                }
                if (g == null && view.owner() == null) {
                    synchronized (this) {
                        if (flows.get(l.key) == l
                                && l.gateway == null
                                && c.acquire(l.key, clock.instant().toString())) {
                            log.warn("OR gateway: {} had no encoding node; this node takes it over", l.key);
                            try {
                                startGateway(l);
                            } catch (OrException e) {
                                log.error("OR gateway: taking over {} failed: {}", l.key, e.getMessage());
                                c.release(l.key);
                            }
                        }
                    }
                    g = l.gateway;
                }
                if (g != null) {
                    g.destinations(withOwn(view.sinks(), l.ingest));
                    metadata.relayed(l.key, view.sinks().size() > 1, joined);
                    if (joined) {
                        g.requestKeyframe();
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("OR gateway: cluster state of {}: {}", l.key, e.getMessage());
            }
        }
    }

    private FlowState clusterState(OrCluster c, String key, OrSettings.Flow f, LiveFlow l) {
        try {
            OrCluster.FlowView view = c.view(key);
            boolean running = view.owner() != null;
            return new FlowState(
                    f.name(), running, view.viewers(), running ? c.since(key).orElse(null) : null, f.testPattern());
        } catch (IOException e) {
            // Redis unreachable: what this node knows itself
            return new FlowState(
                    f.name(),
                    l != null,
                    l == null ? 0 : l.viewings.size(),
                    l == null ? null : l.since.toString(),
                    f.testPattern());
        }
    }

    private void keyframe(LiveFlow l) {
        FlowGateway g = l.gateway;
        OrCluster c = cluster;
        if (g != null) {
            g.requestKeyframe();
        } else if (c != null) {
            c.requestKeyframe(l.key);
        }
    }

    /** This node stops encoding the flow (its mountpoint stays while viewers watch it here). */
    private void stopGateway(LiveFlow l) {
        FlowGateway g = l.gateway;
        l.gateway = null;
        if (g != null) {
            g.close();
            testPatterns.stop(l.key);
        }
    }

    /**
     * How long ago this node's Janus received the flow's last RTP packet (the Streaming plugin's {@code info}, its
     * {@code age_ms}): in a cluster the proof that the encoding node's RTP reaches this node. Empty when this node has
     * no mountpoint of the flow or Janus has received nothing yet.
     */
    public OptionalLong ingestAgeMs(String orId, String flow) {
        LiveFlow l = flows.get(key(orId, flow));
        JanusSession.Handle h = admin;
        if (l == null || h == null) {
            return OptionalLong.empty();
        }
        try {
            JsonNode info = h.message(
                    JanusSession.JSON
                            .createObjectNode()
                            .put("request", "info")
                            .put("id", l.mountpoint)
                            .put("secret", l.secret),
                    null);
            for (JsonNode m : info.path("info").path("media")) {
                if (m.has("age_ms")) {
                    return OptionalLong.of(m.path("age_ms").asLong());
                }
            }
            return OptionalLong.empty();
        } catch (JanusException e) {
            return OptionalLong.empty();
        }
    }

    /** The cluster node id of this server's OR gateway (null alone), for tests and the logs. */
    public String clusterNode() {
        OrCluster c = cluster;
        return c == null ? null : c.node();
    }

    // Metadata and access (docs/or-gateway.md "Metadata messages", "Access rules"): the logic is in MetadataHub,
    // MetadataSocket, OrAccess and OrAccessRoutes; these are their hooks into the viewings.

    /** The study library's de-identifier, for the metadata of roles that see studies de-identified. */
    public void deidentifyWith(JsonDeidentifier deidentifier) {
        metadata.deidentifier(deidentifier);
    }

    MetadataHub metadata() {
        return metadata;
    }

    OrAccess access() {
        return access;
    }

    /** The flow key of {@code username}'s open viewing, after checking the allow-list again. */
    String viewingFlow(String orId, String viewing, String username, Role role) throws OrException {
        allowed(orId, username, role);
        return viewer(orId, viewing, username).live.key;
    }

    /** The remote annotations layer of a running flow ("or/flow"): the receiver of its gateway (Expert to OR). */
    Optional<RemoteAnnotations> annotations(String flowKey) {
        LiveFlow l = flows.get(flowKey);
        return l == null ? Optional.empty() : Optional.of(l.gateway.annotations());
    }

    /** The composed output of a running flow's OR receiver, as the OR display sees it (tests read its pixels). */
    Optional<FlowGateway> gateway(String flowKey) {
        LiveFlow l = flows.get(flowKey);
        return l == null ? Optional.empty() : Optional.of(l.gateway);
    }

    /** The remote annotations layers of an OR's running flows, once the caller is admitted to the OR. */
    List<RemoteAnnotations> annotationsOf(String orId, String username, Role role) throws OrException {
        allowed(orId, username, role);
        List<RemoteAnnotations> out = new ArrayList<>();
        flows.forEach((k, l) -> {
            if (k.startsWith(orId + "/")) {
                out.add(l.gateway.annotations());
            }
        });
        return out;
    }

    /** After an allow-list change: the viewings of users it no longer admits end at once (media and metadata). */
    void recheck() {
        for (Viewer v : new ArrayList<>(viewers.values())) {
            OrSettings.Or or = settings.or(v.orId);
            boolean admitted;
            try {
                admitted = or != null && access.admits(or, v.username, v.role);
            } catch (SQLException e) {
                admitted = false;
            }
            if (!admitted) {
                log.info("OR gateway: viewing {} of {} ends: the allow-list no longer admits its user", v.id, v.orId);
                end(v);
            }
        }
    }

    /** The viewer counts per flow key, for the status of tests. */
    public Map<String, Integer> viewerCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        flows.forEach((k, l) -> out.put(k, l.viewings.size()));
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        reaper.shutdownNow();
        ticker.shutdownNow();
        new ArrayList<>(viewers.values()).forEach(this::end);
        OrCluster c = cluster;
        synchronized (this) {
            for (LiveFlow l : new ArrayList<>(flows.values())) {
                stopFlow(l);
            }
            if (session != null) {
                session.close();
            }
            if (janus != null) {
                janus.close();
                janus = null;
            }
            testPatterns.close();
        }
        if (c != null) {
            c.close();
        }
    }
}
