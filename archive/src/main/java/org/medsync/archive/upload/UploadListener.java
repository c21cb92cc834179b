package org.medsync.archive.upload;

import org.medsync.archive.catalog.Recording;

/**
 * Told when an upload became a recording (its bytes verified and stored, its row written), so that its processing
 * starts (the archive enqueues its transcode job).
 *
 * <p>Called at least once per recording: after a crash between this call and the upload being marked complete, the
 * upload is finished again and the call repeated for the same recording, so implementations must tolerate a repeat.
 */
@FunctionalInterface
public interface UploadListener {
    void accepted(Recording recording) throws Exception;
}
