package org.medsync.archive.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.EmbeddedArchiveDatabase;
import org.medsync.archive.keys.KeyProvider;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.store.FileObjectStore;

/** Encryption at rest: the blob format's round trips and ranges, its refusals, data keys per hospital, rotation. */
class VaultEncryptionTest {
    private static final int C = EncryptedBlob.CHUNK;
    private static EmbeddedArchiveDatabase db;
    private static Path keyFile;
    private static Vault vault;
    private static int files;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("vault-crypt");
        keyFile = db.dir().resolve("keys/archive.keys");
        vault = new Vault(
                db.dataSource(),
                new FileObjectStore(db.dir().resolve("objects")),
                new LocalKeyFile(keyFile),
                db.dir().resolve("scratch"));
    }

    @AfterAll
    static void stop() throws Exception {
        vault.close();
        db.close();
    }

    @Test
    void roundTrip_everySizeAtTheChunkEdges_andEveryRangeIsThePlaintextSlice() throws Exception {
        Random random = new Random(14);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, C - 1, C, C + 1, 2 * C, 3 * C + 7));
        for (int i = 0; i < 3; i++) {
            sizes.add(random.nextInt(4 * C));
        }
        for (int size : sizes) {
            byte[] content = bytes(size, random);
            String sha = vault.put(file(content), "h-one").sha256();
            Vault.Entry e = vault.find(sha).orElseThrow();
            assertEquals(EncryptedBlob.CIPHER, e.cipher());
            assertEquals(EncryptedBlob.blobSize(size, C), e.blobSize(), "blob size for " + size);
            assertNotEquals(sha, e.blob(), "the blob is not the content");
            assertArrayEquals(content, read(sha, 0, -1), "whole object of " + size + " bytes");
            int[] points = {0, 1, C - 1, C, C + 1, size / 2, Math.max(0, size - 1), size};
            for (int from : points) {
                for (int to : points) {
                    if (from <= to && to <= size) {
                        assertArrayEquals(
                                Arrays.copyOfRange(content, from, to),
                                read(sha, from, to - from),
                                "[" + from + ", " + to + ") of " + size);
                    }
                }
                if (from <= size) {
                    assertArrayEquals(
                            Arrays.copyOfRange(content, from, size), read(sha, from, -1), from + "- of " + size);
                }
            }
            for (int i = 0; i < 20 && size > 0; i++) {
                int from = random.nextInt(size);
                int length = random.nextInt(size - from + 1);
                assertArrayEquals(Arrays.copyOfRange(content, from, from + length), read(sha, from, length));
            }
        }
    }

    @Test
    void flippedByte_inHeaderOrAnyChunkOrTag_failsLoudlyNamingTheObject() throws Exception {
        byte[] content = bytes(2 * C + 100, new Random(1));
        for (long at : new long[] {9, 20, EncryptedBlob.HEADER, EncryptedBlob.HEADER + C + 5, blobEnd(content) - 1}) {
            String sha = vault.put(file(content), "h-flip").sha256();
            Vault.Entry e = vault.find(sha).orElseThrow();
            byte[] blob = Files.readAllBytes(blobPath(e.blob()));
            blob[(int) at] ^= 0x01;
            replaceBlob(e, blob);
            IOException x = assertThrows(IOException.class, () -> read(sha, 0, -1), "byte " + at);
            assertTrue(x.getMessage().contains(sha), x.getMessage());
            vault.delete(sha);
        }
    }

    @Test
    void swappedChunks_truncatedBlob_blobOfAnotherObject_allFail() throws Exception {
        byte[] content = bytes(3 * C, new Random(2));
        String sha = vault.put(file(content), "h-swap").sha256();
        Vault.Entry e = vault.find(sha).orElseThrow();
        byte[] original = Files.readAllBytes(blobPath(e.blob()));
        int sealed = C + EncryptedBlob.TAG;

        byte[] swapped = original.clone();
        System.arraycopy(original, EncryptedBlob.HEADER, swapped, EncryptedBlob.HEADER + sealed, sealed);
        System.arraycopy(original, EncryptedBlob.HEADER + sealed, swapped, EncryptedBlob.HEADER, sealed);
        replaceBlob(e, swapped);
        assertThrows(IOException.class, () -> read(sha, 0, -1));
        assertThrows(IOException.class, () -> read(sha, 0, 10), "the first chunk alone is checked too");

        // Cut at a chunk boundary: the header still says three chunks, so the third is missing.
        replaceBlob(e, Arrays.copyOf(original, EncryptedBlob.HEADER + 2 * sealed));
        IOException cut = assertThrows(IOException.class, () -> read(sha, 0, -1));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());

        // Cut, and the header rewritten to say two chunks: the new last chunk was not sealed as the last.
        byte[] shortened = Arrays.copyOf(original, EncryptedBlob.HEADER + 2 * sealed);
        ByteBuffer.wrap(shortened).putLong(14, 2L * C);
        replaceBlob(e, shortened);
        assertThrows(IOException.class, () -> read(sha, 0, -1));

        // Another object's blob (same length, another data key and another content hash) under this object's name.
        byte[] other = bytes(3 * C, new Random(3));
        String otherSha = vault.put(file(other), "h-swap").sha256();
        replaceBlob(
                e,
                Files.readAllBytes(blobPath(vault.find(otherSha).orElseThrow().blob())));
        IOException foreign = assertThrows(IOException.class, () -> read(sha, 0, -1));
        assertTrue(foreign.getMessage().contains(sha), foreign.getMessage());

        replaceBlob(e, original);
        assertArrayEquals(content, read(sha, 0, -1), "the original blob still reads");
    }

    @Test
    void sameContentForTwoHospitals_isOneBlob_withTheDataKeyWrappedForEach() throws Exception {
        byte[] content = bytes(5000, new Random(4));
        Path f = file(content);
        String sha = vault.put(f, "h-first").sha256();
        String blob = vault.find(sha).orElseThrow().blob();
        assertEquals(sha, vault.put(f, "h-second").sha256());
        assertEquals(sha, vault.put(f, "h-second").sha256(), "a repeat changes nothing");
        assertEquals(blob, vault.find(sha).orElseThrow().blob(), "stored once");
        assertEquals(List.of("h-first", "h-second"), hospitalsOf(sha));

        // Either hospital's key alone opens it: destroy the first's only version after rotating its data keys away.
        Vault.Rotation r = vault.rotate("h-first");
        vault.retire("h-first", "v1");
        assertArrayEquals(content, read(sha, 0, -1));
        assertEquals("v2", r.keyId());
    }

    @Test
    void rotation_rewrapsEveryDataKey_leavesEveryBlobByteAlone_andTheOldVersionCanBeDestroyed() throws Exception {
        String h = "h-rotate";
        List<byte[]> contents = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contents.add(bytes(C + 1000 * i, new Random(100 + i)));
            shas.add(vault.put(file(contents.get(i)), h).sha256());
        }
        List<byte[]> before = new ArrayList<>();
        for (String sha : shas) {
            before.add(Files.readAllBytes(blobPath(vault.find(sha).orElseThrow().blob())));
        }
        List<byte[]> wrappedBefore = wrapped(h);
        assertEquals(List.of("v1"), keyIds(h));

        Vault.Rotation r = vault.rotate(h);
        assertEquals(new Vault.Rotation(h, "v2", 4), r);
        assertEquals(List.of("v2"), keyIds(h));
        List<byte[]> wrappedAfter = wrapped(h);
        for (int i = 0; i < wrappedAfter.size(); i++) {
            assertFalse(Arrays.equals(wrappedBefore.get(i), wrappedAfter.get(i)), "re-wrapped");
        }
        for (int i = 0; i < shas.size(); i++) {
            assertArrayEquals(
                    before.get(i),
                    Files.readAllBytes(
                            blobPath(vault.find(shas.get(i)).orElseThrow().blob())),
                    "the blob's bytes are unchanged");
        }
        assertEquals(
                List.of(0L, 4L),
                vault.keyVersions(h).stream().map(Vault.KeyUse::dataKeys).toList());

        IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> vault.retire(h, "v2"));
        assertTrue(inUse.getMessage().contains("still wraps 4 data keys"), inUse.getMessage());
        vault.retire(h, "v1");
        assertFalse(Files.readString(keyFile).contains(h + " v1 "), "v1 is gone from the key file");
        for (int i = 0; i < shas.size(); i++) {
            assertArrayEquals(contents.get(i), read(shas.get(i), 0, -1), "still decrypts after v1 is destroyed");
        }

        // A version still wrapping data keys is refused.
        vault.put(file(bytes(10, new Random(9))), h);
        vault.rotate(h);
        jdbc("update archive_key set key_id = 'v2' where sha256 = '" + shas.get(0) + "'");
        assertThrows(IllegalStateException.class, () -> vault.retire(h, "v2"));
    }

    @Test
    void keyFile_is0600_andAnAlteredWrappedKeyIsRefused() throws Exception {
        String sha = vault.put(file(bytes(300, new Random(5))), "h-file").sha256();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
        jdbc("update archive_key set wrapped = set_byte(wrapped, 3, get_byte(wrapped, 3) # 1) where sha256 = '" + sha
                + "'");
        IOException x = assertThrows(IOException.class, () -> read(sha, 0, -1));
        assertTrue(x.getMessage().contains(sha), x.getMessage());

        vault.rotate("h-current");
        IllegalArgumentException current =
                assertThrows(IllegalArgumentException.class, () -> vault.retire("h-current", "v1"));
        assertTrue(current.getMessage().contains("current"), current.getMessage());
    }

    @Test
    void objectsInTheClear_stayReadable_andAreEncryptedOnRequest_theOldBlobDeleted() throws Exception {
        byte[] content = bytes(C + 3, new Random(6));
        String sha;
        try (Vault clear =
                new Vault(db.dataSource(), new FileObjectStore(db.dir().resolve("objects")))) {
            sha = clear.put(file(content), "h-legacy").sha256();
        }
        assertEquals("none", vault.find(sha).orElseThrow().cipher());
        assertArrayEquals(content, read(sha, 0, -1));
        vault.put(file(content), "h-legacy");
        assertEquals("none", vault.find(sha).orElseThrow().cipher(), "a repeat put does not rewrite it");

        assertTrue(vault.encryptExisting(sha, List.of("h-legacy", "h-legacy-2")));
        Vault.Entry e = vault.find(sha).orElseThrow();
        assertEquals(EncryptedBlob.CIPHER, e.cipher());
        assertFalse(Files.exists(blobPath(sha)), "the clear blob is deleted");
        assertEquals(List.of("h-legacy", "h-legacy-2"), hospitalsOf(sha));
        assertArrayEquals(content, read(sha, 0, -1));
        assertArrayEquals(Arrays.copyOfRange(content, C - 2, C + 3), read(sha, C - 2, 5));
        assertFalse(vault.encryptExisting(sha, List.of("h-legacy", "h-legacy-2")), "already encrypted");
    }

    @Test
    void keyFileParser_refusesGarbageWithTheLine() {
        for (String bad : List.of(
                "h v1 2026-01-01T00:00:00Z",
                "H v1 2026-01-01T00:00:00Z AAAA",
                "h 1 2026-01-01T00:00:00Z AAAA",
                "h v1 yesterday AAAA",
                "h v1 2026-01-01T00:00:00Z !!!!",
                "h v1 2026-01-01T00:00:00Z AAAA")) {
            Path f = db.dir().resolve("bad-" + files++ + ".keys");
            IOException x = assertThrows(IOException.class, () -> {
                Files.writeString(f, "# comment\n" + bad + "\n");
                try (KeyProvider k = new LocalKeyFile(f)) {
                    k.versions("h");
                }
            });
            assertTrue(x.getMessage().contains("line 2"), x.getMessage());
        }
    }

    private static long blobEnd(byte[] content) {
        return EncryptedBlob.blobSize(content.length, C);
    }

    private static byte[] read(String sha, long offset, long length) throws IOException {
        try (InputStream in = vault.open(sha, offset, length)) {
            return in.readAllBytes();
        }
    }

    private static Path blobPath(String blob) {
        return db.dir()
                .resolve("objects")
                .resolve(blob.substring(0, 2))
                .resolve(blob.substring(2, 4))
                .resolve(blob);
    }

    /** Puts other bytes where the object's blob is, as a storage provider or a thief with write access could. */
    private static void replaceBlob(Vault.Entry e, byte[] bytes) throws IOException {
        Path p = blobPath(e.blob());
        p.toFile().setWritable(true);
        Files.write(p, bytes);
    }

    private static List<String> hospitalsOf(String sha) throws Exception {
        return strings("select hospital_id from archive_key where sha256 = '" + sha + "' order by hospital_id");
    }

    private static List<String> keyIds(String h) throws Exception {
        return strings("select distinct key_id from archive_key where hospital_id = '" + h + "' order by key_id");
    }

    private static List<byte[]> wrapped(String h) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement("select wrapped from archive_key where hospital_id = ? order by sha256")) {
            s.setString(1, h);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getBytes(1));
                }
            }
        }
        return out;
    }

    private static List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static void jdbc(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }

    private static byte[] bytes(int n, Random random) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Path file(byte[] content) throws IOException {
        Path f = db.dir().resolve("content-" + files++);
        Files.write(f, content);
        return f;
    }
}
