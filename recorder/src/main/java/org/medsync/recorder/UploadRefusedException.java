package org.medsync.recorder;

/**
 * The archive refused an upload for good (a wrong credential, a revoked device, bad metadata, a whole-file SHA-256
 * that does not match): retrying the same request cannot succeed. {@code status} and {@code error} are the server's
 * (docs/archive-api.md, "Errors"); the message includes the server's own message.
 */
public final class UploadRefusedException extends Exception {
    private final int status;
    private final String error;

    public UploadRefusedException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** The server's error code (e.g. {@code file-sha256-mismatch}, {@code device-revoked}), or null if it sent none. */
    public String error() {
        return error;
    }
}
