package org.medsync.archive.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The object store contract against a real S3 server (s3proxy), plus what only S3 has: shared buckets, multipart. */
class S3ObjectStoreTest extends ObjectStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    ObjectStore newStore() throws Exception {
        return new S3ObjectStore(server.settings("medsync-" + BUCKETS.incrementAndGet(), S3ObjectStore.MIN_PART_SIZE));
    }

    /** Two nodes configured with one bucket are one archive: each reads what the other stored. */
    @Test
    void twoNodesOnOneBucket_seeEachOthersObjects() throws Exception {
        String bucket = "medsync-shared-" + BUCKETS.incrementAndGet();
        try (ObjectStore a = new S3ObjectStore(server.settings(bucket, S3ObjectStore.MIN_PART_SIZE));
                ObjectStore b = new S3ObjectStore(server.settings(bucket, S3ObjectStore.MIN_PART_SIZE))) {
            byte[] fromA = bytes(5000, 10);
            byte[] fromB = bytes(7000, 11);
            String keyA = a.put(file("a", fromA)).sha256();
            String keyB = b.put(file("b", fromB)).sha256();
            try (InputStream in = b.open(keyA, 0, -1)) {
                assertArrayEquals(fromA, in.readAllBytes());
            }
            try (InputStream in = a.open(keyB, 100, 50)) {
                assertArrayEquals(Arrays.copyOfRange(fromB, 100, 150), in.readAllBytes());
            }
            b.delete(keyA);
            assertEquals(Optional.empty(), a.size(keyA));
        }
    }

    /** Files above the part size go up in parts (S3 allows 5 GB per request); the object is the whole file. */
    @Test
    void put_largerThanAPart_isAMultipartUploadOfTheWholeFile() throws Exception {
        int size = (int) (2 * S3ObjectStore.MIN_PART_SIZE + 12345);
        byte[] content = bytes(size, 12);
        ObjectStore.StoredObject stored = store.put(file("big", content));
        assertEquals(sha256(content), stored.sha256());
        assertEquals(Optional.of((long) size), store.size(stored.sha256()));
        assertArrayEquals(Arrays.copyOfRange(content, size - 20_000, size), read(stored.sha256(), size - 20_000, -1));
        try (InputStream in = store.open(stored.sha256(), 0, -1)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void wrongSecret_isRefusedWithTheBucketNamed_notTheSecret() {
        S3ObjectStore.Settings good = server.settings("medsync-auth", S3ObjectStore.MIN_PART_SIZE);
        S3ObjectStore.Settings bad = new S3ObjectStore.Settings(
                good.endpoint(),
                good.region(),
                good.bucket(),
                good.accessKey(),
                "not-the-secret",
                good.partSize(),
                true);
        IOException e = assertThrows(IOException.class, () -> new S3ObjectStore(bad));
        assertTrue(e.getMessage().contains("medsync-auth"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
        assertFalse(bad.toString().contains("not-the-secret"));
    }

    @Test
    void settings_refuseABadBucketName_andTinyParts() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new S3ObjectStore.Settings(null, "us-east-1", "Bad_Bucket", "a", "b", 5L << 20, true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new S3ObjectStore.Settings(null, "us-east-1", "good-bucket", "a", "b", 1 << 20, true));
    }
}
