package org.medsync.server.readout;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import org.medsync.conference.invite.Invites;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.readout.Readout;
import org.medsync.conference.readout.ReadoutRole;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;
import org.medsync.server.http.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** REST for readouts (docs/api.md, "Readouts"): create, read, invite, join with an invite. */
final class ReadoutRoutes {
    private static final Logger log = LoggerFactory.getLogger(ReadoutRoutes.class);

    /** What a de-identified participant is shown instead of the organizer's title. */
    static final String NEUTRAL_TITLE = "Readout";

    record WorklistEntry(String source, String studyInstanceUid, String label) {}

    record CreateRequest(String title, List<WorklistEntry> worklist) {}

    record InviteRequest(String role, Integer minutes) {}

    record JoinRequest(String token, String name) {}

    private final ReadoutService service;
    private final Sessions sessions;
    private final SecureRandom random = new SecureRandom();

    ReadoutRoutes(ReadoutService service, Sessions sessions) {
        this.service = service;
        this.sessions = sessions;
    }

    void register(Javalin app) {
        app.post("/api/readouts", this::create, Role.ATTENDING, Role.RESIDENT);
        app.get("/api/readouts/{id}", this::get, Role.READERS.toArray(Role[]::new));
        app.post("/api/readouts/{id}/invites", this::invite, Role.ATTENDING, Role.RESIDENT);
        app.post("/api/readouts/join", this::join, Role.ANYONE);
    }

    private Accounts.User user(Context ctx) {
        return sessions.lookup(ctx.cookie(Sessions.COOKIE)).orElseThrow(() -> new ApiError(401, "not-logged-in", "log in first"));
    }

    private void create(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        CreateRequest body = ctx.bodyAsClass(CreateRequest.class);
        if (body.worklist() == null || body.worklist().isEmpty()) {
            throw new ApiError(400, "bad-worklist", "a readout needs at least one study");
        }
        var items = body.worklist().stream().map(e -> {
            if (e == null || e.source() == null || e.studyInstanceUid() == null || !e.source().matches("[a-z0-9-]{1,32}")
                    || !e.studyInstanceUid().matches("[0-9.]{1,64}")) {
                throw new ApiError(400, "bad-worklist", "each entry needs a source id and a study instance UID");
            }
            String label = e.label() == null ? "" : e.label().substring(0, Math.min(64, e.label().length()));
            return new ServerMessage.WorklistItem(e.source(), e.studyInstanceUid(), label);
        }).toList();
        String title = body.title() == null || body.title().isBlank() ? "Readout" : body.title().strip();
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
            throw new ApiError(400, "bad-lifetime", "minutes must be 1.." + service.settings.maxInvite().toMinutes());
        }
        String token = service.invites.issue(r.id(), role.wireName(), Duration.ofMinutes(minutes));
        Invites.Invite inv;
        try {
            inv = service.invites.verify(token);
        } catch (Invites.InviteException e) {
            throw new IllegalStateException(e);
        }
        log.info("Invite to readout {} as {} for {} min by {}", r.id(), role.wireName(), minutes, user.username());
        ctx.status(201).json(Map.of("token", token, "role", role.wireName(), "expiresAt", inv.expires().toString(), "path", "/#/join/" + token));
    }

    private void join(Context ctx) throws SQLException {
        JoinRequest body = ctx.bodyAsClass(JoinRequest.class);
        Invites.Invite invite;
        try {
            invite = service.invites.verify(body.token());
        } catch (Invites.InviteException e) {
            log.warn("Refused invite from {}: {}", ctx.ip(), e.reason());
            throw new ApiError(403, "invite-" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), e.getMessage());
        }
        ReadoutStore.Stored r = readout(invite.readoutId());
        ReadoutRole role = ReadoutRole.parse(invite.role());
        var existing = sessions.lookup(ctx.cookie(Sessions.COOKIE));
        if (existing.isPresent() && !ReadoutService.isGuest(existing.get())) {
            ctx.json(Map.of("readoutId", r.id(), "user", userView(existing.get())));
            return;
        }
        if (!role.guestAllowed()) {
            throw new ApiError(401, "not-logged-in", "log in to join as " + role.wireName());
        }
        String name = body.name() == null || body.name().isBlank() ? "Guest " + role.wireName() : body.name().strip();
        name = name.substring(0, Math.min(48, name.length()));
        byte[] raw = new byte[6];
        random.nextBytes(raw);
        Accounts.User guest = new Accounts.User(ReadoutService.GUEST_PREFIX + HexFormat.of().formatHex(raw), name, Role.parse(role.wireName()));
        service.store.admitGuest(r.id(), guest.username());
        ctx.cookie(new Cookie(Sessions.COOKIE, sessions.open(guest), "/", -1, ctx.scheme().equals("https"), 0, true, null, null, SameSite.STRICT));
        log.info("Guest {} joined readout {} as {}", guest.username(), r.id(), role.wireName());
        ctx.json(Map.of("readoutId", r.id(), "user", userView(guest)));
    }

    private ReadoutStore.Stored readout(String id) throws SQLException {
        return service.store.find(id).orElseThrow(() -> new ApiError(404, "not-found", "no such readout"));
    }

    private static Map<String, Object> userView(Accounts.User u) {
        return Map.of("username", u.username(), "displayName", u.displayName(), "role", u.role().wireName());
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
        m.put("worklist", r.worklist().stream().map(i -> Map.of("source", i.source(), "studyInstanceUid", i.studyInstanceUid(), "label", freeText ? i.label() : "")).toList());
        // Who is in the readout is known to the node that runs it; another node leaves the field out.
        Optional<Readout> live = service.live.find(r.id());
        if (live.isPresent()) {
            synchronized (live.get().lock()) {
                m.put("participants", live.get().participants().stream().map(p -> Map.of("peer", p.peer, "name", p.name, "role", p.role.wireName())).toList());
            }
        } else if (service.isHere(r.homeNode())) {
            m.put("participants", List.of());
        }
        m.put("path", "/#/readout/" + r.id());
        return m;
    }
}
