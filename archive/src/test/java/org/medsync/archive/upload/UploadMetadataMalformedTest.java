package org.medsync.archive.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.archive.upload.UploadException.Reason;

/** Each malformed Upload-Metadata header maps to exactly one reason; no message repeats a value. */
class UploadMetadataMalformedTest {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String VALID = "sha256 " + b64(SHA) + ",startedAt " + b64("2026-03-01T08:15:30Z");

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing", "", Reason.METADATA_MISSING),
                Arguments.of("no sha256", "startedAt " + b64("2026-03-01T08:15:30Z"), Reason.METADATA_MISSING),
                Arguments.of("no startedAt", "sha256 " + b64(SHA), Reason.METADATA_MISSING),
                Arguments.of(
                        "sha256 key without value",
                        "sha256,startedAt " + b64("2026-03-01T08:15:30Z"),
                        Reason.METADATA_MISSING),
                Arguments.of(
                        "sha256 of 63 digits",
                        VALID.replace(b64(SHA), b64(SHA.substring(1))),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "sha256 not hex",
                        VALID.replace(b64(SHA), b64("z" + SHA.substring(1))),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "startedAt without zone",
                        VALID.replace(b64("2026-03-01T08:15:30Z"), b64("2026-03-01T08:15:30")),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "startedAt a date only",
                        VALID.replace(b64("2026-03-01T08:15:30Z"), b64("2026-03-01")),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "startedAt month 13",
                        VALID.replace(b64("2026-03-01T08:15:30Z"), b64("2026-13-01T08:15:30Z")),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of("empty pair", VALID + ",,title " + b64("x"), Reason.BAD_METADATA),
                Arguments.of("trailing comma", VALID + ",", Reason.BAD_METADATA),
                Arguments.of("key with a colon", VALID + ",ti:tle " + b64("x"), Reason.BAD_METADATA),
                Arguments.of("two spaces", VALID + ",title  " + b64("x"), Reason.BAD_METADATA),
                Arguments.of("value with a space", VALID + ",title " + b64("x") + " " + b64("y"), Reason.BAD_METADATA),
                Arguments.of("header too long", VALID + ",title " + "A".repeat(9000), Reason.BAD_METADATA),
                Arguments.of("value not Base64", VALID + ",title %%%%", Reason.BAD_BASE64),
                Arguments.of("Base64url alphabet", VALID + ",title " + "-_-_", Reason.BAD_BASE64),
                Arguments.of("Base64 of a lone byte", VALID + ",title A", Reason.BAD_BASE64),
                Arguments.of(
                        "value not UTF-8",
                        VALID + ",title " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28}),
                        Reason.BAD_BASE64),
                Arguments.of("unknown key", VALID + ",colour " + b64("red"), Reason.UNKNOWN_METADATA_KEY),
                Arguments.of("key case matters", VALID + ",Title " + b64("x"), Reason.UNKNOWN_METADATA_KEY),
                Arguments.of(
                        "duplicate key",
                        VALID + ",title " + b64("a") + ",title " + b64("b"),
                        Reason.DUPLICATE_METADATA_KEY),
                Arguments.of("title too long", VALID + ",title " + b64("t".repeat(201)), Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "patient name too long",
                        VALID + ",patientName " + b64("n".repeat(201)),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of("control character", VALID + ",operator " + b64("Dr\nEvil"), Reason.BAD_METADATA_VALUE),
                Arguments.of("line separator", VALID + ",operator " + b64("Dr\u2028Evil"), Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "hospital id with capitals", VALID + ",hospital " + b64("North"), Reason.BAD_METADATA_VALUE),
                Arguments.of("study UID with a letter", VALID + ",studyUid " + b64("1.2.a"), Reason.BAD_METADATA_VALUE),
                Arguments.of("study UID leading zero", VALID + ",studyUid " + b64("1.02.3"), Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "study UID too long",
                        VALID + ",studyUid " + b64("1." + "2".repeat(70)),
                        Reason.BAD_METADATA_VALUE),
                Arguments.of(
                        "filename with a directory",
                        VALID + ",filename " + b64("../etc/passwd"),
                        Reason.BAD_METADATA_VALUE));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void malformed_mapsToReason(String name, String header, Reason reason) {
        UploadException e = assertThrows(UploadException.class, () -> UploadMetadata.fromHeader(header), name);
        assertEquals(reason, e.reason(), name + ": " + e.getMessage());
        assertEquals(400, e.reason().status());
        assertFalse(e.getMessage().contains("Evil") || e.getMessage().contains("nnnn"), e.getMessage());
    }

    @Test
    void everyKey_isRead_andSurvivesTheRoundTrip() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("filename", "chole.mp4");
        given.put("sha256", SHA.toUpperCase(java.util.Locale.ROOT));
        given.put("hospital", "st-mary");
        given.put("operatingRoom", "OR 4");
        given.put("operator", "Dr Grey");
        given.put("procedure", "Cholecystectomy");
        given.put("accession", "ACC-1");
        given.put("studyUid", "1.2.840.10008.1");
        given.put("patientId", "PID-7");
        given.put("patientName", "Doe^Jane Ünïcode");
        given.put("startedAt", "2026-03-01T09:15:30+01:00");
        given.put("title", "Chole");
        String header = given.entrySet().stream()
                .map(e -> e.getKey() + " " + b64(e.getValue()))
                .collect(Collectors.joining(", "));
        UploadMetadata m = UploadMetadata.fromHeader(header);
        assertEquals(SHA, m.sha256());
        assertEquals(Instant.parse("2026-03-01T08:15:30Z"), m.startedAt());
        assertEquals("Doe^Jane Ünïcode", m.patientName());
        assertEquals("video/mp4", m.mediaType());
        assertEquals(m, UploadMetadata.of(m.toMap()));
        assertFalse(m.toString().contains("Doe"), "patient data stays out of logs");
    }

    @Test
    void keyWithoutValue_isAbsent_andBlankValuesToo() throws Exception {
        UploadMetadata m = UploadMetadata.fromHeader(VALID + ",title,operator " + b64("   "));
        assertNull(m.title());
        assertNull(m.operator());
    }
}
