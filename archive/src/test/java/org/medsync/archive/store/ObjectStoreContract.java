package org.medsync.archive.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link ObjectStore} does, run against each implementation by a subclass. */
abstract class ObjectStoreContract {
    @TempDir
    Path temp;

    ObjectStore store;

    /** A fresh, empty store. */
    abstract ObjectStore newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void put_keysByContent_andReadsBackEveryByte() throws Exception {
        byte[] content = bytes(300_001, 1);
        ObjectStore.StoredObject stored = store.put(file("a", content));
        assertEquals(sha256(content), stored.sha256());
        assertEquals(content.length, stored.size());
        assertEquals(Optional.of((long) content.length), store.size(stored.sha256()));
        try (InputStream in = store.open(stored.sha256(), 0, -1)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void open_range_givesExactlyThoseBytes() throws Exception {
        byte[] content = bytes(100_000, 2);
        String key = store.put(file("r", content)).sha256();
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 1500), read(key, 1000, 500));
        assertArrayEquals(Arrays.copyOfRange(content, 99_990, 100_000), read(key, 99_990, -1));
        // A range running past the end stops at the end; one starting at the end is empty.
        assertArrayEquals(Arrays.copyOfRange(content, 99_000, 100_000), read(key, 99_000, 5000));
        assertEquals(0, read(key, 100_000, -1).length);
        assertEquals(0, read(key, 10, 0).length);
    }

    @Test
    void put_sameContentTwice_isOneObject() throws Exception {
        byte[] content = bytes(4096, 3);
        ObjectStore.StoredObject first = store.put(file("one", content));
        ObjectStore.StoredObject second = store.put(file("two", content));
        assertEquals(first, second);
        assertEquals(Optional.of(4096L), store.size(first.sha256()));
        try (InputStream in = store.open(first.sha256(), 0, -1)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void put_emptyFile_isAnObject() throws Exception {
        ObjectStore.StoredObject stored = store.put(file("empty", new byte[0]));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", stored.sha256());
        assertEquals(Optional.of(0L), store.size(stored.sha256()));
        assertEquals(0, read(stored.sha256(), 0, -1).length);
    }

    @Test
    void delete_removesTheObject_andIsQuietWhenAbsent() throws Exception {
        String key = store.put(file("d", bytes(1000, 4))).sha256();
        store.delete(key);
        assertEquals(Optional.empty(), store.size(key));
        store.delete(key);
    }

    @Test
    void missingObject_hasNoSize_andOpensWithNoSuchFile() throws Exception {
        String absent = sha256(bytes(10, 5));
        assertEquals(Optional.empty(), store.size(absent));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.open(absent, 0, -1));
        assertTrue(e.getMessage().contains(absent), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "../../etc/passwd",
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/x",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g"
            })
    void garbageKey_isRejected(String key) {
        assertThrows(IllegalArgumentException.class, () -> store.size(key));
        assertThrows(IllegalArgumentException.class, () -> store.open(key, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> store.delete(key));
    }

    @Test
    void describe_namesTheStore() {
        assertTrue(!store.describe().isBlank());
    }

    byte[] read(String key, long offset, long length) throws IOException {
        try (InputStream in = store.open(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    Path file(String name, byte[] content) throws IOException {
        return Files.write(temp.resolve(name), content);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
