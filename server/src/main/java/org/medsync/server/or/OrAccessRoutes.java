package org.medsync.server.or;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator's allow-lists of the live ORs (docs/or-gateway.md "Access rules"): list, set, and back to the
 * configuration. A change takes effect at once: viewings it no longer admits end (media and metadata).
 */
public final class OrAccessRoutes {
    private static final Logger log = LoggerFactory.getLogger(OrAccessRoutes.class);
    private final LiveOrs ors;
    private final Function<Context, Accounts.User> currentUser;
    private final Clock clock;

    public OrAccessRoutes(LiveOrs ors, Function<Context, Accounts.User> currentUser, Clock clock) {
        this.ors = ors;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    public void register(Javalin app) {
        app.get("/api/admin/or-access", ctx -> run(ctx, () -> ctx.json(Map.of("ors", list()))), Role.ADMIN);
        app.put(
                "/api/admin/or-access/{id}",
                ctx -> run(ctx, () -> {
                    OrSettings.Or or = known(ctx.pathParam("id"));
                    AccessMessages.AccessList a = AccessMessages.accessList(ctx.body());
                    String by = currentUser.apply(ctx).username();
                    db(() -> ors.access().put(or.id(), a.roles(), a.users(), a.teaching(), by, clock.instant()));
                    log.info("OR access: {} set the allow-list of {}", by, or.id());
                    ors.recheck();
                    ctx.json(row(or));
                }),
                Role.ADMIN);
        app.delete(
                "/api/admin/or-access/{id}",
                ctx -> run(ctx, () -> {
                    OrSettings.Or or = known(ctx.pathParam("id"));
                    db(() -> ors.access().reset(or.id()));
                    log.info(
                            "OR access: {} set the allow-list of {} back to the configuration",
                            currentUser.apply(ctx).username(),
                            or.id());
                    ors.recheck();
                    ctx.json(row(or));
                }),
                Role.ADMIN);
    }

    private OrSettings.Or known(String id) throws OrException {
        OrSettings.Or or = ors.settings().or(id);
        if (or == null) {
            throw new OrException(OrException.Reason.UNKNOWN_OR, "no OR '" + id + "'");
        }
        return or;
    }

    private List<Map<String, Object>> list() throws OrException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OrSettings.Or or : ors.settings().ors()) {
            out.add(row(or));
        }
        return out;
    }

    private Map<String, Object> row(OrSettings.Or or) throws OrException {
        OrAccess.Rule r;
        try {
            r = ors.access().rule(or);
        } catch (SQLException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the database: " + e.getMessage(), e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", or.id());
        m.put("name", or.name());
        m.put("procedure", or.procedure());
        m.put("roles", r.roles().stream().map(Role::wireName).sorted().toList());
        m.put("users", r.users().stream().sorted().toList());
        m.put("teaching", r.teaching());
        m.put(
                "teachingOnlyRoles",
                ors.access().teachingOnlyRoles().stream()
                        .map(Role::wireName)
                        .sorted()
                        .toList());
        m.put("source", r.source());
        m.put("updatedBy", r.updatedBy());
        m.put("updatedAt", r.updatedAt() == null ? null : r.updatedAt().toString());
        return m;
    }

    private interface Db {
        void run() throws SQLException;
    }

    private static void db(Db d) throws OrException {
        try {
            d.run();
        } catch (SQLException e) {
            throw new OrException(OrException.Reason.UNAVAILABLE, "the database: " + e.getMessage(), e);
        }
    }

    private interface Action {
        void run() throws OrException;
    }

    private static void run(Context ctx, Action a) {
        try {
            a.run();
        } catch (OrException e) {
            throw new ApiError(e.reason().status(), e.reason().code(), e.getMessage());
        }
    }
}
