package org.medsync.archive.keys;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Where the archive's key-encryption keys live: one sequence of key versions per hospital, of which the newest
 * active one is current. The archive never sees a key-encryption key, only asks for a data key to be wrapped or
 * unwrapped, so an HSM (PKCS#11), HashiCorp Vault's transit engine or a cloud KMS can implement this interface with
 * the key never leaving it (docs/archive-evidence.md "Encryption at rest"). The embedded default is
 * {@link LocalKeyFile}.
 *
 * <p>Implementations are safe to call from several threads, and a key version a wrapped key names must stay able to
 * unwrap it until {@link #destroy} (the vault destroys a version only when no data key is wrapped by it any more).
 */
public interface KeyProvider extends AutoCloseable {
    /**
     * Wraps a data key (AES, 256 bits) for a hospital with the hospital's current key version, creating the first
     * version when the hospital has none.
     */
    WrappedKey wrap(String hospitalId, SecretKey dataKey) throws IOException;

    /**
     * The data key that {@link #wrap} wrapped with the named version.
     *
     * @throws IOException when the version is unknown or destroyed, or the wrapped bytes are not authentic for it
     */
    SecretKey unwrap(String hospitalId, String keyId, byte[] wrapped) throws IOException;

    /** Creates a new key version for a hospital and makes it current; returns its id. Older versions keep unwrapping. */
    String rotate(String hospitalId) throws IOException;

    /** A hospital's key versions, oldest first (empty when it has none yet). */
    List<KeyVersion> versions(String hospitalId) throws IOException;

    /**
     * Destroys a version that is no longer current: what it wrapped can no longer be unwrapped. The caller makes sure
     * nothing is wrapped by it any more.
     *
     * @throws IllegalArgumentException when the version is the hospital's current one or does not exist
     */
    void destroy(String hospitalId, String keyId) throws IOException;

    /** For logs and the health page, without secrets (e.g. "key file /var/lib/medsync/archive/keys/local.keys"). */
    String describe();

    @Override
    default void close() throws IOException {}

    /** A data key as wrapped by one key version of a hospital. */
    record WrappedKey(String keyId, byte[] wrapped) {}

    /** One key version: its id, when it was made, and whether it is the current one (new data keys are wrapped by it). */
    record KeyVersion(String keyId, Instant createdAt, boolean current) {}
}
