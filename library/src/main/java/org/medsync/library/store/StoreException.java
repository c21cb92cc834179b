package org.medsync.library.store;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * A fault of the store itself (staging, fsync, rename: a full disk, a read-only or vanished directory), never of
 * what is being stored: an import that meets one fails as a whole, as the server's fault, rather than blaming
 * the file. The message names the step and the system's reason, never a path (a stored path holds study UIDs).
 */
public final class StoreException extends IOException {
    public StoreException(String step, IOException cause) {
        super("the instance store cannot " + step + ": " + reason(cause), cause);
    }

    private static String reason(IOException e) {
        if (e instanceof StoreException s) {
            return s.getMessage();
        }
        if (e instanceof FileSystemException f) {
            // Its message is the path; its reason, when the system gave one, is what went wrong.
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
