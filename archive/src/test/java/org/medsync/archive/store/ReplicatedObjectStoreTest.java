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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The object store contract over two directories, plus what copies add: every location written, reads fall back. */
class ReplicatedObjectStoreTest extends ObjectStoreContract {
    private ObjectStore first;
    private ObjectStore second;

    @Override
    ObjectStore newStore() throws Exception {
        first = new FileObjectStore(temp.resolve("first"));
        second = new FileObjectStore(temp.resolve("second"));
        return new ReplicatedObjectStore(List.of(
                new ReplicatedObjectStore.Location("primary", first),
                new ReplicatedObjectStore.Location("copy", second)));
    }

    @Test
    void put_writesEveryLocation_andDeleteRemovesEveryCopy() throws Exception {
        byte[] content = bytes(70_000, 21);
        String key = store.put(file("x", content)).sha256();
        assertEquals(Optional.of(70_000L), first.size(key));
        assertEquals(Optional.of(70_000L), second.size(key));
        store.delete(key);
        assertEquals(Optional.empty(), first.size(key));
        assertEquals(Optional.empty(), second.size(key));
    }

    @Test
    void open_readsTheNextLocation_whenTheFirstLostItsCopy() throws Exception {
        byte[] content = bytes(50_000, 22);
        String key = store.put(file("y", content)).sha256();
        first.delete(key);
        try (InputStream in = store.open(key, 10, 100)) {
            assertArrayEquals(Arrays.copyOfRange(content, 10, 110), in.readAllBytes());
        }
        assertEquals(Optional.of(50_000L), store.size(key));
        second.delete(key);
        assertThrows(NoSuchFileException.class, () -> store.open(key, 0, -1));
    }

    /** A location that cannot take the blob is reported for repair; the put succeeds on the others. */
    @Test
    void aFailedCopy_isReported_notIgnored_andThePutStands() throws Exception {
        ReplicatedObjectStore replicated = (ReplicatedObjectStore) store;
        List<String> reported = new ArrayList<>();
        replicated.onCopyFailed((blob, location, reason) -> reported.add(blob + " " + location));
        // Where the copy location stages its writes is a file now, not a directory: its puts fail.
        Path incoming = temp.resolve("second").resolve("incoming");
        Files.delete(incoming);
        Files.writeString(incoming, "not a directory");
        byte[] content = bytes(3000, 23);
        String key = store.put(file("z", content)).sha256();
        assertEquals(List.of(key + " copy"), reported);
        assertEquals(Optional.of(3000L), first.size(key));
        assertEquals(Optional.empty(), second.size(key));
        // No location at all: the put fails.
        Files.delete(temp.resolve("first").resolve("incoming"));
        Files.writeString(temp.resolve("first").resolve("incoming"), "not a directory");
        IOException e = assertThrows(IOException.class, () -> store.put(file("w", bytes(10, 24))));
        assertTrue(e.getMessage().contains("no location"), e.getMessage());
    }

    @Test
    void locations_needTwoDistinctNames() throws Exception {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ReplicatedObjectStore(List.of(new ReplicatedObjectStore.Location("primary", first))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ReplicatedObjectStore(List.of(
                        new ReplicatedObjectStore.Location("a", first),
                        new ReplicatedObjectStore.Location("a", second))));
        assertThrows(IllegalArgumentException.class, () -> new ReplicatedObjectStore.Location("Bad Name", first));
    }
}
