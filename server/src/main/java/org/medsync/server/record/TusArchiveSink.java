package org.medsync.server.record;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medsync.recorder.RecorderClient;
import org.medsync.recorder.Recording;
import org.medsync.recorder.UploadRefusedException;

/**
 * Delivers recordings to a MedSync archive's recorder API by the recorder module's resumable tus upload, with the
 * device credential an admin issued. A lost connection or a restarted recorder continues from the last byte the
 * archive acknowledged (the client keeps unfinished uploads' URLs in {@code stateDir}).
 */
final class TusArchiveSink implements RecordingSink {
    private final RecorderClient client;

    TusArchiveSink(URI archive, String credential, Path stateDir) throws IOException {
        this.client = new RecorderClient(RecorderClient.Settings.of(archive, credential, stateDir));
    }

    @Override
    public Delivery deliver(Path file, String sha256, RecordingMetadata m) throws IOException {
        Recording declared = m.toRecording();
        RecorderClient.Result result;
        try {
            result = client.upload(file, declared, RecorderClient.Progress.NONE);
        } catch (UploadRefusedException e) {
            throw new IOException("the archive refused the recording: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading; the upload resumes on the next delivery", e);
        }
        if (!result.sha256().equals(sha256)) {
            throw new IOException("the file changed while it was uploaded (SHA-256 " + result.sha256() + ", declared "
                    + sha256 + "); it stays in place");
        }
        Files.delete(file);
        return new Delivery(result.recordingId(), result.sha256(), result.size());
    }
}
