package org.medsync.archive.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * One row of the audit trail (table archive_access) with its place in the hash chain.
 *
 * <p>The hash is {@code SHA-256(prev || canonical())} where {@code prev} is the 32 bytes of the previous row's hash
 * (32 zero bytes before the first row) and {@link #canonical()} is the encoding documented in
 * docs/archive-evidence.md: so anyone holding an export of the rows can recompute the chain without MedSync.
 *
 * @param seq the row's place in the chain, from 1, without gaps
 * @param at when it was appended (PostgreSQL keeps microseconds; so does the encoding)
 * @param actorKind user, device, link or system
 * @param recordingId the recording concerned, or null
 * @param detail what was done in the actor's terms (a rendition, a grantee); never a patient field
 * @param prevHash hex SHA-256 of the previous row ({@link #GENESIS} for the first)
 * @param hash hex SHA-256 of this row as stored (null while not yet chained)
 */
public record AuditEntry(
        long seq,
        long id,
        Instant at,
        String actor,
        String actorKind,
        String recordingId,
        String action,
        boolean allowed,
        String detail,
        String prevHash,
        String hash) {

    /** The previous hash of the first row. */
    public static final String GENESIS = "0".repeat(64);

    /** Names the encoding, so a later change of it cannot be mistaken for this one. */
    static final byte[] VERSION = "medsync-audit-1".getBytes(StandardCharsets.US_ASCII);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The time as encoded: UTC, always six fractional digits (what timestamptz keeps). */
    public static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The bytes hashed after the previous hash: the version tag, then each field as a 4-byte big-endian length and
     * its UTF-8 bytes (length -1 and no bytes for null), in this order: seq, id, at, actor, actor_kind,
     * recording_id, action, allowed, detail. Numbers are decimal, {@code at} is {@link #time}, allowed is true/false.
     */
    public byte[] canonical() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, VERSION);
        field(out, Long.toString(seq));
        field(out, Long.toString(id));
        field(out, time(at));
        field(out, actor);
        field(out, actorKind);
        field(out, recordingId);
        field(out, action);
        field(out, Boolean.toString(allowed));
        field(out, detail);
        return out.toByteArray();
    }

    /** The hash this row should have, after {@code prevHash}. */
    public String computeHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(HexFormat.of().parseHex(prevHash));
            sha.update(canonical());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** This row, placed in the chain after {@code prev} and hashed. */
    AuditEntry chained(long newSeq, String prev) {
        AuditEntry placed =
                new AuditEntry(newSeq, id, at, actor, actorKind, recordingId, action, allowed, detail, prev, null);
        return new AuditEntry(
                newSeq, id, at, actor, actorKind, recordingId, action, allowed, detail, prev, placed.computeHash());
    }

    private static void field(ByteArrayOutputStream out, String value) {
        field(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(
                ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            out.writeBytes(value);
        }
    }
}
