package org.medsync.archive.keys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medsync.library.files.PrivateFiles;
import org.medsync.watermark.mark.WatermarkKey;

/**
 * The archive's watermark key in a local file: whoever holds it can read and remove the marks in every copy, so it
 * is kept like the key-encryption keys (0600, made on first use, the same file on every node).
 */
public final class WatermarkKeys {
    private WatermarkKeys() {}

    /** Reads the key, or makes a random one in a new 0600 file when there is none. */
    public static WatermarkKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            PrivateFiles.directories(file.toAbsolutePath().getParent());
            WatermarkKey fresh = WatermarkKey.random();
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".watermark-", ".key");
            try {
                fresh.write(temporary);
                PrivateFiles.restrict(temporary);
                // A link, not a move: two nodes starting at once must not each keep a different key.
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException anotherNodeWasFirst) {
                // Its key is the one every node uses.
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return WatermarkKey.read(file);
    }
}
