package org.medsync.library.store;

import org.medsync.library.files.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Stored Part 10 files, one per instance, under {@code <root>/<study>/<series>/<sop>.dcm}. Files are written
 * to a temporary name and moved into place, so a crash never leaves half a file under a real name.
 */
public final class InstanceStore {
    /** PS3.5 9.1: digits and dots, at most 64 characters. Also what keeps a UID from escaping the root. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private final Path root;

    public InstanceStore(Path root) throws IOException {
        this.root = PrivateFiles.directories(root);
    }

    public static boolean isValidUid(String uid) {
        return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
    }

    public Path pathOf(String studyUid, String seriesUid, String sopUid) {
        for (String uid : new String[] {studyUid, seriesUid, sopUid}) {
            if (!isValidUid(uid)) {
                throw new IllegalArgumentException("not a valid DICOM UID: " + uid);
            }
        }
        return root.resolve(studyUid).resolve(seriesUid).resolve(sopUid + ".dcm");
    }

    /** Copies {@code source} into the store; returns the stored path. */
    public Path store(Path source, String studyUid, String seriesUid, String sopUid) throws IOException {
        Path target = pathOf(studyUid, seriesUid, sopUid);
        PrivateFiles.directories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".part", PrivateFiles.fileAttribute());
        try {
            // Into the 0600 file as it is: copying over it with REPLACE_EXISTING would give it the source's permissions.
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Files.copy(source, out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
