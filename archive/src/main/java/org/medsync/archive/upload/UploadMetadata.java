package org.medsync.archive.upload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.medsync.archive.upload.UploadException.Reason;

/**
 * What an upload declares about its recording, from the tus {@code Upload-Metadata} header: comma-separated pairs of
 * a key and its value in Base64 (tus 1.0.0, "creation"), with the keys of docs/archive-api.md. {@link #parse} reads the
 * header's syntax, {@link #of} checks each value's form and length; both refuse garbage with a precise reason and
 * never quote a value, which may be a patient's name.
 *
 * @param hospital null when not given (a device's hospital is its own)
 * @param sha256 the whole file's SHA-256, lower-case hex
 */
public record UploadMetadata(
        String filename,
        String filetype,
        String sha256,
        String hospital,
        String operatingRoom,
        String operator,
        String procedure,
        String accession,
        String studyUid,
        String patientId,
        String patientName,
        Instant startedAt,
        String title) {

    /** The longest Upload-Metadata header taken: all fields at their limits fit with room to spare. */
    public static final int MAX_HEADER = 8192;

    /** Each key this server knows and the longest value it takes (in characters). */
    static final Map<String, Integer> LIMITS = limits();

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern HOSPITAL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A DICOM UID: dot-separated numbers without leading zeros, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    private static Map<String, Integer> limits() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("filename", 255);
        m.put("filetype", 100);
        m.put("sha256", 64);
        m.put("hospital", 63);
        m.put("operatingRoom", 100);
        m.put("operator", 200);
        m.put("procedure", 200);
        m.put("accession", 64);
        m.put("studyUid", 64);
        m.put("patientId", 64);
        m.put("patientName", 200);
        m.put("startedAt", 40);
        m.put("title", 200);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The pairs of an Upload-Metadata header, values decoded (an absent value is the empty string), in header order.
     *
     * @throws UploadException BAD_METADATA, BAD_BASE64, UNKNOWN_METADATA_KEY or DUPLICATE_METADATA_KEY
     */
    public static Map<String, String> parse(String header) throws UploadException {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        if (header.length() > MAX_HEADER) {
            throw new UploadException(
                    Reason.BAD_METADATA, "Upload-Metadata is longer than " + MAX_HEADER + " characters");
        }
        String[] pairs = header.split(",", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i].strip();
            if (pair.isEmpty()) {
                throw new UploadException(
                        Reason.BAD_METADATA,
                        "Upload-Metadata pair " + (i + 1) + " is empty: pairs are 'key base64value' separated by ','");
            }
            int space = pair.indexOf(' ');
            String key = space < 0 ? pair : pair.substring(0, space);
            String encoded = space < 0 ? "" : pair.substring(space + 1);
            if (!KEY.matcher(key).matches()) {
                throw new UploadException(
                        Reason.BAD_METADATA,
                        "Upload-Metadata pair " + (i + 1) + " has no valid key (letters, digits, '_', '.', '-'; then"
                                + " one space and the Base64 value)");
            }
            if (encoded.indexOf(' ') >= 0) {
                throw new UploadException(
                        Reason.BAD_METADATA,
                        "the Upload-Metadata value of '" + key + "' has more than one space; a value is Base64");
            }
            Integer limit = LIMITS.get(key);
            if (limit == null) {
                throw new UploadException(
                        Reason.UNKNOWN_METADATA_KEY,
                        "unknown Upload-Metadata key '" + key + "'; the keys are "
                                + String.join(", ", LIMITS.keySet()));
            }
            if (out.containsKey(key)) {
                throw new UploadException(
                        Reason.DUPLICATE_METADATA_KEY, "Upload-Metadata key '" + key + "' appears twice");
            }
            out.put(key, decode(key, encoded));
        }
        return out;
    }

    private static String decode(String key, String encoded) throws UploadException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new UploadException(
                    Reason.BAD_BASE64, "the Upload-Metadata value of '" + key + "' is not Base64 (RFC 4648, '+/')");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UploadException(
                    Reason.BAD_BASE64, "the Upload-Metadata value of '" + key + "' is not UTF-8 text once decoded");
        }
    }

    /** Parses the header and checks every value. */
    public static UploadMetadata fromHeader(String header) throws UploadException {
        return of(parse(header));
    }

    /**
     * Checks the decoded values: sha256 (64 hex digits) and startedAt (ISO 8601 with a zone offset or Z) are
     * required, every value is within its length, free of control characters, and the hospital id and Study
     * Instance UID have their forms.
     */
    public static UploadMetadata of(Map<String, String> values) throws UploadException {
        for (Map.Entry<String, String> e : values.entrySet()) {
            Integer limit = LIMITS.get(e.getKey());
            if (limit == null) {
                throw new UploadException(Reason.UNKNOWN_METADATA_KEY, "unknown metadata key '" + e.getKey() + "'");
            }
            String v = e.getValue();
            if (v.length() > limit) {
                throw new UploadException(
                        Reason.BAD_METADATA_VALUE,
                        "metadata '" + e.getKey() + "' is longer than " + limit + " characters");
            }
            if (v.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                throw new UploadException(
                        Reason.BAD_METADATA_VALUE, "metadata '" + e.getKey() + "' contains control characters");
            }
        }
        String sha256 = text(values, "sha256");
        if (sha256 == null) {
            throw new UploadException(
                    Reason.METADATA_MISSING, "metadata 'sha256' (hex SHA-256 of the whole file) is required");
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new UploadException(
                    Reason.BAD_METADATA_VALUE, "metadata 'sha256' must be 64 hexadecimal digits (the whole file's)");
        }
        String started = text(values, "startedAt");
        if (started == null) {
            throw new UploadException(
                    Reason.METADATA_MISSING, "metadata 'startedAt' (ISO 8601, e.g. 2026-03-01T08:15:30Z) is required");
        }
        Instant startedAt;
        try {
            startedAt = OffsetDateTime.parse(started).toInstant();
        } catch (DateTimeParseException e) {
            throw new UploadException(
                    Reason.BAD_METADATA_VALUE,
                    "metadata 'startedAt' must be ISO 8601 with a zone offset, e.g. 2026-03-01T08:15:30Z or"
                            + " 2026-03-01T09:15:30+01:00");
        }
        String hospital = text(values, "hospital");
        if (hospital != null && !HOSPITAL.matcher(hospital).matches()) {
            throw new UploadException(
                    Reason.BAD_METADATA_VALUE,
                    "metadata 'hospital' is a hospital id: lower-case letters, digits and '-'");
        }
        String studyUid = text(values, "studyUid");
        if (studyUid != null && !UID.matcher(studyUid).matches()) {
            throw new UploadException(
                    Reason.BAD_METADATA_VALUE,
                    "metadata 'studyUid' is a DICOM UID: numbers separated by '.', no leading zeros");
        }
        String filename = text(values, "filename");
        if (filename != null && (filename.contains("/") || filename.contains("\\"))) {
            throw new UploadException(
                    Reason.BAD_METADATA_VALUE, "metadata 'filename' is a file's name without a directory");
        }
        return new UploadMetadata(
                filename,
                text(values, "filetype"),
                sha256.toLowerCase(Locale.ROOT),
                hospital,
                text(values, "operatingRoom"),
                text(values, "operator"),
                text(values, "procedure"),
                text(values, "accession"),
                studyUid,
                text(values, "patientId"),
                text(values, "patientName"),
                startedAt,
                text(values, "title"));
    }

    /** The value, stripped; null when absent or blank. */
    private static String text(Map<String, String> values, String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The values as stored with the upload (absent ones left out), readable again by {@link #of}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "filename", filename);
        put(m, "filetype", filetype);
        put(m, "sha256", sha256);
        put(m, "hospital", hospital);
        put(m, "operatingRoom", operatingRoom);
        put(m, "operator", operator);
        put(m, "procedure", procedure);
        put(m, "accession", accession);
        put(m, "studyUid", studyUid);
        put(m, "patientId", patientId);
        put(m, "patientName", patientName);
        put(m, "startedAt", startedAt.toString());
        put(m, "title", title);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** A copy for another hospital and room (a device's own, filled in). */
    public UploadMetadata withPlace(String hospitalId, String room) {
        return new UploadMetadata(
                filename,
                filetype,
                sha256,
                hospitalId,
                room,
                operator,
                procedure,
                accession,
                studyUid,
                patientId,
                patientName,
                startedAt,
                title);
    }

    /** The media type of the uploaded file, from its declared type or its name's extension. */
    public String mediaType() {
        if (filetype != null && filetype.matches("(video|application)/[a-z0-9.+-]{1,80}")) {
            return filetype;
        }
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "mp4", "m4v" -> "video/mp4";
            case "mov" -> "video/quicktime";
            case "mkv" -> "video/x-matroska";
            case "webm" -> "video/webm";
            case "mxf" -> "application/mxf";
            case "ts" -> "video/mp2t";
            default -> "application/octet-stream";
        };
    }

    /** Without the patient fields, for logs. */
    @Override
    public String toString() {
        return "UploadMetadata[sha256=" + sha256 + ", hospital=" + hospital + ", startedAt=" + startedAt + "]";
    }
}
