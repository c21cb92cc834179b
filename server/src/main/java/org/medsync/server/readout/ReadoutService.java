package org.medsync.server.readout;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.medsync.conference.cluster.NodeBridge;
import org.medsync.conference.invite.Invites;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.Limits;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;
import org.medsync.conference.readout.Readouts;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.signaling.Link;
import org.medsync.conference.turn.TurnCredentials;
import org.medsync.relay.WebRtcRelay;
import org.medsync.server.api.SameOrigin;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.medsync.server.cluster.ClusterNode;
import org.medsync.server.cluster.ClusterSettings;
import org.medsync.server.readout.audio.JanusAudioSfu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a server needs for readouts: the stored readouts, the ones this node runs (their signaling hub),
 * invites, TURN credentials, in a cluster placement on nodes and bridges to the other nodes, and the data relay
 * for groups above {@code readout.mesh.max} (started when the first readout on this node outgrows the mesh).
 */
public final class ReadoutService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadoutService.class);
    /** The protocol's limits on this server: 32 KiB messages (Jetty closes anything over 64 KiB). */
    static final Limits LIMITS = new Limits(32_768, 16_384, 2_000, 256, 512);
    // Account names are [a-z0-9._-]: a guest name cannot collide with one.
    static final String GUEST_PREFIX = Hub.Identity.GUEST_PREFIX;
    /** How often each node closes the sockets of guests whose access ended, and of readouts that ended, elsewhere. */
    static final Duration ACCESS_SWEEP = Duration.ofSeconds(5);

    static final int MAX_WORKLIST = 200;
    private static final int CHAT_HISTORY = 500;

    final ReadoutSettings settings;
    final ReadoutStore store;
    final Readouts live;
    final Hub hub;
    final Invites invites;
    final Codec codec = new Codec(LIMITS);
    private final TurnCredentials turn;
    private final String nodeId;
    private final ClusterNode cluster;
    final NodeBridge bridge;
    private WebRtcRelay relay;
    /** Audio in relay mode (null: readout.audio-sfu.url=off, audio stays on the mesh); Janus starts on first use. */
    private final JanusAudioSfu audioSfu;

    private boolean closed;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "readout-access-sweep");
        t.setDaemon(true);
        return t;
    });

    public ReadoutService(
            ReadoutSettings settings,
            String inviteKey,
            Clock clock,
            DataSource dataSource,
            ClusterSettings clusterSettings)
            throws IOException {
        this.settings = settings;
        this.store = new ReadoutStore(dataSource, clock);
        this.invites = new Invites(inviteKey.getBytes(StandardCharsets.UTF_8), clock);
        this.turn = settings.turnUrls().isEmpty()
                ? null
                : new TurnCredentials(settings.turnUrls(), settings.turnSecret(), settings.turnTtl(), clock);
        Hub.Settings hs = new Hub.Settings(
                settings.maxParticipants(),
                settings.guestSeats(),
                256,
                settings.messagesPerSecond(),
                settings.messagesPerSecond() * 4,
                50);
        this.hub = new Hub(codec, hs, clock, System::nanoTime, this::iceServers);
        this.audioSfu = settings.audioSfu().enabled() ? new JanusAudioSfu(settings.audioSfu()) : null;
        hub.attachRelay(
                (readoutId, events) -> relay().open(readoutId, events),
                audioSfu,
                settings.meshMax(),
                settings.audioSfu().mixAbove(),
                settings.meshReturnDelay());
        this.live = new Readouts(settings.maxReadouts(), r -> hub.evict(r, 1000, "released"));
        if (clusterSettings.enabled()) {
            this.cluster = ClusterNode.connect(clusterSettings);
            this.nodeId = cluster.id();
            this.bridge = new NodeBridge(nodeId, hub, cluster::publish, this::joinAsHome, hs.sendQueue());
            cluster.start(
                    bridge::onFrame,
                    new ClusterNode.Listener() {
                        @Override
                        public Set<String> peers() {
                            return bridge.peers();
                        }

                        @Override
                        public void nodeGone(String node) {
                            bridge.nodeGone(node);
                        }

                        @Override
                        public void framesLost() {
                            bridge.closeAll(1012, "cluster connection was reset: reconnect");
                        }

                        @Override
                        public void declaredGone() {
                            bridge.closeAll(1012, "cluster connection was reset: reconnect");
                            for (Readout r : live.releaseAll()) {
                                hub.evict(r, 1012, "the readout moves to another node: reconnect");
                            }
                        }

                        @Override
                        public void afterHeartbeat() {
                            releaseMovedReadouts();
                        }
                    },
                    live::size);
        } else {
            byte[] raw = new byte[4];
            new SecureRandom().nextBytes(raw);
            this.cluster = null;
            this.nodeId = "single-" + HexFormat.of().formatHex(raw);
            this.bridge = null;
        }
    }

    /**
     * The relay, started on first use: nodes whose readouts all fit the mesh never load webrtc-java's natives.
     * Refused once the service is closed (the hub then keeps the readout on the mesh).
     */
    synchronized WebRtcRelay relay() {
        if (closed) {
            throw new IllegalStateException("readouts are shut down");
        }
        if (relay == null) {
            relay = new WebRtcRelay(settings.relay());
        }
        return relay;
    }

    /** The audio SFU, or null when readout.audio-sfu.url is off. */
    public JanusAudioSfu audioSfu() {
        return audioSfu;
    }

    /** ICE servers for one participant: the STUN URLs, and a fresh TURN credential when TURN is configured. */
    List<ServerMessage.IceServer> iceServers(Hub.Identity who) {
        List<ServerMessage.IceServer> out = new ArrayList<>();
        if (!settings.stunUrls().isEmpty()) {
            out.add(new ServerMessage.IceServer(settings.stunUrls(), null, null));
        }
        if (turn != null) {
            TurnCredentials.Credential c = turn.mint(who.username());
            out.add(new ServerMessage.IceServer(c.urls(), c.username(), c.password()));
        }
        return out;
    }

    /** Stores a new readout, placed on the least loaded live node (this one on a tie, or alone). */
    ReadoutStore.Stored create(String title, String createdBy, List<ServerMessage.WorklistItem> worklist)
            throws SQLException {
        if (worklist.isEmpty() || worklist.size() > MAX_WORKLIST) {
            throw new IllegalArgumentException("a worklist has 1 to " + MAX_WORKLIST + " studies");
        }
        return store.create(title, createdBy, worklist, cluster == null ? nodeId : cluster.leastLoaded());
    }

    /**
     * The node that runs this readout: its home when that node is alive, else this node, which takes the readout
     * over (only one node can: the move is a compare-and-set in the database). Alone, always this node.
     */
    String homeOf(ReadoutStore.Stored readout) throws IOException, SQLException {
        if (cluster == null) {
            return nodeId;
        }
        ReadoutStore.Stored s = readout;
        for (int attempt = 0; attempt < 3; attempt++) {
            if (s.homeNode().equals(nodeId) || cluster.isLive(s.homeNode())) {
                return s.homeNode();
            }
            if (store.moveHome(s.id(), s.homeNode(), nodeId)) {
                log.info("Readout {} moves from node {} (gone) to node {}", s.id(), s.homeNode(), nodeId);
                return nodeId;
            }
            s = store.find(s.id()).orElseThrow(() -> new IOException("readout deleted"));
        }
        throw new IOException("the readout's home keeps moving");
    }

    /**
     * Readouts this node runs but whose home is now another node (taken over while this node was thought gone,
     * in a race the heartbeat did not see): their participants are closed and reconnect to the one home. This
     * bounds two authorities for one readout to a heartbeat period.
     */
    private void releaseMovedReadouts() {
        try {
            for (String id : store.homedElsewhere(live.ids(), nodeId)) {
                live.release(id).ifPresent(r -> {
                    log.warn("Readout {} runs on another node now; its participants here reconnect", id);
                    hub.evict(r, 1012, "the readout moved to another node: reconnect");
                });
            }
        } catch (SQLException e) {
            log.warn("Cannot check where this node's readouts run: {}", e.getMessage());
        }
    }

    /** Whether {@code node} is this one (alone, every readout runs here). */
    boolean isHere(String node) {
        return cluster == null || node.equals(nodeId);
    }

    /** Admits a participant to a readout this node runs; null (the link closed) when it cannot run one more. */
    Hub.Connection join(ReadoutStore.Stored s, Hub.Identity who, Link link) {
        try {
            return live.withLive(
                    s.id(),
                    () -> new Readout(s.id(), s.title(), s.createdBy(), s.created(), s.worklist(), CHAT_HISTORY),
                    r -> hub.connect(r, who, link));
        } catch (IllegalStateException full) {
            log.warn("Readout {} refused on node {}: {}", s.id(), nodeId, full.getMessage());
            link.close(1013, "server busy: try again later");
            return null;
        }
    }

    /** A participant bridged from another node; null when this node is not the readout's home (any more). */
    private Hub.Connection joinAsHome(String readoutId, Hub.Identity who, Link link) {
        try {
            var s = store.find(readoutId);
            if (s.isEmpty() || !s.get().homeNode().equals(nodeId)) {
                return null;
            }
            return join(s.get(), who, link);
        } catch (SQLException e) {
            log.warn("Bridged join to readout {} failed: {}", readoutId, e.getMessage());
            return null;
        }
    }

    /** Whether a guest still has access: their invite is neither revoked nor expired, and its readout has not ended. */
    public boolean guestActive(String username) {
        try {
            return store.activeGuests(Set.of(username)).contains(username);
        } catch (SQLException e) {
            // Thrown, as in guestMaySee: a database outage is a 503, not a revoked invite that ends the guest's
            // session.
            throw new IllegalStateException("the guest access check failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code check} every {@link #ACCESS_SWEEP} until the service closes. */
    void sweepEvery(Runnable check) {
        sweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        check.run();
                    } catch (RuntimeException e) {
                        log.warn("Readout access sweep failed: {}", e.toString());
                    }
                },
                ACCESS_SWEEP.toMillis(),
                ACCESS_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Guests (admitted by an invite, without an account) see only the studies of the readouts they joined. */
    public boolean guestMaySee(String username, String source, String studyUid) {
        try {
            return store.guestMaySee(username, source, studyUid);
        } catch (SQLException e) {
            // Refused either way; thrown, so that the answer is the outage (503) and not a 403 that blames the guest.
            throw new IllegalStateException("the guest access check failed: " + e.getMessage(), e);
        }
    }

    public static boolean isGuest(String username) {
        return username.startsWith(GUEST_PREFIX);
    }

    /** Redis as this node last saw it, "up" or "down"; empty for a server alone (no cluster). */
    public Optional<String> clusterStatus() {
        return cluster == null ? Optional.empty() : Optional.of(cluster.redisReachable() ? "up" : "down");
    }

    public Hub hub() {
        return hub;
    }

    /** Registers the REST routes and the signaling WebSocket (its upgrade checked by {@code sameOrigin}). */
    public void register(Javalin app, Sessions sessions, Accounts accounts, SameOrigin sameOrigin) {
        SignalingSocket socket = new SignalingSocket(this, sessions, sameOrigin);
        new ReadoutRoutes(this, sessions, accounts, socket).register(app);
        socket.register(app);
    }

    /**
     * Leaves the cluster (participants bridged either way are closed (1001) and reconnect to a live node), then
     * stops the relay, closing its connections and disposing its native objects, and the audio SFU (its rooms, and
     * the embedded Janus process).
     */
    @Override
    public void close() {
        sweeper.shutdownNow();
        if (cluster != null) {
            bridge.closeAll(1001, "node shutting down: reconnect");
            cluster.close();
        }
        synchronized (this) {
            closed = true;
            if (relay != null) {
                relay.close();
                relay = null;
            }
        }
        if (audioSfu != null) {
            audioSfu.close();
        }
    }

    static ReadoutRole role(Role r) {
        return ReadoutRole.parse(r.wireName());
    }

    static boolean isGuest(Accounts.User u) {
        return u.username().startsWith(GUEST_PREFIX);
    }
}
