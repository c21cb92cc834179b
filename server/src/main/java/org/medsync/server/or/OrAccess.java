package org.medsync.server.or;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.medsync.server.auth.Role;

/**
 * Who may watch each live OR: the administrator's allow-list in PostgreSQL (V171 {@code or_access}), the configuration
 * ({@code or.<id>.roles}, {@code .users}, {@code .teaching}) until an administrator first changes it. Read on every
 * check, so a change on one server node holds on every node at the next request.
 *
 * <p>The attribute rule: roles in {@code or.rules.teaching-only-roles} (default student, observer) are admitted only
 * to an OR whose procedure is marked teaching, even when their role is on its list. A user named on the list is
 * admitted whatever the role and the rule.
 */
final class OrAccess {
    /**
     * One OR's allow-list.
     *
     * @param source    "configuration" or "administrator"
     * @param updatedBy the administrator who set it last, null for the configuration
     */
    record Rule(
            Set<Role> roles, Set<String> users, boolean teaching, String source, String updatedBy, Instant updatedAt) {
        Rule {
            roles = Set.copyOf(roles);
            users = Set.copyOf(users);
        }
    }

    private final DataSource db;
    private final Set<Role> teachingOnly;

    OrAccess(DataSource db, Set<Role> teachingOnly) {
        this.db = db;
        this.teachingOnly = Set.copyOf(teachingOnly);
    }

    Set<Role> teachingOnlyRoles() {
        return teachingOnly;
    }

    Rule rule(OrSettings.Or or) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select roles, users, teaching, updated_by, updated_at from or_access where or_id = ?")) {
            s.setString(1, or.id());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return new Rule(or.roles(), or.users(), or.teaching(), "configuration", null, null);
                }
                Set<Role> roles = new LinkedHashSet<>();
                for (String x : split(r.getString(1))) {
                    roles.add(Role.parse(x));
                }
                return new Rule(
                        roles,
                        split(r.getString(2)),
                        r.getBoolean(3),
                        "administrator",
                        r.getString(4),
                        r.getTimestamp(5).toInstant());
            }
        }
    }

    boolean admits(OrSettings.Or or, String username, Role role) throws SQLException {
        return admits(rule(or), username, role);
    }

    boolean admits(Rule rule, String username, Role role) {
        if (rule.users().contains(username)) {
            return true;
        }
        return rule.roles().contains(role) && (rule.teaching() || !teachingOnly.contains(role));
    }

    void put(String orId, Set<Role> roles, Set<String> users, boolean teaching, String by, Instant at)
            throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into or_access"
                        + " (or_id, roles, users, teaching, updated_by, updated_at) values (?, ?, ?, ?, ?, ?)"
                        + " on conflict (or_id) do update set roles = excluded.roles, users = excluded.users,"
                        + " teaching = excluded.teaching, updated_by = excluded.updated_by,"
                        + " updated_at = excluded.updated_at")) {
            s.setString(1, orId);
            s.setString(2, roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(",")));
            s.setString(3, String.join(",", new TreeSet<>(users)));
            s.setBoolean(4, teaching);
            s.setString(5, by);
            s.setTimestamp(6, Timestamp.from(at));
            s.executeUpdate();
        }
    }

    /** Back to the configuration's list. */
    void reset(String orId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from or_access where or_id = ?")) {
            s.setString(1, orId);
            s.executeUpdate();
        }
    }

    private static Set<String> split(String s) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        return out;
    }
}
