package org.medsync.archive.audit;

/**
 * What {@link AuditChain#verify} found: the whole chain intact (its length and head), or its first broken link.
 *
 * @param count rows verified intact (before the broken one, if any)
 * @param headHash hash of the last intact row ({@link AuditEntry#GENESIS} for none)
 * @param brokenId id of the first broken row (0 when none, or when rows are missing from the end)
 * @param brokenSeq seq of the first broken row (or of the published anchor the chain no longer reaches)
 */
public record Verification(
        boolean ok, long count, String headHash, long brokenId, long brokenSeq, Problem problem, String message) {

    /** Why a link is broken. */
    public enum Problem {
        /** A row carries no place in the chain. */
        UNCHAINED,
        /** A row's seq is not the previous one's plus one: rows before it were removed (or seq was edited). */
        GAP,
        /** A row's prev_hash is not the previous row's hash: the previous row was rewritten, or this one moved. */
        BROKEN_LINK,
        /** A row's content does not hash to its stored hash: the row was edited. */
        HASH_MISMATCH,
        /** A published head is no longer the hash at its seq: the chain was rewritten from there on. */
        ANCHOR_MISMATCH,
        /** A published head lies beyond the chain's end: rows were removed from the end. */
        TRUNCATED
    }

    static Verification ok(long count, String head) {
        return new Verification(true, count, head, 0, 0, null, null);
    }

    static Verification broken(
            long count, String head, long brokenId, long brokenSeq, Problem problem, String message) {
        return new Verification(
                false, count, head == null ? AuditEntry.GENESIS : head, brokenId, brokenSeq, problem, message);
    }
}
