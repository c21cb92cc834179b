package org.medsync.server.readout;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.medsync.conference.protocol.ServerMessage;

/**
 * Readouts in PostgreSQL (V101, V140): what they are (title, creator, worklist), which node is their home,
 * whether they ended, their invites (uses, revocation) and which guests an invite admitted. Every node of a
 * cluster sees the same readouts, and a restart loses none. A guest is active while the invite that admitted
 * them is neither revoked nor expired and the readout has not ended.
 */
final class ReadoutStore {
    /** A readout as stored. */
    record Stored(
            String id,
            String title,
            String createdBy,
            Instant created,
            List<ServerMessage.WorklistItem> worklist,
            String homeNode,
            Instant ended) {}

    /** A recorded invite, as its readout's organizers see it (never the token). */
    record StoredInvite(
            String id,
            String role,
            String createdBy,
            Instant created,
            Instant expires,
            int maxUses,
            int uses,
            boolean revoked) {}

    /** What using an invite to admit a guest came to. */
    enum Use {
        ADMITTED,
        UNKNOWN,
        REVOKED,
        EXPIRED,
        USED_UP,
        READOUT_ENDED
    }

    /** The condition under which guest {@code g} (joined with invite {@code i} and readout {@code r}) has access. */
    private static final String ACTIVE = "i.revoked_at is null and i.expires_at > ? and r.ended_at is null";

    final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ReadoutStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    Stored create(String title, String createdBy, List<ServerMessage.WorklistItem> worklist, String homeNode)
            throws SQLException {
        byte[] raw = new byte[12];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant created = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement r = c.prepareStatement(
                            "insert into readout (id, title, created_by, created_at, home_node) values (?,?,?,?,?)");
                    PreparedStatement s = c.prepareStatement(
                            "insert into readout_study (readout_id, position, source, study_instance_uid, label) values (?,?,?,?,?)")) {
                r.setString(1, id);
                r.setString(2, title);
                r.setString(3, createdBy);
                r.setTimestamp(4, Timestamp.from(created));
                r.setString(5, homeNode);
                r.executeUpdate();
                for (int i = 0; i < worklist.size(); i++) {
                    ServerMessage.WorklistItem w = worklist.get(i);
                    s.setString(1, id);
                    s.setInt(2, i);
                    s.setString(3, w.source());
                    s.setString(4, w.studyInstanceUid());
                    s.setString(5, w.label());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Stored(id, title, createdBy, created, List.copyOf(worklist), homeNode, null);
    }

    Optional<Stored> find(String id) throws SQLException {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement r = c.prepareStatement(
                        "select title, created_by, created_at, home_node, ended_at from readout where id = ?");
                PreparedStatement s = c.prepareStatement(
                        "select source, study_instance_uid, label from readout_study where readout_id = ? order by position")) {
            r.setString(1, id);
            try (ResultSet rs = r.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                s.setString(1, id);
                List<ServerMessage.WorklistItem> worklist = new ArrayList<>();
                try (ResultSet ws = s.executeQuery()) {
                    while (ws.next()) {
                        worklist.add(new ServerMessage.WorklistItem(ws.getString(1), ws.getString(2), ws.getString(3)));
                    }
                }
                Timestamp ended = rs.getTimestamp(5);
                return Optional.of(new Stored(
                        id,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        List.copyOf(worklist),
                        rs.getString(4),
                        ended == null ? null : ended.toInstant()));
            }
        }
    }

