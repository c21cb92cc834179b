package org.medsync.archive.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * S3 Object Lock as the store asks for it. s3proxy, our S3 test server, does not implement Object Lock, so the
 * requests are checked as the SDK builds them (what AWS S3 receives), and the store against s3proxy without a lock.
 */
class S3ObjectLockTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final Instant UNTIL = Instant.parse("2046-12-02T00:00:00Z");

    @Test
    void aLockedPut_carriesModeRetainUntilAndTheKeysOwnSha256AsChecksum() {
        var put = S3ObjectStore.putRequest("bucket", SHA, S3ObjectStore.ObjectLock.COMPLIANCE, UNTIL);
        assertEquals("objects/9f/86/" + SHA, put.key());
        assertEquals(ObjectLockMode.COMPLIANCE, put.objectLockMode());
        assertEquals(UNTIL, put.objectLockRetainUntilDate());
        assertEquals(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(SHA)), put.checksumSHA256());

        var governance = S3ObjectStore.putRequest("bucket", SHA, S3ObjectStore.ObjectLock.GOVERNANCE, UNTIL);
        assertEquals(ObjectLockMode.GOVERNANCE, governance.objectLockMode());
    }

    @Test
    void withoutLockOrWithoutDate_thePutIsPlain() {
        for (var put : new PutObjectRequest[] {
            S3ObjectStore.putRequest("bucket", SHA, S3ObjectStore.ObjectLock.OFF, UNTIL),
            S3ObjectStore.putRequest("bucket", SHA, S3ObjectStore.ObjectLock.COMPLIANCE, null)
        }) {
            assertNull(put.objectLockMode());
            assertNull(put.objectLockRetainUntilDate());
            assertNull(put.checksumSHA256());
        }
    }

    @Test
    void aLockedMultipartUpload_isLockedAtCreation_withSha256PartChecksums() {
        var create = S3ObjectStore.createMultipartRequest(
                "bucket", "objects/9f/86/" + SHA, S3ObjectStore.ObjectLock.COMPLIANCE, UNTIL);
        assertEquals(ObjectLockMode.COMPLIANCE, create.objectLockMode());
        assertEquals(UNTIL, create.objectLockRetainUntilDate());
        assertEquals(ChecksumAlgorithm.SHA256, create.checksumAlgorithm());
        assertNull(S3ObjectStore.createMultipartRequest("bucket", "k", S3ObjectStore.ObjectLock.OFF, UNTIL)
                .objectLockMode());
    }

    @Test
    void extendingALock_isAPutObjectRetentionInTheConfiguredMode() {
        var r = S3ObjectStore.retentionRequest("bucket", SHA, S3ObjectStore.ObjectLock.GOVERNANCE, UNTIL);
        assertEquals("bucket", r.bucket());
        assertEquals("objects/9f/86/" + SHA, r.key());
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, r.retention().mode());
        assertEquals(UNTIL, r.retention().retainUntilDate());
        assertThrows(
                IllegalArgumentException.class,
                () -> S3ObjectStore.retentionRequest("bucket", SHA, S3ObjectStore.ObjectLock.OFF, UNTIL));
    }

    @Test
    void theSettingParses_offGovernanceCompliance_andRefusesAnythingElse() {
        assertEquals(S3ObjectStore.ObjectLock.OFF, S3ObjectStore.ObjectLock.parse("off"));
        assertEquals(S3ObjectStore.ObjectLock.COMPLIANCE, S3ObjectStore.ObjectLock.parse(" Compliance "));
        assertEquals(S3ObjectStore.ObjectLock.GOVERNANCE, S3ObjectStore.ObjectLock.parse("governance"));
        var e = assertThrows(IllegalArgumentException.class, () -> S3ObjectStore.ObjectLock.parse("legal"));
        assertTrue(e.getMessage().contains("off, governance or compliance"), e.getMessage());
    }

    /** Without Object Lock, a put with a retain-until date stores plainly (s3proxy would refuse lock headers). */
    @Test
    void againstS3proxy_withoutLock_aPutWithADateStoresPlainly(@TempDir Path dir) throws Exception {
        try (S3ProxyServer server = new S3ProxyServer();
                S3ObjectStore store = new S3ObjectStore(server.settings("medsync-lock", S3ObjectStore.MIN_PART_SIZE))) {
            assertFalse(store.locksObjects());
            Path f = Files.writeString(dir.resolve("a"), "locked bytes");
            var o = store.put(f, UNTIL);
            assertEquals(12L, store.size(o.sha256()).orElseThrow());
            store.retain(o.sha256(), UNTIL);
            store.delete(o.sha256());
            assertTrue(store.size(o.sha256()).isEmpty());
        }
    }
}
