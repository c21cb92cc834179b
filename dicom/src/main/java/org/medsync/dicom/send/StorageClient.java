package org.medsync.dicom.send;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.medsync.dicom.worklist.RemoteAe;

/**
 * Sends Part 10 files to a storage SCP by C-STORE (PS3.4 B, PS3.7 9.1.1). The file is announced with the SOP
 * class, instance and transfer syntax the caller states, so PixelMed proposes exactly that presentation context and
 * sends the data set as stored (no transcoding: a video stays bit-exact), whether or not PixelMed knows the syntax.
 */
public final class StorageClient {
    private StorageClient() {}

    /** A file to send, as its file meta information describes it. */
    public record Outgoing(Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {}

    /**
     * Sends one instance on its own association.
     *
     * @throws StorageException when the association is refused (no presentation context accepted for the SOP class
     *     and transfer syntax, wrong AE title) or the SCP answers with a failure status
     */
    public static void store(RemoteAe ae, Outgoing outgoing) throws StorageException {
        SetOfDicomFiles files = new SetOfDicomFiles();
        files.add(
                outgoing.file().toString(),
                outgoing.sopClassUid(),
                outgoing.sopInstanceUid(),
                outgoing.transferSyntaxUid());
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        MultipleInstanceTransferStatusHandler status = new MultipleInstanceTransferStatusHandler() {
            @Override
            public void updateStatus(int remaining, int done, int failures, int warnings, String sopInstanceUid) {
                completed.set(done + warnings);
                failed.set(failures);
            }
        };
        StorageSOPClassSCU scu;
        try {
            scu = new StorageSOPClassSCU(
                    ae.host(),
                    ae.port(),
                    ae.calledAeTitle(),
                    ae.callingAeTitle(),
                    files,
                    0, // compression level: none, send as stored
                    status,
                    null,
                    0);
        } catch (Exception e) {
            throw new StorageException(
                    "C-STORE to " + ae.calledAeTitle() + " at " + ae.host() + ":" + ae.port() + " failed: "
                            + e.getMessage(),
                    e);
        }
        if (scu.encounteredTrappedExceptions() || failed.get() > 0 || completed.get() != 1) {
            throw new StorageException("C-STORE to " + ae.calledAeTitle() + " at " + ae.host() + ":" + ae.port()
                    + " did not store the instance (the SCP refused it, or accepted no presentation context for "
                    + outgoing.sopClassUid() + " in " + outgoing.transferSyntaxUid() + ")");
        }
    }

    /** A C-STORE that did not store; the message says where and why, without patient data. */
    public static final class StorageException extends Exception {
        public StorageException(String message) {
            super(message);
        }

        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
