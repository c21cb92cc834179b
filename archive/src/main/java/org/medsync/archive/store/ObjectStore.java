package org.medsync.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the archive's bytes live, by the SHA-256 of their content (lower-case hex): the same bytes are stored once,
 * and a name proves what it names. Implementations: a directory (embedded default) and S3-compatible
 * object storage. Objects are immutable: a put of an existing key keeps the stored copy.
 *
 * <p>Later layers wrap a store (encryption at rest, copies in two locations) without the callers changing.
 */
public interface ObjectStore extends AutoCloseable {
    /**
     * Stores a file under the SHA-256 of its content and returns that key. Safe to repeat; a crash part-way leaves
     * no object under the key (writes go to a temporary name first, or are a single atomic S3 put).
     */
    StoredObject put(Path file) throws IOException;

    /**
     * Like {@link #put(Path)}, and where the store can lock objects (S3 Object Lock), locks the object against
     * deletion and overwriting until {@code retainUntil} (null: no lock). A store that cannot lock stores it plainly:
     * the archive's own deletion path enforces retention on its own (docs/archive-evidence.md).
     */
    default StoredObject put(Path file, Instant retainUntil) throws IOException {
        return put(file);
    }

    /**
     * Stores a file whose SHA-256 and size the caller computed while writing it (an upload sealed as it arrived), so
     * the store need not read it to hash it again. With {@code move} the store may take the file itself (a directory
     * store on the same file system renames it into place); otherwise, or where it cannot, the file is left where it
     * is and its bytes are streamed once. Default: an ordinary put, its key compared with {@code known}.
     *
     * @throws IOException when the bytes are not what {@code known} says (the stored copy is not kept)
     */
    default StoredObject putKnown(Path file, StoredObject known, Instant retainUntil, boolean move) throws IOException {
        StoredObject stored = put(file, retainUntil);
        if (!stored.equals(known)) {
            delete(stored.sha256());
            throw new IOException(file + " holds " + stored + ", not the " + known + " its writer computed");
        }
        return stored;
    }

    /**
     * Extends the lock of a stored object to {@code retainUntil} where the store locks objects; never shortens one.
     * Default: nothing (a store that cannot lock).
     */
    default void retain(String sha256, Instant retainUntil) throws IOException {}

    /** Whether {@link #put(Path, Instant)} and {@link #retain} lock objects in this store. */
    default boolean locksObjects() {
        return false;
    }

    /** Size of an object, or empty if there is none under the key. */
    Optional<Long> size(String sha256) throws IOException;

    /**
     * The bytes {@code [offset, offset + length)} of an object ({@code length} -1: to the end), for ranged playback.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such object
     */
    InputStream open(String sha256, long offset, long length) throws IOException;

    /** Removes an object; no error if it is absent. Only the archive's deletion path may call this. */
    void delete(String sha256) throws IOException;

    /** A short description for logs and the health page, without secrets (e.g. "s3://bucket at host"). */
    String describe();

    @Override
    void close() throws IOException;

    /** An object as stored: its key (the SHA-256 of its content) and size. */
    record StoredObject(String sha256, long size) {}
}
