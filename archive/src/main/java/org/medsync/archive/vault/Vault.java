package org.medsync.archive.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.ObjectStore.StoredObject;

/**
 * The archive's objects as every caller sees them: content by the SHA-256 of that content, whoever stores it and
 * however it rests. Beneath, each object is one blob in the {@link ObjectStore} (named by the SHA-256 of the blob's
 * own bytes, so a copy is checkable without keys); table archive_blob maps an object to its blob. The vault is the
 * one place that decides how an object rests (docs/archive-evidence.md): callers never touch the store's blobs.
 */
public final class Vault implements AutoCloseable {
    private final DataSource db;
    private final ObjectStore store;

    public Vault(DataSource db, ObjectStore store) {
        this.db = db;
        this.store = store;
    }

    /**
     * Stores a file for a hospital and returns its key (the SHA-256 of the file) and size. Safe to repeat: content
     * already stored is not stored again.
     */
    public StoredObject put(Path file, String hospitalId) throws IOException {
        StoredObject blob = store.put(file);
        try {
            record(blob.sha256(), blob.size(), blob.sha256(), blob.size(), "none");
        } catch (SQLException e) {
            throw new IOException("the archive's index could not record object " + blob.sha256(), e);
        }
        return blob;
    }

    /**
     * Like {@link #put(Path, String)}, locked in the store until {@code retainUntil} where the store can lock objects
     * (the retention end known at ingest; retention package).
     */
    public StoredObject put(Path file, String hospitalId, Instant retainUntil) throws IOException {
        StoredObject blob = store.put(file, retainUntil);
        try {
            record(blob.sha256(), blob.size(), blob.sha256(), blob.size(), "none");
        } catch (SQLException e) {
            throw new IOException("the archive's index could not record object " + blob.sha256(), e);
        }
        return blob;
    }

    /** Extends the store's lock on an object's blob to {@code retainUntil} (no-op where the store does not lock). */
    public void retain(String sha256, Instant retainUntil) throws IOException {
        Optional<Entry> e = find(sha256);
        if (e.isPresent()) {
            store.retain(e.get().blob(), retainUntil);
        }
    }

    /** Whether the store beneath locks objects until their retention end (S3 Object Lock). */
    public boolean locksObjects() {
        return store.locksObjects();
    }

    /** Size of an object's content, or empty if there is no such object. */
    public Optional<Long> size(String sha256) throws IOException {
        return find(sha256).map(Entry::size);
    }

    /**
     * The content bytes {@code [offset, offset + length)} of an object ({@code length} -1: to the end).
     *
     * @throws NoSuchFileException when there is no such object
     */
    public InputStream open(String sha256, long offset, long length) throws IOException {
        Entry e = find(sha256).orElseThrow(() -> new NoSuchFileException("no object " + sha256 + " in the archive"));
        return store.open(e.blob(), offset, length);
    }

    /** Removes an object and its blob; no error if it is absent. Only the archive's deletion path may call this. */
    public void delete(String sha256) throws IOException {
        Optional<Entry> e = find(sha256);
        if (e.isEmpty()) {
            return;
        }
        store.delete(e.get().blob());
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from archive_blob where sha256 = ?")) {
            s.setString(1, sha256);
            s.executeUpdate();
        } catch (SQLException ex) {
            throw new IOException("the archive's index could not forget object " + sha256, ex);
        }
    }

    /** The object store beneath, for the jobs that check and repair blobs (fixity); never for content. */
    public ObjectStore store() {
        return store;
    }

    /** For logs and the health page, without secrets. */
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    /** How one object rests: its content size, its blob's name and size, and the cipher of the blob. */
    public record Entry(String sha256, long size, String blob, long blobSize, String cipher) {}

    /** How an object rests, or empty if the archive has no such object. */
    public Optional<Entry> find(String sha256) throws IOException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select size, blob, blob_size, cipher from archive_blob where sha256 = ?")) {
            s.setString(1, sha256);
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new Entry(sha256, r.getLong(1), r.getString(2), r.getLong(3), r.getString(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("the archive's index could not be read for object " + sha256, e);
        }
    }

    private void record(String sha256, long size, String blob, long blobSize, String cipher) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_blob (sha256, size, blob, blob_size,"
                        + " cipher) values (?, ?, ?, ?, ?) on conflict (sha256) do nothing")) {
            s.setString(1, sha256);
            s.setLong(2, size);
            s.setString(3, blob);
            s.setLong(4, blobSize);
            s.setString(5, cipher);
            s.executeUpdate();
        }
    }
}
