package org.medsync.archive.export;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Marks the video of a legal export for its recipient before it is packaged: the hook where the watermark module's
 * per-recipient mark goes (docs/archive-evidence.md "Legal export"). Only the master copy in a package is marked; the
 * source as uploaded stays byte for byte what the recorder delivered, so its SHA-256 still matches the upload's.
 */
@FunctionalInterface
public interface ExportMarker {
    /** Packages the video as stored: what runs until the watermark module is wired in. */
    ExportMarker NONE = (video, mark, workDir) -> video;

    /**
     * Returns the marked video: a new file in {@code workDir}, or {@code video} itself when nothing is marked.
     *
     * @param video a plaintext copy of the master, which the marker may read but not change
     * @param mark what to hide in the video for this package
     */
    Path mark(Path video, Mark mark, Path workDir) throws IOException;

    /**
     * What identifies a package's copy of a recording.
     *
     * @param recipientFingerprint the first 16 hex digits of SHA-256 over the recipient's name and the export id:
     *     points to the export (its signed metadata is the record), and does not spell out who received it
     */
    record Mark(String recordingId, String hospitalId, String exportId, String recipientFingerprint) {}
}
