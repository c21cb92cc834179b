package org.medsync.archive.upload;

import java.util.Locale;
import java.util.Objects;

/**
 * A refused tus request: the reason (its code goes on the wire in the JSON error, docs/archive-api.md) and the HTTP
 * status it answers. Messages say what was wrong and what to send instead; they never repeat patient data.
 */
public final class UploadException extends Exception {
    public enum Reason {
        /** The request has no Tus-Resumable header: it is not a tus request (412). */
        TUS_RESUMABLE_MISSING,
        /** Tus-Resumable names a protocol version this server does not speak; only 1.0.0 (412). */
        UNSUPPORTED_TUS_VERSION,
        /** A PATCH body must be application/offset+octet-stream (415). */
        BAD_CONTENT_TYPE,
        /** A POST must say how long the upload is in Upload-Length (400). */
        UPLOAD_LENGTH_MISSING,
        /** Upload-Length is not a non-negative whole number (400). */
        BAD_UPLOAD_LENGTH,
        /** Upload-Defer-Length: the length must be known when the upload starts (400). */
        DEFERRED_LENGTH,
        /** The upload is longer than this server's archive.upload.max-bytes (413). */
        TOO_LARGE,
        /** A PATCH must say where its bytes go in Upload-Offset (400). */
        UPLOAD_OFFSET_MISSING,
        /** Upload-Offset is not a non-negative whole number (400). */
        BAD_UPLOAD_OFFSET,
        /** Upload-Offset is not where the upload stands: HEAD it and continue from its offset (409). */
        OFFSET_MISMATCH,
        /** The PATCH body runs past Upload-Length (413). */
        BODY_TOO_LONG,
        /** Upload-Checksum is not {@code <algorithm> <base64 digest>} (400). */
        BAD_CHECKSUM_HEADER,
        /** Upload-Checksum names an algorithm other than sha256 (400). */
        UNSUPPORTED_CHECKSUM_ALGORITHM,
        /** The PATCH body does not have the SHA-256 its Upload-Checksum declared; its bytes were dropped (460). */
        CHECKSUM_MISMATCH,
        /** Upload-Metadata is not comma-separated {@code key base64value} pairs, or is too long (400). */
        BAD_METADATA,
        /** A metadata value is not valid Base64 of UTF-8 text (400). */
        BAD_BASE64,
        /** A metadata key this server does not know; the message lists those it does (400). */
        UNKNOWN_METADATA_KEY,
        /** A metadata key appears twice (400). */
        DUPLICATE_METADATA_KEY,
        /** A required metadata key (sha256, startedAt; hospital for a user) is absent or empty (400). */
        METADATA_MISSING,
        /** A metadata value has the wrong form or length (400). */
        BAD_METADATA_VALUE,
        /** The metadata names a hospital that does not exist (400). */
        UNKNOWN_HOSPITAL,
        /** The uploader does not belong to the hospital the upload is for (403). */
        NOT_A_MEMBER,
        /** No such upload, or not one of the caller's (404). */
        NOT_FOUND,
        /** The upload expired (archive.upload.expiry after its last byte) and was discarded (410). */
        EXPIRED,
        /** The upload failed its whole-file check or was terminated and cannot continue (410). */
        GONE,
        /** Another PATCH of this upload is still being received (423); retry when it has ended. */
        LOCKED,
        /** The upload is complete and became a recording; it cannot be terminated (409). */
        ALREADY_COMPLETE,
        /**
         * The whole file's SHA-256 is not the one declared in the metadata: the upload was discarded (460). The
         * tus checksum status, so tus clients treat it as the data error it is.
         */
        FILE_SHA256_MISMATCH,
        /** The object store or the database failed while accepting the last byte; HEAD the upload to retry (503). */
        UNAVAILABLE;

        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The HTTP status of a refusal for this reason. */
        public int status() {
            return switch (this) {
                case TUS_RESUMABLE_MISSING, UNSUPPORTED_TUS_VERSION -> 412;
                case BAD_CONTENT_TYPE -> 415;
                case TOO_LARGE, BODY_TOO_LONG -> 413;
                case OFFSET_MISMATCH, ALREADY_COMPLETE -> 409;
                case CHECKSUM_MISMATCH, FILE_SHA256_MISMATCH -> 460;
                case NOT_A_MEMBER -> 403;
                case NOT_FOUND -> 404;
                case EXPIRED, GONE -> 410;
                case LOCKED -> 423;
                case UNAVAILABLE -> 503;
                default -> 400;
            };
        }
    }

    private final Reason reason;

    public UploadException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public UploadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
