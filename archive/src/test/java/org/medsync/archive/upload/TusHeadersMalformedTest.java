package org.medsync.archive.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.archive.upload.UploadException.Reason;

/** Each malformed tus header maps to exactly one reason, and that reason to the status the tus spec gives it. */
class TusHeadersMalformedTest {
    private static final long MAX = 1000;

    private interface Parse {
        void run() throws UploadException;
    }

    private static Arguments row(String name, Parse parse, Reason reason, int status) {
        return Arguments.of(name, parse, reason, status);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("no Tus-Resumable", () -> TusHeaders.requireVersion(null), Reason.TUS_RESUMABLE_MISSING, 412),
                row(
                        "Tus-Resumable 0.2.2",
                        () -> TusHeaders.requireVersion("0.2.2"),
                        Reason.UNSUPPORTED_TUS_VERSION,
                        412),
                row("Tus-Resumable 1.0", () -> TusHeaders.requireVersion("1.0"), Reason.UNSUPPORTED_TUS_VERSION, 412),
                row("Tus-Resumable empty", () -> TusHeaders.requireVersion(""), Reason.UNSUPPORTED_TUS_VERSION, 412),
                row(
                        "no Upload-Length",
                        () -> TusHeaders.uploadLength(null, null, MAX),
                        Reason.UPLOAD_LENGTH_MISSING,
                        400),
                row("Upload-Defer-Length", () -> TusHeaders.uploadLength(null, "1", MAX), Reason.DEFERRED_LENGTH, 400),
                row("Upload-Length -1", () -> TusHeaders.uploadLength("-1", null, MAX), Reason.BAD_UPLOAD_LENGTH, 400),
                row("Upload-Length +5", () -> TusHeaders.uploadLength("+5", null, MAX), Reason.BAD_UPLOAD_LENGTH, 400),
                row(
                        "Upload-Length 1e3",
                        () -> TusHeaders.uploadLength("1e3", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length 0x10",
                        () -> TusHeaders.uploadLength("0x10", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length 1 2",
                        () -> TusHeaders.uploadLength("1 2", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length empty",
                        () -> TusHeaders.uploadLength(" ", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length in Arabic-Indic digits",
                        () -> TusHeaders.uploadLength("\u0661\u0662", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length past a long",
                        () -> TusHeaders.uploadLength("99999999999999999999", null, MAX),
                        Reason.BAD_UPLOAD_LENGTH,
                        400),
                row(
                        "Upload-Length over the limit",
                        () -> TusHeaders.uploadLength("1001", null, MAX),
                        Reason.TOO_LARGE,
                        413),
                row("no Upload-Offset", () -> TusHeaders.uploadOffset(null), Reason.UPLOAD_OFFSET_MISSING, 400),
                row("Upload-Offset -5", () -> TusHeaders.uploadOffset("-5"), Reason.BAD_UPLOAD_OFFSET, 400),
                row("Upload-Offset abc", () -> TusHeaders.uploadOffset("abc"), Reason.BAD_UPLOAD_OFFSET, 400),
                row("Upload-Offset 1.5", () -> TusHeaders.uploadOffset("1.5"), Reason.BAD_UPLOAD_OFFSET, 400),
                row("no Content-Type", () -> TusHeaders.requireOffsetOctetStream(null), Reason.BAD_CONTENT_TYPE, 415),
                row(
                        "Content-Type octet-stream",
                        () -> TusHeaders.requireOffsetOctetStream("application/octet-stream"),
                        Reason.BAD_CONTENT_TYPE,
                        415),
                row(
                        "Content-Type multipart",
                        () -> TusHeaders.requireOffsetOctetStream("multipart/form-data; boundary=x"),
                        Reason.BAD_CONTENT_TYPE,
                        415),
                row(
                        "Upload-Checksum without digest",
                        () -> TusHeaders.uploadChecksum("sha256"),
                        Reason.BAD_CHECKSUM_HEADER,
                        400),
                row(
                        "Upload-Checksum two spaces",
                        () -> TusHeaders.uploadChecksum("sha256  " + b64(32)),
                        Reason.BAD_CHECKSUM_HEADER,
                        400),
                row(
                        "Upload-Checksum md5",
                        () -> TusHeaders.uploadChecksum("md5 1B2M2Y8AsgTpgAmY7PhCfg=="),
                        Reason.UNSUPPORTED_CHECKSUM_ALGORITHM,
                        400),
                row(
                        "Upload-Checksum SHA256 upper case",
                        () -> TusHeaders.uploadChecksum("SHA256 " + b64(32)),
                        Reason.UNSUPPORTED_CHECKSUM_ALGORITHM,
                        400),
                row(
                        "Upload-Checksum not Base64",
                        () -> TusHeaders.uploadChecksum("sha256 !!!!"),
                        Reason.BAD_CHECKSUM_HEADER,
                        400),
                row(
                        "Upload-Checksum 31 bytes",
                        () -> TusHeaders.uploadChecksum("sha256 " + b64(31)),
                        Reason.BAD_CHECKSUM_HEADER,
                        400),
                row(
                        "Upload-Checksum hex",
                        () -> TusHeaders.uploadChecksum("sha256 " + "ab".repeat(32)),
                        Reason.BAD_CHECKSUM_HEADER,
                        400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void malformed_mapsToReasonAndStatus(String name, Parse parse, Reason reason, int status) {
        UploadException e = assertThrows(UploadException.class, parse::run, name);
        assertEquals(reason, e.reason(), name);
        assertEquals(status, e.reason().status(), name);
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void wellFormed_headersParse() throws Exception {
        TusHeaders.requireVersion("1.0.0");
        assertEquals(0, TusHeaders.uploadLength("0", null, MAX));
        assertEquals(1000, TusHeaders.uploadLength(" 1000 ", null, MAX));
        assertEquals(123456789012345678L, TusHeaders.uploadOffset("123456789012345678"));
        TusHeaders.requireOffsetOctetStream("Application/Offset+Octet-Stream; charset=binary");
        assertNull(TusHeaders.uploadChecksum(null));
        byte[] digest = new byte[32];
        digest[0] = 7;
        assertArrayEquals(
                digest,
                TusHeaders.uploadChecksum("sha256 " + Base64.getEncoder().encodeToString(digest)));
    }

    @Test
    void messages_quoteAtMostAShortPrintableExcerpt() {
        UploadException e = assertThrows(
                UploadException.class, () -> TusHeaders.requireVersion("\u0000evil\r\n" + "x".repeat(500)));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertTrue(!e.getMessage().contains("\r") && !e.getMessage().contains("\u0000"), e.getMessage());
    }

    private static String b64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }
}
