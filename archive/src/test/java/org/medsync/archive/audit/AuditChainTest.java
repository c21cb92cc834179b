package org.medsync.archive.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.ArchiveDatabase;
import org.medsync.archive.access.AccessLog;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The access log as a hash chain on a real PostgreSQL: appends from two connection pools form one chain, and an
 * edited, deleted, rewritten or truncated row is found where it is. Each test leaves the chain intact for the next.
 */
class AuditChainTest {
    private static ArchiveDatabase db;
    private static AuditChain chain;

    @BeforeAll
    static void start() throws Exception {
        db = ArchiveDatabase.start("audit-chain");
        chain = new AuditChain(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    /** A second pool on the same database, as a second node would have. */
    private static DataSource otherNode(String schema) throws Exception {
        List<String> c = db.connection();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(c.get(0));
        ds.setUser(c.get(1));
        ds.setPassword(c.get(2));
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    /** The encoding is the documented one: these hashes were computed outside Java (Python hashlib). */
    @Test
    void canonicalEncodingMatchesTheDocumentedVectors() {
        AuditEntry first = new AuditEntry(
                        0,
                        42,
                        Instant.parse("2026-12-06T20:01:25.123456Z"),
                        "dr-owner",
                        "user",
                        "rec-1",
                        "view",
                        true,
                        null,
                        null,
                        null)
                .chained(1, AuditEntry.GENESIS);
        assertEquals("55cb7e67f1b5424edc3290aee09ca7dfbbd7c2edd967a1faed6627df649aa5ff", first.hash());
        AuditEntry second = new AuditEntry(
                        0,
                        43,
                        Instant.parse("2026-12-06T20:01:26Z"),
                        "cli:root",
                        "user",
                        null,
                        "export",
                        false,
                        "ünïcode détail",
                        null,
                        null)
                .chained(2, first.hash());
        assertEquals("8f69d5c0d0fac0e661e27fe8af7ae713a028972754f43e89c5fa123877ce8e59", second.hash());
        // null and empty are different values
        AuditEntry empty = new AuditEntry(
                        0, 43, second.at(), "cli:root", "user", "", "export", false, "ünïcode détail", null, null)
                .chained(2, first.hash());
        assertFalse(empty.hash().equals(second.hash()));
    }

    @Test
    void concurrentAppendersOnTwoPoolsFormOneChain() throws Exception {
        long before = chain.head().map(AuditChain.Head::seq).orElse(0L);
        List<DataSource> nodes = List.of(db.dataSource(), otherNode(null));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            AccessLog log = new AccessLog(nodes.get(t % 2));
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    log.append("node-" + thread, AccessLog.ActorKind.SYSTEM, "rec-" + i, "view", true, "i=" + i);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        Verification v = chain.verify();
        assertTrue(v.ok(), v.toString());
        assertEquals(before + 100, v.count());
        assertEquals(chain.head().orElseThrow().hash(), v.headHash());
        // One chain: seq is 1..n without gaps or repeats, times never go backwards along it.
        List<AuditEntry> all = chain.entries(null, null, null);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).seq());
            if (i > 0) {
                assertFalse(all.get(i).at().isBefore(all.get(i - 1).at()));
                assertEquals(all.get(i - 1).hash(), all.get(i).prevHash());
            }
        }
    }

    @Test
    void anEditedRowBreaksTheChainExactlyThere() throws Exception {
        List<AuditEntry> rows = appendFive("edit");
        AuditEntry victim = rows.get(2);
        sql("update archive_access set detail = 'nothing happened' where id = " + victim.id());
        Verification v = chain.verify();
        assertFalse(v.ok());
        assertEquals(victim.id(), v.brokenId());
        assertEquals(victim.seq(), v.brokenSeq());
        assertEquals(Verification.Problem.HASH_MISMATCH, v.problem());
        assertEquals(victim.seq() - 1, v.count());

        // Rehashing the edited row moves the break to the next row, whose link no longer holds.
        AuditEntry forged = new AuditEntry(
                        0,
                        victim.id(),
                        victim.at(),
                        victim.actor(),
                        victim.actorKind(),
                        victim.recordingId(),
                        victim.action(),
                        victim.allowed(),
                        "nothing happened",
                        null,
                        null)
                .chained(victim.seq(), victim.prevHash());
        sql("update archive_access set hash = '" + forged.hash() + "' where id = " + victim.id());
        v = chain.verify();
        assertEquals(rows.get(3).id(), v.brokenId());
        assertEquals(Verification.Problem.BROKEN_LINK, v.problem());

        sql("update archive_access set detail = " + literal(victim.detail()) + ", hash = '" + victim.hash()
                + "' where id = " + victim.id());
        assertTrue(chain.verify().ok());
    }

