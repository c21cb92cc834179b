package org.medsync.archive.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The access log (table archive_access) as one hash chain over every node of a cluster: each row hashes the row
 * before it ({@link AuditEntry}), appends take a transaction-scoped PostgreSQL advisory lock ({@link #LOCK_KEY}) so
 * they are totally ordered, and {@link #verify} walks the chain and names its first broken link.
 *
 * <p>What the chain proves and what it does not is written in docs/archive-evidence.md: without a head published
 * outside the database ({@link #publishAnchor}), whoever can write the whole table can rewrite the whole chain.
 */
public final class AuditChain {
    /**
     * The advisory lock every appender takes (pg_advisory_xact_lock): "MSAUDIT1" as a big-endian long. Anything else
     * that writes archive_access must take it too.
     */
    public static final long LOCK_KEY = 0x4d53415544495431L;

    private static final String COLUMNS =
            "seq, id, at, actor, actor_kind, recording_id, action, allowed, detail, prev_hash, hash";

    private final DataSource db;

    public AuditChain(DataSource db) {
        this.db = db;
    }

    /** The newest row of the chain: its place and hash. */
    public record Head(long seq, String hash) {}

    /** A head as published at a time, to be found again in the chain. */
    public record Anchor(Instant at, long seq, String hash, String node) {}

    /** Appends one row in a transaction of its own and returns it as chained. */
    public AuditEntry append(
            String actor, String actorKind, String recordingId, String action, boolean allowed, String detail)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                AuditEntry e = append(c, actor, actorKind, recordingId, action, allowed, detail);
                c.commit();
                return e;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Appends one row inside the caller's transaction (so the row is written with what it records, or not at all).
     * The chain stays locked for every other appender until that transaction ends: keep it short.
     *
     * @throws IllegalArgumentException when {@code c} is in auto-commit mode (the lock would end with the statement)
     */
    public AuditEntry append(
            Connection c,
            String actor,
            String actorKind,
            String recordingId,
            String action,
            boolean allowed,
            String detail)
            throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalArgumentException("append to the audit chain inside a transaction (auto-commit off)");
        }
        lock(c);
        chainUnchained(c);
        Head head = head(c).orElse(new Head(0, AuditEntry.GENESIS));
        long id;
        Instant at;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "select nextval(pg_get_serial_sequence('archive_access', 'id')), clock_timestamp()")) {
            r.next();
            id = r.getLong(1);
            // Taken under the lock: times never go backwards along the chain, whichever node appends.
            at = r.getObject(2, OffsetDateTime.class).toInstant();
        }
        AuditEntry e = new AuditEntry(0, id, at, actor, actorKind, recordingId, action, allowed, detail, null, null)
                .chained(head.seq() + 1, head.hash());
        try (PreparedStatement s = c.prepareStatement(
                "insert into archive_access (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, e.seq());
            s.setLong(2, e.id());
            s.setObject(3, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC));
            s.setString(4, e.actor());
            s.setString(5, e.actorKind());
            s.setString(6, e.recordingId());
            s.setString(7, e.action());
            s.setBoolean(8, e.allowed());
            s.setString(9, e.detail());
            s.setString(10, e.prevHash());
            s.setString(11, e.hash());
            s.executeUpdate();
        }
        return e;
    }

    /**
     * Chains the rows written before the chain existed (V158), oldest id first; returns how many. Run at
     * Archive.open and before every append, so they always precede the rows appended since.
     */
    public int chainUnchained() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                int n = chainUnchained(c);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static int chainUnchained(Connection c) throws SQLException {
        List<AuditEntry> pending = new ArrayList<>();
        try (PreparedStatement s =
                        c.prepareStatement("select " + COLUMNS + " from archive_access where seq is null order by id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                pending.add(read(r));
            }
        }
        if (pending.isEmpty()) {
            return 0;
        }
        Head head = head(c).orElse(new Head(0, AuditEntry.GENESIS));
        try (PreparedStatement s =
                c.prepareStatement("update archive_access set seq = ?, prev_hash = ?, hash = ? where id = ?")) {
            for (AuditEntry p : pending) {
                AuditEntry e = p.chained(head.seq() + 1, head.hash());
                s.setLong(1, e.seq());
                s.setString(2, e.prevHash());
                s.setString(3, e.hash());
                s.setLong(4, e.id());
                s.addBatch();
                head = new Head(e.seq(), e.hash());
            }
            s.executeBatch();
        }
        return pending.size();
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            s.execute();
        }
    }

    /** The newest chained row, or empty while the chain is empty. */
    public Optional<Head> head() throws SQLException {
        try (Connection c = db.getConnection()) {
            return head(c);
        }
    }

    private static Optional<Head> head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "select seq, hash from archive_access where seq is not null order by seq desc limit 1")) {
            return r.next() ? Optional.of(new Head(r.getLong(1), r.getString(2))) : Optional.empty();
        }
    }

    /**
     * Records the current head as an anchor (table archive_audit_anchor) and returns it; nothing new when the head
     * has not moved since the last anchor. The caller also writes it where the database's administrator cannot
     * change it (the log, an external system).
     */
    public Optional<Anchor> publishAnchor(String node) throws SQLException {
        Optional<Head> head = head();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s =
                    c.prepareStatement("select 1 from archive_audit_anchor where seq = ? and hash = ? limit 1")) {
                s.setLong(1, head.get().seq());
                s.setString(2, head.get().hash());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return Optional.empty();
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "insert into archive_audit_anchor (seq, hash, node) values (?, ?, ?) returning at")) {
                s.setLong(1, head.get().seq());
                s.setString(2, head.get().hash());
                s.setString(3, node);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return Optional.of(new Anchor(
                            r.getTimestamp(1).toInstant(),
                            head.get().seq(),
                            head.get().hash(),
                            node));
                }
            }
        }
    }

    /** Every anchor recorded in the database, oldest first. */
    public List<Anchor> anchors() throws SQLException {
        List<Anchor> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select at, seq, hash, node from archive_audit_anchor order by id")) {
            while (r.next()) {
                out.add(new Anchor(r.getTimestamp(1).toInstant(), r.getLong(2), r.getString(3), r.getString(4)));
            }
        }
        return out;
    }

    /** Verifies the chain against the anchors in the database. */
    public Verification verify() throws SQLException {
        return verify(List.of());
    }

    /**
     * Walks the whole chain in order and stops at the first broken link: a row not chained, a gap in seq (a row
     * deleted before this one), a previous hash that is not the previous row's hash, a hash that does not match the
     * row's content, or a published anchor (from the database or {@code external}) that the chain no longer holds.
     */
    public Verification verify(List<Anchor> external) throws SQLException {
        Map<Long, List<Anchor>> anchors = new HashMap<>();
        List<Anchor> all = new ArrayList<>(anchors());
        all.addAll(external);
        for (Anchor a : all) {
            anchors.computeIfAbsent(a.seq(), k -> new ArrayList<>()).add(a);
        }
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select min(id) from archive_access where seq is null")) {
                r.next();
                long unchained = r.getLong(1);
                if (!r.wasNull()) {
                    return Verification.broken(
                            0,
                            null,
                            unchained,
                            0,
                            Verification.Problem.UNCHAINED,
                            "row id " + unchained
                                    + " is not in the chain (written without the chain, or before it and not yet"
                                    + " chained)");
                }
            }
            // A cursor, not the whole table in memory: the chain grows for decades.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from archive_access order by seq")) {
                s.setFetchSize(1000);
                long expected = 1;
                String prev = AuditEntry.GENESIS;
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        AuditEntry e = read(r);
                        Verification.Problem problem = null;
                        String why = null;
                        if (e.seq() != expected) {
                            problem = Verification.Problem.GAP;
                            why = "expected seq " + expected + ", found " + e.seq() + ": "
                                    + (e.seq() > expected ? "rows were removed before it" : "seq repeats");
                        } else if (!prev.equals(e.prevHash())) {
                            problem = Verification.Problem.BROKEN_LINK;
                            why = "its prev_hash " + e.prevHash() + " is not the previous row's hash " + prev;
                        } else if (!e.computeHash().equals(e.hash())) {
                            problem = Verification.Problem.HASH_MISMATCH;
                            why = "its content hashes to " + e.computeHash() + ", not to the stored " + e.hash();
                        } else {
                            for (Anchor a : anchors.getOrDefault(e.seq(), List.of())) {
                                if (!a.hash().equals(e.hash())) {
                                    problem = Verification.Problem.ANCHOR_MISMATCH;
                                    why = published(a) + " was " + a.hash() + "; the chain now has " + e.hash();
                                    break;
                                }
                            }
                        }
                        if (problem != null) {
                            return Verification.broken(expected - 1, prev, e.id(), e.seq(), problem, why);
                        }
                        prev = e.hash();
                        expected++;
                    }
                }
                long count = expected - 1;
                for (Anchor a : all) {
                    if (a.seq() > count) {
                        return Verification.broken(
                                count,
                                prev,
                                0,
                                a.seq(),
                                Verification.Problem.TRUNCATED,
                                published(a) + " was seq " + a.seq() + " but the chain ends at " + count
                                        + ": rows were removed from its end");
                    }
                }
                return Verification.ok(count, prev);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * The chained rows concerning one recording (null: every recording) with {@code from <= at < to} (null: open),
     * in chain order.
     */
    public List<AuditEntry> entries(String recordingId, Instant from, Instant to) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from archive_access where seq is not null");
        List<Object> args = new ArrayList<>();
        if (recordingId != null) {
            sql.append(" and recording_id = ?");
            args.add(recordingId);
        }
        if (from != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(to));
        }
        sql.append(" order by seq");
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
        }
        return out;
    }

    private static String published(Anchor a) {
        return "the head published" + (a.at() == null ? "" : " at " + a.at());
    }

    private static AuditEntry read(ResultSet r) throws SQLException {
        return new AuditEntry(
                r.getLong("seq"),
                r.getLong("id"),
                r.getObject("at", OffsetDateTime.class).toInstant(),
                r.getString("actor"),
                r.getString("actor_kind"),
                r.getString("recording_id"),
                r.getString("action"),
                r.getBoolean("allowed"),
                r.getString("detail"),
                r.getString("prev_hash"),
                r.getString("hash"));
    }
}