    /** Moves the readout's home from {@code from} to {@code to}, only if {@code from} still is its home. */
    boolean moveHome(String id, String from, String to) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update readout set home_node = ? where id = ? and home_node = ?")) {
            ps.setString(1, to);
            ps.setString(2, id);
            ps.setString(3, from);
            return ps.executeUpdate() == 1;
        }
    }

    /** Of these readouts, those whose home is not {@code node} (any more). */
    List<String> homedElsewhere(List<String> ids, String node) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select id from readout where id = any (?) and home_node <> ?")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setString(2, node);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Ends a readout: it admits nobody any more and its guests lose access. False if it had ended already. */
    boolean end(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update readout set ended_at = ? where id = ? and ended_at is null")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    void recordInvite(String id, String readoutId, String role, String createdBy, Instant expires, int maxUses)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into readout_invite (id, readout_id, role, created_by, created_at, expires_at, max_uses) values (?,?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, readoutId);
            ps.setString(3, role);
            ps.setString(4, createdBy);
            ps.setTimestamp(5, Timestamp.from(clock.instant()));
            ps.setTimestamp(6, Timestamp.from(expires));
            ps.setInt(7, maxUses);
            ps.executeUpdate();
        }
    }

    List<StoredInvite> invites(String readoutId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at is not null
                from readout_invite where readout_id = ? order by created_at, id""")) {
            ps.setString(1, readoutId);
            List<StoredInvite> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredInvite(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getTimestamp(5).toInstant(),
                            rs.getInt(6),
                            rs.getInt(7),
                            rs.getBoolean(8)));
                }
            }
            return out;
        }
    }

    /** Revokes an invite of this readout; false when it has no such invite. */
    boolean revokeInvite(String readoutId, String inviteId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update readout_invite set revoked_at = coalesce(revoked_at, ?) where id = ? and readout_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, inviteId);
            ps.setString(3, readoutId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Admits guest {@code username} with invite {@code inviteId} if the invite is still good and has a use left;
     * the use is counted and the guest recorded in one transaction, the invite's row locked meanwhile, so that two
     * guests racing for the last use cannot both get in.
     */
    Use admitGuest(String inviteId, String readoutId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement("""
                    select i.revoked_at is not null, i.expires_at <= ?, i.uses >= i.max_uses, r.ended_at is not null
                    from readout_invite i join readout r on r.id = i.readout_id where i.id = ? and i.readout_id = ? for update of i""");
                    PreparedStatement use =
                            c.prepareStatement("update readout_invite set uses = uses + 1 where id = ?");
                    PreparedStatement guest = c.prepareStatement(
                            "insert into readout_guest (readout_id, username, invite_id) values (?,?,?)")) {
                q.setTimestamp(1, Timestamp.from(clock.instant()));
                q.setString(2, inviteId);
                q.setString(3, readoutId);
                Use outcome;
                try (ResultSet rs = q.executeQuery()) {
                    outcome = !rs.next()
                            ? Use.UNKNOWN
                            : rs.getBoolean(1)
                                    ? Use.REVOKED
                                    : rs.getBoolean(2)
                                            ? Use.EXPIRED
                                            : rs.getBoolean(4)
                                                    ? Use.READOUT_ENDED
                                                    : rs.getBoolean(3) ? Use.USED_UP : Use.ADMITTED;
                }
                if (outcome == Use.ADMITTED) {
                    use.setString(1, inviteId);
                    use.executeUpdate();
                    guest.setString(1, readoutId);
                    guest.setString(2, username);
                    guest.setString(3, inviteId);
                    guest.executeUpdate();
                }
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Of these guests, those who still have access to some readout. */
    Set<String> activeGuests(Collection<String> usernames) throws SQLException {
        if (usernames.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select distinct g.username from readout_guest g join readout_invite i on i.id = g.invite_id
                join readout r on r.id = g.readout_id where g.username = any (?) and\s""" + ACTIVE)) {
            ps.setArray(1, c.createArrayOf("text", usernames.toArray()));
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Of these readouts, those that have ended. */
    Set<String> ended(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select id from readout where id = any (?) and ended_at is not null")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    boolean isAdmitted(String readoutId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select 1 from readout_guest g join readout_invite i on i.id = g.invite_id join readout r on r.id = g.readout_id
                where g.readout_id = ? and g.username = ? and\s""" + ACTIVE)) {
            ps.setString(1, readoutId);
            ps.setString(2, username);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether a guest may see a study: only the worklists of readouts an invite admitted them to, while active. */
    boolean guestMaySee(String username, String source, String studyUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select 1 from readout_guest g join readout_study s on s.readout_id = g.readout_id
                join readout_invite i on i.id = g.invite_id join readout r on r.id = g.readout_id
                where g.username = ? and s.source = ? and s.study_instance_uid = ? and\s""" + ACTIVE + " limit 1")) {
            ps.setString(1, username);
            ps.setString(2, source);
            ps.setString(3, studyUid);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
