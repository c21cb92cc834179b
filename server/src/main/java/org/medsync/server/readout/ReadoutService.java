package org.medsync.server.readout;

import io.javalin.Javalin;
import org.medsync.conference.invite.Invites;
import org.medsync.conference.protocol.Codec;
import org.medsync.conference.protocol.Limits;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.readout.ReadoutRole;
import org.medsync.conference.readout.Readouts;
import org.medsync.conference.signaling.Hub;
import org.medsync.conference.turn.TurnCredentials;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.medsync.relay.WebRtcRelay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a server needs for readouts: the readouts, the signaling hub, invites, TURN credentials and the
 * data relay for groups above {@code readout.mesh.max} (started when the first readout outgrows the mesh).
 */
public final class ReadoutService implements AutoCloseable {
    /** The protocol's limits on this server: 32 KiB messages (Jetty closes anything over 64 KiB). */
    static final Limits LIMITS = new Limits(32_768, 16_384, 2_000, 256, 512);
    // Account names are [a-z0-9._-]: a guest name cannot collide with one.
    static final String GUEST_PREFIX = "~guest-";

    final ReadoutSettings settings;
    final Readouts readouts;
    final Hub hub;
    final Invites invites;
    final Codec codec = new Codec(LIMITS);
    private final TurnCredentials turn;
    private WebRtcRelay relay;

    public ReadoutService(ReadoutSettings settings, String inviteKey, Clock clock) {
        this.settings = settings;
        this.readouts = new Readouts(clock, settings.maxReadouts(), 200, 500);
        this.invites = new Invites(inviteKey.getBytes(StandardCharsets.UTF_8), clock);
        this.turn = settings.turnUrls().isEmpty() ? null : new TurnCredentials(settings.turnUrls(), settings.turnSecret(), settings.turnTtl(), clock);
        Hub.Settings hs = new Hub.Settings(settings.maxParticipants(), 256, settings.messagesPerSecond(), settings.messagesPerSecond() * 4, 50);
        this.hub = new Hub(codec, hs, clock, System::nanoTime, this::iceServers);
        hub.attachRelay((readoutId, events) -> relay().open(readoutId, events), settings.meshMax());
    }

    /** The relay, started on first use: servers whose readouts all fit the mesh never load webrtc-java's natives. */
    synchronized WebRtcRelay relay() {
        if (relay == null) {
            relay = new WebRtcRelay(settings.relay());
        }
        return relay;
    }

    /** Stops the relay, closing its connections and disposing its native objects. */
    @Override
    public synchronized void close() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
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

    /** Guests (admitted by an invite, without an account) see only the studies of the readouts they joined. */
    public boolean guestMaySee(String username, String source, String studyUid) {
        return readouts.guestMaySee(username, source, studyUid);
    }

    public static boolean isGuest(String username) {
        return username.startsWith(GUEST_PREFIX);
    }

    public Hub hub() {
        return hub;
    }

    /** Registers the REST routes and the signaling WebSocket. */
    public void register(Javalin app, Sessions sessions) {
        new ReadoutRoutes(this, sessions).register(app);
        new SignalingSocket(this, sessions).register(app);
    }

    static ReadoutRole role(Role r) {
        return ReadoutRole.parse(r.wireName());
    }

    static boolean isGuest(Accounts.User u) {
        return u.username().startsWith(GUEST_PREFIX);
    }
}
