package org.medsync.archive.upload;

import java.util.Base64;
import java.util.Locale;
import org.medsync.archive.upload.UploadException.Reason;

/**
 * The tus 1.0.0 request headers this server reads, each parsed strictly: a value that is not exactly what the
 * protocol allows is refused with its own reason rather than read leniently, so a broken recorder learns at once what
 * it sends wrong. Values are as received (null: header absent).
 */
public final class TusHeaders {
    public static final String VERSION = "1.0.0";
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    /** Digits of the largest offset or length we take (Long.MAX_VALUE has 19). */
    private static final int MAX_DIGITS = 18;

    private TusHeaders() {}

    /** Every request but OPTIONS carries {@code Tus-Resumable: 1.0.0}. */
    public static void requireVersion(String tusResumable) throws UploadException {
        if (tusResumable == null) {
            throw new UploadException(
                    Reason.TUS_RESUMABLE_MISSING, "a tus request needs the header Tus-Resumable: " + VERSION);
        }
        if (!tusResumable.trim().equals(VERSION)) {
            throw new UploadException(
                    Reason.UNSUPPORTED_TUS_VERSION,
                    "Tus-Resumable " + printable(tusResumable) + " is not supported; this server speaks " + VERSION);
        }
    }

    /** Upload-Length of a POST, at most {@code max}. */
    public static long uploadLength(String value, String deferLength, long max) throws UploadException {
        if (value == null) {
            if (deferLength != null) {
                throw new UploadException(
                        Reason.DEFERRED_LENGTH,
                        "Upload-Defer-Length is not supported: send Upload-Length, the file's size in bytes");
            }
            throw new UploadException(
                    Reason.UPLOAD_LENGTH_MISSING, "a new upload needs Upload-Length, the file's size in bytes");
        }
        long length = number(value);
        if (length < 0) {
            throw new UploadException(
                    Reason.BAD_UPLOAD_LENGTH,
                    "Upload-Length " + printable(value) + " is not a whole number of bytes (0-9 only)");
        }
        if (length > max) {
            throw new UploadException(
                    Reason.TOO_LARGE, "Upload-Length " + length + " is more than this server's limit of " + max);
        }
        return length;
    }

    /** Upload-Offset of a PATCH. */
    public static long uploadOffset(String value) throws UploadException {
        if (value == null) {
            throw new UploadException(
                    Reason.UPLOAD_OFFSET_MISSING, "a PATCH needs Upload-Offset, where its bytes go (HEAD tells it)");
        }
        long offset = number(value);
        if (offset < 0) {
            throw new UploadException(
                    Reason.BAD_UPLOAD_OFFSET,
                    "Upload-Offset " + printable(value) + " is not a whole number of bytes (0-9 only)");
        }
        return offset;
    }

    /** A PATCH body is {@code application/offset+octet-stream} (parameters after ';' are allowed and ignored). */
    public static void requireOffsetOctetStream(String contentType) throws UploadException {
        String type =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(OFFSET_OCTET_STREAM)) {
            throw new UploadException(
                    Reason.BAD_CONTENT_TYPE,
                    "a PATCH body must be Content-Type: " + OFFSET_OCTET_STREAM + ", not "
                            + (contentType == null ? "none" : printable(contentType)));
        }
    }

    /**
     * The SHA-256 a PATCH body declares in {@code Upload-Checksum: sha256 <base64 of the 32-byte digest>}, or null
     * when the header is absent.
     */
    public static byte[] uploadChecksum(String value) throws UploadException {
        if (value == null) {
            return null;
        }
        String[] parts = value.trim().split(" ", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new UploadException(
                    Reason.BAD_CHECKSUM_HEADER,
                    "Upload-Checksum is '<algorithm> <base64 digest>' with one space, e.g. 'sha256 47DEQpj8...='");
        }
        if (!parts[0].equals("sha256")) {
            throw new UploadException(
                    Reason.UNSUPPORTED_CHECKSUM_ALGORITHM,
                    "Upload-Checksum algorithm " + printable(parts[0]) + " is not supported; use sha256");
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new UploadException(Reason.BAD_CHECKSUM_HEADER, "the Upload-Checksum digest is not Base64");
        }
        if (digest.length != 32) {
            throw new UploadException(
                    Reason.BAD_CHECKSUM_HEADER,
                    "a sha256 Upload-Checksum is 32 bytes in Base64, not " + digest.length + " bytes");
        }
        return digest;
    }

    /** A whole number of at most 18 ASCII digits, or -1 (no sign, no spaces inside, no hex, no exponent). */
    private static long number(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_DIGITS) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    /** A header value fit to quote in a message: printable ASCII, at most 40 characters. */
    static String printable(String value) {
        StringBuilder b = new StringBuilder("'");
        value.codePoints().limit(40).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.append(value.length() > 40 ? "...'" : "'").toString();
    }
}