    @Test
    void aDeletedRowBreaksTheChainAtTheNext() throws Exception {
        List<AuditEntry> rows = appendFive("delete");
        AuditEntry victim = rows.get(1);
        sql("delete from archive_access where id = " + victim.id());
        Verification v = chain.verify();
        assertFalse(v.ok());
        assertEquals(rows.get(2).id(), v.brokenId());
        assertEquals(Verification.Problem.GAP, v.problem());
        assertTrue(v.message().contains("expected seq " + victim.seq()), v.message());
        restore(victim);
        assertTrue(chain.verify().ok());
    }

    @Test
    void publishedHeadsCatchTruncationAndRewriting() throws Exception {
        List<AuditEntry> rows = appendFive("anchor");
        AuditChain.Anchor anchor = chain.publishAnchor("test-node").orElseThrow();
        assertEquals(rows.getLast().seq(), anchor.seq());
        assertTrue(chain.publishAnchor("test-node").isEmpty(), "an unchanged head is not published twice");

        // Removing the newest row leaves an intact chain, which the published head says is too short.
        sql("delete from archive_access where id = " + rows.getLast().id());
        Verification v = chain.verify();
        assertEquals(Verification.Problem.TRUNCATED, v.problem());
        assertEquals(anchor.seq(), v.brokenSeq());
        restore(rows.getLast());
        assertTrue(chain.verify().ok());

        // A head kept outside the database that the chain no longer holds: the chain was rewritten up to it.
        AuditChain.Anchor kept = new AuditChain.Anchor(null, rows.get(1).seq(), "ab".repeat(32), "auditor");
        v = chain.verify(List.of(kept));
        assertEquals(Verification.Problem.ANCHOR_MISMATCH, v.problem());
        assertEquals(rows.get(1).id(), v.brokenId());
    }

    @Test
    void rowsWrittenBeforeTheChainAreChainedOnceOldestFirst() throws Exception {
        // A database as it was before the chain (V154: the last migration on main before it), in a schema of its own,
        // with rows written then.
        DataSource legacy = otherNode("legacy");
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create schema legacy");
        }
        Flyway.configure()
                .dataSource(legacy)
                .schemas("legacy")
                .locations("classpath:db/migration")
                .target("154")
                .load()
                .migrate();
        try (Connection c = legacy.getConnection();
                Statement s = c.createStatement()) {
            s.execute("insert into archive_access (actor, actor_kind, recording_id, action, allowed, detail) values"
                    + " ('a', 'user', 'r1', 'view', true, null), ('b', 'device', 'r1', 'upload', true, 'x'),"
                    + " ('c', 'link', null, 'link-use', false, 'expired')");
        }
        Flyway.configure()
                .dataSource(legacy)
                .schemas("legacy")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        AuditChain old = new AuditChain(legacy);
        Verification before = old.verify();
        assertEquals(Verification.Problem.UNCHAINED, before.problem());
        // A row that skips the chain cannot be written any more.
        assertThrows(SQLException.class, () -> {
            try (Connection c = legacy.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("insert into archive_access (actor, actor_kind, action, allowed) values ('x', 'user',"
                        + " 'view', true)");
            }
        });
        // The first append chains them first, so they precede it.
        AuditEntry appended = old.append("d", "system", null, "export", true, "after");
        assertEquals(4, appended.seq());
        assertEquals(0, old.chainUnchained());
        List<AuditEntry> all = old.entries(null, null, null);
        assertEquals(
                List.of("a", "b", "c", "d"), all.stream().map(AuditEntry::actor).toList());
        Verification after = old.verify();
        assertTrue(after.ok(), after.toString());
        assertEquals(4, after.count());
    }

    @Test
    void appendingInsideACallersTransactionNeedsOne() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            assertThrows(IllegalArgumentException.class, () -> chain.append(c, "x", "user", null, "view", true, null));
            c.setAutoCommit(false);
            AuditEntry e = chain.append(c, "x", "user", null, "view", true, null);
            c.rollback();
            c.setAutoCommit(true);
            assertTrue(chain.entries(null, null, null).stream().noneMatch(x -> x.id() == e.id()));
        }
        assertTrue(chain.verify().ok());
    }

    private static List<AuditEntry> appendFive(String tag) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(chain.append("dr-" + tag, "user", "rec-" + tag, "view", true, tag + " " + i));
        }
        return out;
    }

    private static void restore(AuditEntry e) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_access (seq, id, at, actor, actor_kind,"
                        + " recording_id, action, allowed, detail, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?)")) {
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
    }

    private static String literal(String s) {
        return s == null ? "null" : "'" + s.replace("'", "''") + "'";
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
