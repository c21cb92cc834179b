package org.medsync.archive.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A blob comes from storage someone else may control: any bytes as a header are parsed or refused with an
 * IOException, and any bytes as a blob either decrypt to the content that was sealed or fail with an IOException,
 * never another exception and never other bytes. Under plain surefire the fuzz target replays its seed inputs.
 */
class BlobParsersFuzzTest {
    private static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");
    private static final byte[] SHA = new byte[32];

    @FuzzTest(maxDuration = "10s")
    void anyBytes_asABlob_decryptOrFailWithAnIOException(byte[] blob) {
        try {
            EncryptedBlob.Header h =
                    EncryptedBlob.header(Arrays.copyOf(blob, Math.min(blob.length, EncryptedBlob.HEADER)), "fuzz");
            if (h.size() > 1 << 20) {
                return; // valid, but a million chunks of garbage are not worth reading here
            }
            try (InputStream in = EncryptedBlob.decrypt(
                    h, SHA, KEY, new ByteArrayInputStream(blob, EncryptedBlob.HEADER, blob.length), 0, -1, "fuzz")) {
                byte[] out = in.readAllBytes();
                // Only an empty object's blob can pass without its one (authenticated) chunk: nothing is returned.
                assertArrayEquals(new byte[0], out);
            }
        } catch (IOException expected) {
            // refused with a message naming the object
        }
    }

    @Test
    void aSealedBlob_opensWithItsKey_andNotWithAnother() throws Exception {
        byte[] content = "content".repeat(20_000).getBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EncryptedBlob.encrypt(new ByteArrayInputStream(content), content.length, SHA, KEY, out);
        byte[] blob = out.toByteArray();
        EncryptedBlob.Header h = EncryptedBlob.header(blob, "x");
        try (InputStream in = EncryptedBlob.decrypt(
                h, SHA, KEY, new ByteArrayInputStream(blob, EncryptedBlob.HEADER, blob.length), 0, -1, "x")) {
            assertArrayEquals(content, in.readAllBytes());
        }
        SecretKey other = new SecretKeySpec(
                new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                    28, 29, 30, 31, 32
                },
                "AES");
        assertThrows(IOException.class, () -> {
            try (InputStream in = EncryptedBlob.decrypt(
                    h, SHA, other, new ByteArrayInputStream(blob, EncryptedBlob.HEADER, blob.length), 0, -1, "x")) {
                in.readAllBytes();
            }
        });
    }
}
