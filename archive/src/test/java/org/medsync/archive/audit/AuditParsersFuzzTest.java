package org.medsync.archive.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an admin types for an audit export or a verification is parsed, or refused with a message, never a crash. */
class AuditParsersFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void queriesParseOrAreRefusedWithAMessage(FuzzedDataProvider data) {
        String id = data.consumeBoolean() ? null : data.consumeString(40);
        String from = data.consumeBoolean() ? null : data.consumeString(30);
        String to = data.consumeBoolean() ? null : data.consumeRemainingAsString();
        try {
            AuditQuery q = AuditQuery.parse(id, from, to);
            assertTrue(q.from() == null || q.to() == null || q.from().isBefore(q.to()));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anchorsParseOrAreRefusedWithAMessage(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            AuditChain.Anchor a = AuditQuery.anchor(text);
            assertTrue(a.seq() >= 1 && a.hash().matches("[0-9a-f]{64}"));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    @Test
    void examples() {
        AuditQuery q = AuditQuery.parse(" rec-1 ", "2026-12-01", "2026-12-02T08:00:00Z");
        assertEquals("rec-1", q.recordingId());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), q.from());
        assertEquals(new AuditQuery(null, null, null), AuditQuery.parse("", " ", null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditQuery.parse(null, "yesterday", null))
                .getMessage()
                .contains("'from'"));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.parse(null, "2026-12-02", "2026-12-01"));
        assertEquals(7, AuditQuery.anchor("7:" + "a".repeat(64)).seq());
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.anchor("0:" + "a".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.anchor("7:" + "A".repeat(64)));
    }
}
