package org.medsync.archive.vault;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.medsync.archive.keys.KeyProvider;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.store.ObjectStore.StoredObject;
import org.medsync.library.files.PrivateFiles;

/**
 * The archive's objects as every caller sees them: content by the SHA-256 of that content, whoever stores it and
 * however it rests. Beneath, each object is one blob in the {@link ObjectStore} (named by the SHA-256 of the blob's
 * own bytes, so a copy is checkable without keys); table archive_blob maps an object to its blob. The vault is the
 * one place that decides how an object rests (docs/archive-evidence.md): callers never touch the store's blobs.
 *
 * <p>With a {@link KeyProvider}, every new object rests encrypted ({@link EncryptedBlob}) under a data key of its own,
 * kept only wrapped by each storing hospital's key (table archive_key). Objects stored in the clear before stay
 * readable.
 */
public final class Vault implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource db;
    private final ObjectStore store;
    private final KeyProvider keys;
    private final Path scratch;

    /** A vault that stores in the clear: for tests of the layers above that are not about how objects rest. */
    public Vault(DataSource db, ObjectStore store) {
        this.db = db;
        this.store = store;
        this.keys = null;
        this.scratch = null;
    }

    /**
     * A vault that encrypts every new object.
     *
     * @param scratch where a blob is sealed before it goes to the store (it holds ciphertext only)
     */
    public Vault(DataSource db, ObjectStore store, KeyProvider keys, Path scratch) throws IOException {
        this.db = db;
        this.store = store;
        this.keys = keys;
        this.scratch = PrivateFiles.directories(scratch);
    }

    /**
     * Stores a file for a hospital and returns its key (the SHA-256 of the file) and size. Safe to repeat: content
     * already stored is not stored again, only its data key wrapped for this hospital too.
     */
    public StoredObject put(Path file, String hospitalId) throws IOException {
        return put(file, hospitalId, null);
    }

    /**
     * Like {@link #put(Path, String)}, locked in the store until {@code retainUntil} where the store can lock objects
     * (the retention end known at ingest; retention package; null: no lock). Content already stored has its lock
     * extended instead.
     */
    public StoredObject put(Path file, String hospitalId, Instant retainUntil) throws IOException {
        byte[] sha;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest hash = EncryptedBlob.sha256();
            byte[] buffer = new byte[1 << 16];
            size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                hash.update(buffer, 0, n);
                size += n;
            }
            sha = hash.digest();
        }
        String sha256 = HexFormat.of().formatHex(sha);
        StoredObject object = new StoredObject(sha256, size);
        Optional<Entry> existing = find(sha256);
        if (existing.isPresent()) {
            shareKey(existing.get(), hospitalId);
            if (retainUntil != null) {
                store.retain(existing.get().blob(), retainUntil);
            }
            return object;
        }
        if (keys == null) {
            StoredObject blob = storeBlob(file, retainUntil);
            insert(new Entry(sha256, size, blob.sha256(), blob.size(), "none"), null, null);
            return object;
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        SecretKey dataKey = new SecretKeySpec(raw, "AES");
        KeyProvider.WrappedKey wrapped = keys.wrap(hospitalId, dataKey);
        StoredObject blob;
        try (InputStream in = Files.newInputStream(file)) {
            blob = seal(in, size, sha, dataKey, sha256, retainUntil);
        }
        if (!insert(new Entry(sha256, size, blob.sha256(), blob.size(), EncryptedBlob.CIPHER), hospitalId, wrapped)) {
            // Another node stored the same content in the meantime: its blob and data key win, ours goes.
            store.delete(blob.sha256());
            shareKey(find(sha256).orElseThrow(), hospitalId);
        }
        return object;
    }

    /**
     * Begins (or, with the same id, continues) an object whose bytes will arrive later, declared by its SHA-256 and
     * size: when the vault encrypts, its data key is made now and kept wrapped by the hospital's key, so the blob can
     * be sealed from the first byte ({@link StagedBlob}) and continued after a restart or on another node.
     */
    public Intake intake(String id, String hospitalId, String sha256, long size) throws IOException {
        try (Connection c = db.getConnection()) {
            Optional<Intake> found = findIntake(c, id);
            if (found.isPresent()) {
                return found.get();
            }
            KeyProvider.WrappedKey w = null;
            if (keys != null) {
                byte[] raw = new byte[32];
                RANDOM.nextBytes(raw);
                w = keys.wrap(hospitalId, new SecretKeySpec(raw, "AES"));
            }
            try (PreparedStatement s = c.prepareStatement("insert into archive_intake_key (id, hospital_id, sha256,"
                    + " size, key_id, wrapped) values (?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
                s.setString(1, id);
                s.setString(2, hospitalId);
                s.setString(3, sha256);
                s.setLong(4, size);
                s.setString(5, w == null ? null : w.keyId());
                s.setBytes(6, w == null ? null : w.wrapped());
                s.executeUpdate();
            }
            // Another node may have begun the same intake at the same moment: its key wins, as the row says.
            return findIntake(c, id).orElseThrow();
        } catch (SQLException e) {
            throw new IOException("the archive's index could not record the data key of intake " + id, e);
        }
    }

    private Optional<Intake> findIntake(Connection c, String id) throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement(
                "select hospital_id, sha256, size, key_id, wrapped from archive_intake_key where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String hospitalId = r.getString(1);
                String keyId = r.getString(4);
                byte[] wrapped = r.getBytes(5);
                SecretKey dataKey = keyId == null ? null : provider().unwrap(hospitalId, keyId, wrapped);
                return Optional.of(new Intake(id, hospitalId, r.getString(2), r.getLong(3), dataKey, keyId, wrapped));
            }
        }
    }

    /** Forgets an intake: done (its object stored and indexed), or never to be (refused, terminated, expired). */
    public void forget(String intakeId) throws IOException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from archive_intake_key where id = ?")) {
            s.setString(1, intakeId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("the archive's index could not forget intake " + intakeId, e);
        }
    }

    /**
     * Stores a finished staged blob: the store takes the file itself (a rename where it can) and trusts the SHA-256
     * computed while it was written; the object is indexed with the intake's data key. Content already stored is not
     * stored again (the staged file is deleted, the data key of the stored copy shared with the hospital).
     *
     * @throws IOException when the blob's content is not what the intake declared (the caller checks first)
     */
    public StoredObject adopt(Intake intake, StagedBlob.Sealed sealed, Path file, Instant retainUntil)
            throws IOException {
        if (!sealed.sha256().equals(intake.sha256()) || sealed.size() != intake.size()) {
            throw new IOException("intake " + intake.id() + " holds content " + sealed.sha256() + " (" + sealed.size()
                    + " bytes), not the declared " + intake.sha256());
        }
        StoredObject object = new StoredObject(intake.sha256(), intake.size());
        Optional<Entry> existing = find(intake.sha256());
        if (existing.isPresent()) {
            markStored(
                    intake,
                    new StoredObject(existing.get().blob(), existing.get().blobSize()));
            alreadyStored(existing.get(), intake, retainUntil);
            Files.deleteIfExists(file);
            return object;
        }
        StoredObject blob = new StoredObject(sealed.blob(), sealed.blobSize());
        markStored(intake, blob);
        StoredObject stored = store.putKnown(file, blob, retainUntil, true);
        if (!stored.equals(blob)) {
            throw new IOException("the store kept " + stored + " for intake " + intake.id() + ", not " + blob);
        }
        index(intake, blob, retainUntil);
        return object;
    }

    /**
     * Records, before the staged file goes, that this intake's content is in the store as {@code blob}: only then may
     * {@link #adoptStored} finish the intake without its file (an uploader naming content it does not have must never
     * get it).
     */
    private void markStored(Intake intake, StoredObject blob) throws IOException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("update archive_intake_key set blob = ?, blob_size = ? where id = ?")) {
            s.setString(1, blob.sha256());
            s.setLong(2, blob.size());
            s.setString(3, intake.id());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("the archive's index could not record the blob of intake " + intake.id(), e);
        }
    }

    /**
     * Finishes an intake whose staged file is gone because a node moved it into the store (or found its content
     * stored) and stopped before the upload was done: empty when this intake stored nothing, and its bytes must come
     * again.
     */
    public Optional<StoredObject> adoptStored(Intake intake) throws IOException {
        StoredObject blob = null;
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select blob, blob_size from archive_intake_key where id = ?")) {
            s.setString(1, intake.id());
            try (ResultSet r = s.executeQuery()) {
                if (r.next() && r.getString(1) != null) {
                    blob = new StoredObject(r.getString(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IOException("the archive's index could not read intake " + intake.id(), e);
        }
        if (blob == null) {
            return Optional.empty();
        }
        StoredObject object = new StoredObject(intake.sha256(), intake.size());
        Optional<Entry> existing = find(intake.sha256());
        if (existing.isPresent()) {
            alreadyStored(existing.get(), intake, null);
            return Optional.of(object);
        }
        if (!store.size(blob.sha256()).equals(Optional.of(blob.size()))) {
            return Optional.empty();
        }
        index(intake, blob, null);
        return Optional.of(object);
    }

    private void alreadyStored(Entry e, Intake intake, Instant retainUntil) throws IOException {
        shareKey(e, intake.hospitalId());
        if (retainUntil != null) {
            store.retain(e.blob(), retainUntil);
        }
    }

    private void index(Intake intake, StoredObject blob, Instant retainUntil) throws IOException {
        boolean inserted = intake.encrypted()
                ? insert(
                        new Entry(intake.sha256(), intake.size(), blob.sha256(), blob.size(), EncryptedBlob.CIPHER),
                        intake.hospitalId(),
                        new KeyProvider.WrappedKey(intake.keyId(), intake.wrapped()))
                : insert(new Entry(intake.sha256(), intake.size(), blob.sha256(), blob.size(), "none"), null, null);
        if (!inserted) {
            // Another node stored the same content in the meantime: its blob and data key win, ours goes.
            Entry winner = find(intake.sha256()).orElseThrow();
            if (!winner.blob().equals(blob.sha256())) {
                store.delete(blob.sha256());
            }
            alreadyStored(winner, intake, retainUntil);
        }
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
     * The content bytes {@code [offset, offset + length)} of an object ({@code length} -1: to the end). Of an
     * encrypted object only the chunks covering the range are read and decrypted.
     *
     * @throws NoSuchFileException when there is no such object
     * @throws IOException naming the object when its blob fails authentication (never bytes that are not its content)
     */
    public InputStream open(String sha256, long offset, long length) throws IOException {
        Entry e = find(sha256).orElseThrow(() -> new NoSuchFileException("no object " + sha256 + " in the archive"));
        if (e.cipher().equals("none")) {
            return store.open(e.blob(), offset, length);
        }
        if (!e.cipher().equals(EncryptedBlob.CIPHER)) {
            throw new IOException("object " + sha256 + " rests under cipher '" + e.cipher() + "', unknown here");
        }
        SecretKey dataKey = dataKey(sha256);
        EncryptedBlob.Header h;
        try (InputStream in = store.open(e.blob(), 0, EncryptedBlob.HEADER)) {
            h = EncryptedBlob.header(in.readNBytes(EncryptedBlob.HEADER), sha256);
        }
        if (h.size() != e.size()) {
            throw new IOException("object " + sha256 + ": its blob says " + h.size() + " bytes, the index " + e.size()
                    + " (a blob of another object?)");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("a negative offset: " + offset);
        }
        long end = length < 0 ? e.size() : Math.min(e.size(), offset + length);
        byte[] sha = HexFormat.of().parseHex(sha256);
        if (offset >= end) {
            return InputStream.nullInputStream();
        }
        long first = offset / h.chunkSize();
        long last = (end - 1) / h.chunkSize();
        long from = h.chunkOffset(first);
        InputStream chunks = store.open(e.blob(), from, h.chunkOffset(last + 1) - from);
        return EncryptedBlob.decrypt(h, sha, dataKey, chunks, offset, end - offset, sha256);
    }

    /** Removes an object, its blob and its data keys; no error if it is absent. Only the deletion path calls this. */
    public void delete(String sha256) throws IOException {
        Optional<Entry> e = find(sha256);
        if (e.isEmpty()) {
            return;
        }
        store.delete(e.get().blob());
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from archive_blob where sha256 = ?")) {
            s.setString(1, sha256);
            s.executeUpdate(); // archive_key's rows go with it (on delete cascade)
        } catch (SQLException ex) {
            throw new IOException("the archive's index could not forget object " + sha256, ex);
        }
    }

    /** What a rotation did: the hospital's new key version and how many data keys it re-wrapped. */
    public record Rotation(String hospitalId, String keyId, int rewrapped) {}

    /**
     * Makes a new key version for a hospital and re-wraps every data key of the hospital with it. No blob is read or
     * written: only archive_key's rows change. Safe to repeat after a crash part-way (what is left is re-wrapped).
     */
    public Rotation rotate(String hospitalId) throws IOException {
        KeyProvider k = provider();
        String keyId = k.rotate(hospitalId);
        int n = 0;
        try (Connection c = db.getConnection()) {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "select sha256, key_id, wrapped from archive_key where" + " hospital_id = ? and key_id <> ?")) {
                s.setString(1, hospitalId);
                s.setString(2, keyId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Object[] {r.getString(1), r.getString(2), r.getBytes(3)});
                    }
                }
            }
            try (PreparedStatement u = c.prepareStatement("update archive_key set key_id = ?, wrapped = ? where"
                    + " sha256 = ? and hospital_id = ? and key_id = ?")) {
                for (Object[] row : rows) {
                    SecretKey dataKey = k.unwrap(hospitalId, (String) row[1], (byte[]) row[2]);
                    KeyProvider.WrappedKey w = k.wrap(hospitalId, dataKey);
                    u.setString(1, w.keyId());
                    u.setBytes(2, w.wrapped());
                    u.setString(3, (String) row[0]);
                    u.setString(4, hospitalId);
                    u.setString(5, (String) row[1]);
                    n += u.executeUpdate();
                }
            }
            n += rewrapIntakes(c, k, hospitalId, keyId);
        } catch (SQLException e) {
            throw new IOException("the data keys of hospital " + hospitalId + " could not be re-wrapped", e);
        }
        return new Rotation(hospitalId, keyId, n);
    }

    /** The data keys of uploads in progress are re-wrapped too: an old version must not be needed to finish them. */
    private static int rewrapIntakes(Connection c, KeyProvider k, String hospitalId, String keyId)
            throws SQLException, IOException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select id, key_id, wrapped from archive_intake_key where hospital_id = ? and key_id <> ?")) {
            s.setString(1, hospitalId);
            s.setString(2, keyId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Object[] {r.getString(1), r.getString(2), r.getBytes(3)});
                }
            }
        }
        int n = 0;
        try (PreparedStatement u = c.prepareStatement(
                "update archive_intake_key set key_id = ?, wrapped = ? where id = ? and key_id = ?")) {
            for (Object[] row : rows) {
                KeyProvider.WrappedKey w = k.wrap(hospitalId, k.unwrap(hospitalId, (String) row[1], (byte[]) row[2]));
                u.setString(1, w.keyId());
                u.setBytes(2, w.wrapped());
                u.setString(3, (String) row[0]);
                u.setString(4, (String) row[1]);
                n += u.executeUpdate();
            }
        }
        return n;
    }

    /** A key version of a hospital and how many data keys it still wraps. */
    public record KeyUse(KeyProvider.KeyVersion version, long dataKeys) {}

    /** A hospital's key versions, oldest first, each with the number of data keys it wraps. */
    public List<KeyUse> keyVersions(String hospitalId) throws IOException {
        List<KeyUse> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select (select count(*) from archive_key where hospital_id = ? and key_id"
                                + " = ?) + (select count(*) from archive_intake_key where hospital_id = ? and key_id = ?)")) {
            for (KeyProvider.KeyVersion v : provider().versions(hospitalId)) {
                s.setString(1, hospitalId);
                s.setString(2, v.keyId());
                s.setString(3, hospitalId);
                s.setString(4, v.keyId());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    out.add(new KeyUse(v, r.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new IOException("the data keys of hospital " + hospitalId + " could not be counted", e);
        }
        return out;
    }

    /**
     * Destroys an old key version of a hospital once no data key is wrapped by it any more.
     *
     * @throws IllegalStateException when data keys are still wrapped by it (rotate first)
     */
    public void retire(String hospitalId, String keyId) throws IOException {
        for (KeyUse u : keyVersions(hospitalId)) {
            if (u.version().keyId().equals(keyId) && u.dataKeys() > 0) {
                throw new IllegalStateException("key " + keyId + " of hospital " + hospitalId + " still wraps "
                        + u.dataKeys() + " data keys: rotate first");
            }
        }
        provider().destroy(hospitalId, keyId);
    }

    /**
     * Encrypts an object stored in the clear (before encryption at rest) for the hospitals that use it: a new blob is
     * sealed from the old one, the index points to it, then the old blob is deleted. Returns false when the object
     * was not in the clear (already encrypted, or absent).
     */
    public boolean encryptExisting(String sha256, List<String> hospitalIds) throws IOException {
        if (hospitalIds.isEmpty()) {
            throw new IllegalArgumentException("an object is encrypted for at least one hospital");
        }
        String hospitalId = hospitalIds.getFirst();
        Optional<Entry> found = find(sha256);
        if (found.isEmpty() || !found.get().cipher().equals("none")) {
            return false;
        }
        Entry old = found.get();
        byte[] sha = HexFormat.of().parseHex(sha256);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        SecretKey dataKey = new SecretKeySpec(raw, "AES");
        KeyProvider.WrappedKey wrapped = provider().wrap(hospitalId, dataKey);
        StoredObject blob;
        try (InputStream in = store.open(old.blob(), 0, -1)) {
            blob = seal(in, old.size(), sha, dataKey, sha256, null);
        }
        boolean replaced;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement("update archive_blob set blob = ?, blob_size = ?, cipher = ?"
                    + " where sha256 = ? and cipher = 'none'")) {
                u.setString(1, blob.sha256());
                u.setLong(2, blob.size());
                u.setString(3, EncryptedBlob.CIPHER);
                u.setString(4, sha256);
                replaced = u.executeUpdate() == 1;
                if (replaced) {
                    insertKey(c, sha256, hospitalId, wrapped);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            store.delete(blob.sha256());
            throw new IOException("the archive's index could not record the encrypted blob of " + sha256, e);
        }
        if (!replaced) {
            store.delete(blob.sha256());
            return false;
        }
        if (!old.blob().equals(blob.sha256())) {
            store.delete(old.blob());
        }
        Entry now = find(sha256).orElseThrow();
        for (String other : hospitalIds.subList(1, hospitalIds.size())) {
            shareKey(now, other);
        }
        return true;
    }

    /** The object store beneath, for the jobs that check and repair blobs (fixity); never for content. */
    public ObjectStore store() {
        return store;
    }

    /** Whether new objects are encrypted (a key provider is configured). */
    public boolean encrypts() {
        return keys != null;
    }

    /** For logs and the health page, without secrets. */
    public String describe() {
        return store.describe() + (keys == null ? ", in the clear" : ", encrypted, keys in " + keys.describe());
    }

    @Override
    public void close() throws IOException {
        try (store) {
            if (keys != null) {
                keys.close();
            }
        }
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

    private KeyProvider provider() {
        if (keys == null) {
            throw new IllegalStateException("the archive has no key provider configured (archive.keys=none)");
        }
        return keys;
    }

    private StoredObject storeBlob(Path blob, Instant retainUntil) throws IOException {
        return retainUntil == null ? store.put(blob) : store.put(blob, retainUntil);
    }

    /** Seals content into a scratch file, stores that as the blob, and removes the scratch file. */
    private StoredObject seal(
            InputStream in, long size, byte[] sha, SecretKey dataKey, String sha256, Instant retainUntil)
            throws IOException {
        Path sealed = Files.createTempFile(scratch, "seal-", ".blob", PrivateFiles.fileAttribute());
        try {
            byte[] encrypted;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(sealed), 1 << 20)) {
                encrypted = EncryptedBlob.encrypt(in, size, sha, dataKey, out);
            }
            if (!Arrays.equals(encrypted, sha)) {
                throw new IOException("the content of object " + sha256 + " changed while it was being stored");
            }
            return storeBlob(sealed, retainUntil);
        } finally {
            Files.deleteIfExists(sealed);
        }
    }

    /** The data key of an object, unwrapped from the first hospital's copy that unwraps. */
    private SecretKey dataKey(String sha256) throws IOException {
        KeyProvider k = provider();
        IOException failure = null;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select hospital_id, key_id, wrapped from archive_key where"
                        + " sha256 = ? order by created_at")) {
            s.setString(1, sha256);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        return k.unwrap(r.getString(1), r.getString(2), r.getBytes(3));
                    } catch (IOException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("the archive's index could not read the data key of object " + sha256, e);
        }
        throw failure != null
                ? new IOException("object " + sha256 + ": no hospital's key unwraps its data key", failure)
                : new IOException("object " + sha256 + " is encrypted but has no data key in the index");
    }

    /** Wraps an encrypted object's data key for one more hospital; no-op for objects in the clear. */
    private void shareKey(Entry e, String hospitalId) throws IOException {
        if (e.cipher().equals("none") || keys == null) {
            return;
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s =
                    c.prepareStatement("select 1 from archive_key where sha256 = ? and hospital_id = ?")) {
                s.setString(1, e.sha256());
                s.setString(2, hospitalId);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return;
                    }
                }
            }
            insertKey(c, e.sha256(), hospitalId, keys.wrap(hospitalId, dataKey(e.sha256())));
        } catch (SQLException ex) {
            throw new IOException("the archive's index could not record the data key of " + e.sha256(), ex);
        }
    }

    /** Records an object (and its first data key) in one transaction; false when the object was already there. */
    private boolean insert(Entry e, String hospitalId, KeyProvider.WrappedKey wrapped) throws IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("insert into archive_blob (sha256, size, blob, blob_size,"
                    + " cipher) values (?, ?, ?, ?, ?) on conflict (sha256) do nothing")) {
                s.setString(1, e.sha256());
                s.setLong(2, e.size());
                s.setString(3, e.blob());
                s.setLong(4, e.blobSize());
                s.setString(5, e.cipher());
                boolean inserted = s.executeUpdate() == 1;
                if (inserted && wrapped != null) {
                    insertKey(c, e.sha256(), hospitalId, wrapped);
                }
                c.commit();
                return inserted;
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException ex) {
            throw new IOException("the archive's index could not record object " + e.sha256(), ex);
        }
    }

    private static void insertKey(Connection c, String sha256, String hospitalId, KeyProvider.WrappedKey w)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into archive_key (sha256, hospital_id, key_id, wrapped)"
                + " values (?, ?, ?, ?) on conflict (sha256, hospital_id) do nothing")) {
            s.setString(1, sha256);
            s.setString(2, hospitalId);
            s.setString(3, w.keyId());
            s.setBytes(4, w.wrapped());
            s.executeUpdate();
        }
    }
}
