package org.medsync.archive.vault;

import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * An object the vault is receiving as its bytes arrive (an upload), before it is stored: its declared content and,
 * when the vault encrypts, the data key its blob is sealed under from the first byte (kept wrapped by the hospital's
 * key in table archive_intake_key, so a restarted or another node continues the same blob). Made by
 * {@link Vault#intake}.
 */
public final class Intake {
    private final String id;
    private final String hospitalId;
    private final String sha256;
    private final long size;
    private final SecretKey dataKey;
    private final String keyId;
    private final byte[] wrapped;

    Intake(String id, String hospitalId, String sha256, long size, SecretKey dataKey, String keyId, byte[] wrapped) {
        this.id = Objects.requireNonNull(id, "id");
        this.hospitalId = Objects.requireNonNull(hospitalId, "hospitalId");
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.size = size;
        this.dataKey = dataKey;
        this.keyId = keyId;
        this.wrapped = wrapped;
    }

    /** The upload (or other intake) this object arrives through. */
    public String id() {
        return id;
    }

    public String hospitalId() {
        return hospitalId;
    }

    /** The content's SHA-256 as declared before the first byte (bound into every sealed chunk). */
    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }

    /** Whether the blob is sealed (encrypted at rest) rather than the content itself. */
    public boolean encrypted() {
        return dataKey != null;
    }

    SecretKey dataKey() {
        return dataKey;
    }

    String keyId() {
        return keyId;
    }

    byte[] wrapped() {
        return wrapped;
    }

    @Override
    public String toString() {
        return "intake " + id + " (" + size + " bytes" + (encrypted() ? ", sealed" : ", in the clear") + ")";
    }
}
