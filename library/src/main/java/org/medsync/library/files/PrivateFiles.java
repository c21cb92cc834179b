package org.medsync.library.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the server's own OS user may read: directories 0700, files 0600. The permissions are given at
 * creation, never set afterwards, so no other local user can open a file in the moment between the two; the
 * process umask can only remove bits, never add them.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} and its missing parents 0700; an existing directory is left as it is. */
    public static Path directories(Path dir) throws IOException {
        return Files.createDirectories(dir, directoryAttribute());
    }

    /** Creates the directory 0700 or, when it exists, takes group and other permissions off it (older versions made it 0755). */
    public static Path ownDirectory(Path dir) throws IOException {
        directories(dir);
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /**
     * Writes {@code content} to {@code file} atomically (a 0600 temporary file beside it, then renamed over it),
     * so a reader sees the old content or the new one, and never a file with wider permissions.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(
                file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp", fileAttribute());
        try {
            Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code file} 0600 with {@code content}; fails if it exists, so two starts never both win. */
    public static void create(Path file, byte[] content) throws IOException {
        Files.write(Files.createFile(file, fileAttribute()), content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Removes group and other permissions from an existing file (one written by an older version). */
    public static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, Files.isDirectory(file) ? DIRECTORY : FILE);
    }

    public static FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
        return PosixFilePermissions.asFileAttribute(DIRECTORY);
    }

    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }
}
