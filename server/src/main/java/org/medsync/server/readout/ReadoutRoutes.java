package org.medsync.server.readout;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medsync.conference.invite.Invites;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST for readouts (docs/api.md, "Readouts"): create, read, end; invite, list and revoke invites; join with an
 * invite. Ending a readout and revoking an invite take effect on every node (the database decides each guest's
 * access) and close the affected sockets here at once.
 */
final class ReadoutRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReadoutRoutes.class);

    /** What a de-identified participant is shown instead of the organizer's title. */
    static final String NEUTRAL_TITLE = "Readout";

    record WorklistEntry(String source, String studyInstanceUid, String label) {}

    record CreateRequest(String title, List<WorklistEntry> worklist) {}

    record InviteRequest(String role, Integer minutes, Integer maxUses) {}

    record JoinRequest(String token, String name) {}

    private final ReadoutService service;
    private final Sessions sessions;
    private final Accounts accounts;
    private final SignalingSocket socket;
    private final SecureRandom random = new SecureRandom();

    ReadoutRoutes(ReadoutService service, Sessions sessions, Accounts accounts, SignalingSocket socket) {
        this.service = service;
        this.sessions = sessions;
        this.accounts = accounts;
        this.socket = socket;
    }

    void register(Javalin app) {
        app.post("/api/readouts", this::create, Role.ATTENDING, Role.RESIDENT);
        app.get("/api/readouts/{id}", this::get, Role.READERS.toArray(Role[]::new));
        app.post("/api/readouts/{id}/end", this::end, Role.ADMIN, Role.ATTENDING, Role.RESIDENT);
        app.post("/api/readouts/{id}/invites", this::invite, Role.ATTENDING, Role.RESIDENT);
        app.get("/api/readouts/{id}/invites", this::invites, Role.ADMIN, Role.ATTENDING, Role.RESIDENT);
        app.delete("/api/readouts/{id}/invites/{invite}", this::revoke, Role.ADMIN, Role.ATTENDING, Role.RESIDENT);
        app.post("/api/readouts/join", this::join, Role.ANYONE);
    }

    /** Who may end a readout and manage its invites: its creator, any attending, an admin. */
    private static void mustManage(Accounts.User user, ReadoutStore.Stored r) {
        if (user.role() != Role.ATTENDING
                && user.role() != Role.ADMIN
                && !user.username().equals(r.createdBy())) {
            throw new ApiError(403, "forbidden", "only the readout's creator, an attending or an admin may do this");
        }
    }

    private Accounts.User user(Context ctx) {
        return sessions.lookup(ctx.cookie(Sessions.COOKIE))
                .orElseThrow(() -> new ApiError(401, "not-logged-in", "log in first"));
    }

    private void create(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        CreateRequest body = ctx.bodyAsClass(CreateRequest.class);
        if (body.worklist() == null || body.worklist().isEmpty()) {
            throw new ApiError(400, "bad-worklist", "a readout needs at least one study");
        }
        var items = body.worklist().stream()
                .map(e -> {
                    if (e == null
                            || e.source() == null
                            || e.studyInstanceUid() == null
                            || !e.source().matches("[a-z0-9-]{1,32}")
                            || !e.studyInstanceUid().matches("[0-9.]{1,64}")) {
                        throw new ApiError(
                                400, "bad-worklist", "each entry needs a source id and a study instance UID");
                    }
                    String label = e.label() == null
                            ? ""
                            : e.label().substring(0, Math.min(64, e.label().length()));
                    return new ServerMessage.WorklistItem(e.source(), e.studyInstanceUid(), label);
                })
                .toList();
        String title = body.title() == null || body.title().isBlank()
                ? "Readout"
                : body.title().strip();
        ReadoutStore.Stored r;
        try {
            r = service.create(title.substring(0, Math.min(100, title.length())), user.username(), items);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-worklist", e.getMessage());
        }
        log.info("Readout {} created by {} with {} studies", r.id(), user.username(), items.size());
        ctx.status(201).json(view(r, true));
    }

    private void get(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        ReadoutStore.Stored r = readout(ctx.pathParam("id"));
        if (ReadoutService.isGuest(user) && !service.store.isAdmitted(r.id(), user.username())) {
            throw new ApiError(403, "forbidden", "this invite is for another readout");
        }
        ctx.json(view(r, !user.role().seesDeidentified()));
    }

    private void invite(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        ReadoutStore.Stored r = readout(ctx.pathParam("id"));
        if (r.ended() != null) {
            throw new ApiError(410, "readout-ended", "this readout has ended");
        }
        InviteRequest body = ctx.bodyAsClass(InviteRequest.class);
        ReadoutRole role;
        try {
            role = ReadoutRole.parse(body.role() == null ? "" : body.role());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-role", "role must be attending, resident, student or observer");
        }
        if (role == ReadoutRole.ADMIN) {
            throw new ApiError(400, "bad-role", "no invites for admins");
        }
        long minutes = body.minutes() == null ? 60 : body.minutes();
        if (minutes < 1 || minutes > service.settings.maxInvite().toMinutes()) {
            throw new ApiError(
                    400,
                    "bad-lifetime",
                    "minutes must be 1.." + service.settings.maxInvite().toMinutes());
        }
        // One use unless asked: a link meant for one guest admits nobody else if it is forwarded.
        int maxUses = body.maxUses() == null ? 1 : body.maxUses();
        if (maxUses < 1 || maxUses > service.settings.maxParticipants()) {
            throw new ApiError(400, "bad-uses", "maxUses must be 1.." + service.settings.maxParticipants());
        }
        String token = service.invites.issue(r.id(), role.wireName(), Duration.ofMinutes(minutes));
        Invites.Invite inv;
        try {
            inv = service.invites.verify(token);
        } catch (Invites.InviteException e) {
            throw new IllegalStateException(e);
        }
        service.store.recordInvite(inv.id(), r.id(), role.wireName(), user.username(), inv.expires(), maxUses);
        log.info(
                "Invite {} to readout {} as {} for {} min, {} uses, by {}",
                inv.id(),
                r.id(),
                role.wireName(),
                minutes,
                maxUses,
                user.username());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", inv.id());
        out.put("token", token);
        out.put("role", role.wireName());
        out.put("expiresAt", inv.expires().toString());
        out.put("maxUses", maxUses);
        out.put("path", "/#/join/" + token);
        ctx.status(201).json(out);
    }

    private void invites(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        ReadoutStore.Stored r = readout(ctx.pathParam("id"));
        mustManage(user, r);
        ctx.json(service.store.invites(r.id()).stream()
                .map(i -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", i.id());
                    m.put("role", i.role());
                    m.put("createdBy", i.createdBy());
                    m.put("created", i.created().toString());
                    m.put("expiresAt", i.expires().toString());
                    m.put("maxUses", i.maxUses());
                    m.put("uses", i.uses());
                    m.put("revoked", i.revoked());
                    return m;
                })
                .toList());
    }

    private void revoke(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        ReadoutStore.Stored r = readout(ctx.pathParam("id"));
        mustManage(user, r);
        if (!service.store.revokeInvite(r.id(), ctx.pathParam("invite"))) {
            throw new ApiError(404, "not-found", "no such invite of this readout");
        }
        log.info("Invite {} to readout {} revoked by {}", ctx.pathParam("invite"), r.id(), user.username());
        socket.sweep();
        ctx.status(204);
    }

    private void end(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        ReadoutStore.Stored r = readout(ctx.pathParam("id"));
        mustManage(user, r);
        if (service.store.end(r.id())) {
            log.info("Readout {} ended by {}", r.id(), user.username());
        }
        // Everyone in it here leaves now (bridged participants too); sockets on other nodes within a sweep.
        service.live
                .release(r.id())
                .ifPresent(live -> service.hub.evict(live, SignalingSocket.ACCESS_ENDED, "the readout has ended"));
        socket.sweep();
        ctx.status(204);
    }

    private void join(Context ctx) throws SQLException {
        JoinRequest body = ctx.bodyAsClass(JoinRequest.class);
        Invites.Invite invite;
        try {
            invite = service.invites.verify(body.token());
        } catch (Invites.InviteException e) {
            log.warn("Refused invite from {}: {}", ctx.ip(), e.reason());
            throw new ApiError(403, "invite-" + e.reason().code(), e.getMessage());
        }
        ReadoutStore.Stored r = readout(invite.readoutId());
        if (r.ended() != null) {
            throw new ApiError(410, "readout-ended", "this readout has ended");
        }
        ReadoutRole role = ReadoutRole.parse(invite.role());
        var existing = sessions.lookup(ctx.cookie(Sessions.COOKIE));
        if (existing.isPresent()
                && (!ReadoutService.isGuest(existing.get())
                        || service.store.isAdmitted(r.id(), existing.get().username()))) {
            // An account, or a guest already in this readout opening the link again: no new session, no use taken.
            ctx.json(Map.of("readoutId", r.id(), "user", userView(existing.get())));
            return;
        }
        if (!role.guestAllowed()) {
            throw new ApiError(401, "not-logged-in", "log in to join as " + role.wireName());
        }
        String name = body.name() == null || body.name().isBlank()
                ? "Guest " + role.wireName()
                : body.name().strip();
        name = name.substring(0, Math.min(48, name.length()));
        if (accounts.nameTaken(name)) {
            // Everyone sees guests marked, but a guest must not even appear under a colleague's name.
            throw new ApiError(409, "name-taken", "this name belongs to an account: choose another");
        }
        byte[] raw = new byte[6];
        random.nextBytes(raw);
        Accounts.User guest = new Accounts.User(
                ReadoutService.GUEST_PREFIX + HexFormat.of().formatHex(raw), name, Role.parse(role.wireName()));
        ReadoutStore.Use use = service.store.admitGuest(invite.id(), r.id(), guest.username());
        if (use != ReadoutStore.Use.ADMITTED) {
            log.warn("Refused invite {} from {}: {}", invite.id(), ctx.ip(), use);
            throw switch (use) {
                case EXPIRED -> new ApiError(403, "invite-expired", "invite expired");
                case USED_UP -> new ApiError(403, "invite-used-up", "this invite has been used as often as it may");
                case READOUT_ENDED -> new ApiError(410, "readout-ended", "this readout has ended");
                default -> new ApiError(403, "invite-revoked", "this invite was revoked");
            };
        }
        // The browser's previous guest session (another invite) ends: one guest session per browser.
        existing.ifPresent(old -> sessions.close(ctx.cookie(Sessions.COOKIE)));
        ctx.cookie(new Cookie(
                Sessions.COOKIE,
                sessions.open(guest),
                "/",
                -1,
                ctx.scheme().equals("https"),
                0,
                true,
                null,
                null,
                SameSite.STRICT));
        log.info("Guest {} joined readout {} as {}", guest.username(), r.id(), role.wireName());
        ctx.json(Map.of("readoutId", r.id(), "user", userView(guest)));
    }

    private ReadoutStore.Stored readout(String id) throws SQLException {
        return service.store.find(id).orElseThrow(() -> new ApiError(404, "not-found", "no such readout"));
    }

    private static Map<String, Object> userView(Accounts.User u) {
        return Map.of(
                "username",
                u.username(),
                "displayName",
                u.displayName(),
                "role",
                u.role().wireName());
    }

    /**
     * The readout as JSON. Without {@code freeText} (roles that see studies de-identified) the organizer's free
     * text is left out, since it may name the patient: the title becomes a neutral label, worklist labels empty.
     */
    private Map<String, Object> view(ReadoutStore.Stored r, boolean freeText) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("title", freeText ? r.title() : NEUTRAL_TITLE);
        m.put("createdBy", r.createdBy());
        m.put("created", r.created().toString());
        if (r.ended() != null) {
            m.put("ended", r.ended().toString());
        }
        m.put(
                "worklist",
                r.worklist().stream()
                        .map(i -> Map.of(
                                "source",
                                i.source(),
                                "studyInstanceUid",
                                i.studyInstanceUid(),
                                "label",
                                freeText ? i.label() : ""))
                        .toList());
        // Who is in the readout is known to the node that runs it; another node leaves the field out.
        Optional<Readout> live = service.live.find(r.id());
        if (live.isPresent()) {
            synchronized (live.get().lock()) {
                m.put(
                        "participants",
                        live.get().participants().stream()
                                .map(p -> Map.of(
                                        "peer", p.peer, "name", p.name, "role", p.role.wireName(), "guest", p.guest))
                                .toList());
            }
        } else if (service.isHere(r.homeNode())) {
            m.put("participants", List.of());
        }
        m.put("path", "/#/readout/" + r.id());
        return m;
    }
}
