package org.medsync.server.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.store.ObjectStore;
import org.medsync.archive.vault.Vault;

/**
 * Delivers into the archive of this node's own database and object store, as a finished upload is accepted: the
 * bytes are stored by their SHA-256 (checked against the one declared), the recording is indexed (status uploaded),
 * and {@code accepted} gets it (what the upload listener does with an upload: enqueue its transcode job). For
 * recorders running inside a MedSync node (the demo, an OR receiver on the server); remote recorders upload by tus.
 */
public final class LocalArchiveSink implements RecordingSink {
    private final Vault store;
    private final Recordings recordings;
    private final String owner;
    private final String deviceId;
    private final Consumer<Recording> accepted;

    /**
     * @param owner the account that owns what this sink delivers (null: none)
     * @param deviceId the recorder device it comes from (null: none)
     */
    public LocalArchiveSink(
            Vault store, Recordings recordings, String owner, String deviceId, Consumer<Recording> accepted) {
        this.store = store;
        this.recordings = recordings;
        this.owner = owner;
        this.deviceId = deviceId;
        this.accepted = accepted;
    }

    @Override
    public Delivery deliver(Path file, String sha256, RecordingMetadata m) throws IOException {
        if (m.hospital().isEmpty()) {
            throw new IOException("a local delivery needs the hospital (no device credential names it)");
        }
        long size = Files.size(file);
        ObjectStore.StoredObject stored = store.put(file, m.hospital());
        if (!stored.sha256().equals(sha256)) {
            throw new IOException("the recording's SHA-256 changed between encoding and storing: declared " + sha256
                    + ", stored " + stored.sha256());
        }
        try {
            Recording r = recordings.create(
                    new Recording.Declared(
                            m.hospital(),
                            blankToNull(m.operatingRoom()),
                            deviceId,
                            blankToNull(m.operator()),
                            owner,
                            blankToNull(m.procedure()),
                            blankToNull(m.accession()),
                            blankToNull(m.studyUid()),
                            blankToNull(m.patientId()),
                            blankToNull(m.patientName()),
                            m.startedAt(),
                            m.title(),
                            file.getFileName().toString()),
                    stored.sha256(),
                    size,
                    file.getFileName().toString().endsWith(".mkv") ? "video/x-matroska" : "video/mp4");
            Files.delete(file);
            accepted.accept(r);
            return new Delivery(r.id(), stored.sha256(), size);
        } catch (SQLException e) {
            throw new IOException("indexing the recording failed: " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
