package org.medsync.server.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a finished recording goes: the archive (through the recorder client's resumable tus upload), or an outbox
 * directory a recorder keeps when it has no archive. A sink takes over the file when {@link #deliver} returns; when
 * it throws, the file stays where it was and nothing is lost.
 */
public interface RecordingSink {

    /** What the sink made of a recording. @param id the archive's recording id, or the outbox name */
    record Delivery(String id, String sha256, long bytes) {}

    /**
     * Delivers a finalized recording with its declared metadata.
     *
     * @param sha256 hex SHA-256 of the whole file (the archive verifies it before accepting the recording)
     */
    Delivery deliver(Path file, String sha256, RecordingMetadata metadata) throws IOException;

    /** The hex SHA-256 of a whole file, as recorders declare it. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
