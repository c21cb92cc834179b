package org.medsync.archive.access;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A search of the recordings a viewer may see. Text keys match case-insensitively by substring; {@code from}
 * (inclusive) and {@code to} (exclusive) bound the start time.
 *
 * @param patient patient name or ID (identifying)
 * @param procedure procedure description or accession number (identifying)
 * @param room operating room
 * @param surgeon the operator as recorded, or the owning account
 * @param study Study Instance UID, exactly (identifying)
 * @param status uploaded, processing, ready or failed
 */
public record RecordingSearch(
        String patient,
        String procedure,
        String room,
        String surgeon,
        Instant from,
        Instant to,
        String study,
        String status,
        int limit,
        int offset) {

    /** Keys that match on what identifies a patient: refused for de-identified viewers, whose hit or miss would leak. */
    public static final Set<String> IDENTIFYING_KEYS = Set.of("patient", "procedure", "study");

    /** Keys a de-identified viewer may search by: they match nothing a de-identified viewer cannot list anyway. */
    public static final Set<String> DEIDENTIFIED_KEYS = Set.of("room", "surgeon", "from", "to", "status");

    private static final Set<String> KEYS =
            Set.of("patient", "procedure", "room", "surgeon", "from", "to", "study", "status", "limit", "offset");
    private static final Set<String> STATUSES = Set.of("uploaded", "processing", "ready", "failed");
    static final int MAX_LIMIT = 500;
    private static final int MAX_TEXT = 200;

    public static final RecordingSearch ALL =
            new RecordingSearch(null, null, null, null, null, null, null, null, 100, 0);

    public RecordingSearch {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is 0 or more, not " + offset);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status is uploaded, processing, ready or failed");
        }
    }

    /** The identifying keys this search uses (empty when it uses none). */
    public List<String> identifyingKeys() {
        return Stream.of(
                        patient == null ? null : "patient",
                        procedure == null ? null : "procedure",
                        study == null ? null : "study")
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * Reads a search from query parameters (one value each). Unknown keys, repeated keys, over-long text,
     * unreadable dates and numbers are refused with a message that names the key.
     *
     * @throws IllegalArgumentException with that message
     */
    public static RecordingSearch parse(Map<String, List<String>> query) {
        for (var e : query.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown search key '" + shorten(e.getKey()) + "': use "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
            if (e.getValue().size() > 1) {
                throw new IllegalArgumentException("search key '" + e.getKey() + "' is given more than once");
            }
        }
        return new RecordingSearch(
                text(query, "patient"),
                text(query, "procedure"),
                text(query, "room"),
                text(query, "surgeon"),
                time(query, "from"),
                time(query, "to"),
                text(query, "study"),
                status(query),
                number(query, "limit", 100, 1, MAX_LIMIT),
                number(query, "offset", 0, 0, 1_000_000));
    }

    private static String one(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String v = values.getFirst();
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String text(Map<String, List<String>> query, String key) {
        String v = one(query, key);
        if (v != null && v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(key + " is at most " + MAX_TEXT + " characters");
        }
        if (v != null && v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(key + " holds control characters");
        }
        return v;
    }

    private static String status(Map<String, List<String>> query) {
        String v = one(query, "status");
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(s)) {
            throw new IllegalArgumentException(
                    "status is uploaded, processing, ready or failed, not '" + shorten(v) + "'");
        }
        return s;
    }

    /** A date (2026-03-01, midnight UTC) or an instant (2026-03-01T08:00:00Z). */
    private static Instant time(Map<String, List<String>> query, String key) {
        String v = one(query, key);
        if (v == null) {
            return null;
        }
        try {
            return v.length() == 10
                    ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    key + " is a date (2026-03-01) or an ISO 8601 instant (2026-03-01T08:00:00Z), not '" + shorten(v)
                            + "'");
        }
    }

    private static int number(Map<String, List<String>> query, String key, int absent, int min, int max) {
        String v = one(query, key);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + " is " + min + " to " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is a whole number, not '" + shorten(v) + "'");
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
