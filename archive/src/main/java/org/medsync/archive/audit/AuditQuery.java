package org.medsync.archive.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which audit entries an export asks for, as given on a command line or in a query string, checked: an optional
 * recording id and an optional period {@code from <= at < to}. A date alone is midnight UTC.
 */
public record AuditQuery(String recordingId, Instant from, Instant to) {
    private static final int MAX_ID = 200;
    private static final Pattern ANCHOR = Pattern.compile("([0-9]{1,18}):([0-9a-f]{64})");

    /**
     * Parses the three texts (each may be null or blank: not restricted).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static AuditQuery parse(String recordingId, String from, String to) {
        String id = blank(recordingId) ? null : recordingId.strip();
        if (id != null && (id.length() > MAX_ID || id.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a recording id is one line of at most " + MAX_ID + " characters");
        }
        Instant f = time("from", from);
        Instant t = time("to", to);
        if (f != null && t != null && !f.isBefore(t)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        return new AuditQuery(id, f, t);
    }

    private static Instant time(String name, String value) {
        if (blank(value)) {
            return null;
        }
        String v = value.strip();
        try {
            return v.length() == 10
                    ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(v);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "'" + name + "' is a date (2026-12-01) or a UTC time (2026-12-01T08:00:00Z)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * A head kept outside the database, as {@code SEQ:HASH} (what the log line "Audit chain head" says).
     *
     * @throws IllegalArgumentException when it is not that
     */
    public static AuditChain.Anchor anchor(String text) {
        Matcher m = ANCHOR.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "an anchor is SEQ:HASH, the seq and the 64 lower-case hex digits of a published head");
        }
        long seq = Long.parseLong(m.group(1));
        if (seq < 1) {
            throw new IllegalArgumentException("an anchor's seq starts at 1");
        }
        return new AuditChain.Anchor(null, seq, m.group(2), null);
    }
}
