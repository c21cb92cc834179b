package org.medsync.server.record;

import java.io.IOException;
import java.nio.file.Path;

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
}
