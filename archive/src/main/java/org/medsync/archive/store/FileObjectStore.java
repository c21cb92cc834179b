package org.medsync.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.medsync.library.files.PrivateFiles;

/**
 * Objects in a directory: {@code <root>/ab/cd/<sha256>}, two levels of fan-out so no directory holds more than a few
 * thousand entries at petabyte scale. A put copies into {@code <root>/incoming/}, hashes while copying, syncs, then
 * renames into place: a crash leaves at most a stray file in incoming/, never a partial object under a real key.
 */
public final class FileObjectStore implements ObjectStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path root;
    private final Path incoming;

    public FileObjectStore(Path root) throws IOException {
        this.root = PrivateFiles.directories(root);
        this.incoming = PrivateFiles.directories(root.resolve("incoming"));
    }

    @Override
    public StoredObject put(Path file) throws IOException {
        Path temporary = incoming.resolve(UUID.randomUUID() + ".part");
        MessageDigest sha256 = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file);
                FileChannel out =
                        FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PrivateFiles.restrict(temporary);
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                out.write(ByteBuffer.wrap(buffer, 0, n));
                size += n;
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        String key = HexFormat.of().formatHex(sha256.digest());
        Path target = pathOf(key);
        PrivateFiles.directories(target.getParent());
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temporary); // the same bytes are already stored
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("the object store at " + root + " must be one file system (incoming/ included)", e);
        }
        return new StoredObject(key, size);
    }

    /**
     * A rename into place when the file is on this store's file system, then a sync of the directory so the new name
     * survives a crash: no byte is read or written again. Otherwise a copy, synced, renamed (no second hash: the
     * writer's SHA-256 names it, and the fixity job re-hashes every blob later).
     */
    @Override
    public StoredObject putKnown(Path file, StoredObject known, Instant retainUntil, boolean move) throws IOException {
        Path target = pathOf(known.sha256());
        if (Files.isRegularFile(target) && Files.size(target) == known.size()) {
            if (move) {
                Files.deleteIfExists(file); // the same bytes are already stored
            }
            return known;
        }
        if (Files.size(file) != known.size()) {
            throw new IOException(
                    file + " has " + Files.size(file) + " bytes, not the " + known.size() + " of " + known);
        }
        PrivateFiles.directories(target.getParent());
        if (move) {
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(target.getParent());
                return known;
            } catch (AtomicMoveNotSupportedException e) {
                // another file system: copy below
            }
        }
        Path temporary = incoming.resolve(UUID.randomUUID() + ".part");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out =
                        FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PrivateFiles.restrict(temporary);
            for (long at = 0; at < known.size(); ) {
                at += in.transferTo(at, known.size() - at, out);
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(target.getParent());
        if (move) {
            Files.deleteIfExists(file);
        }
        return known;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        Path path = pathOf(sha256);
        return Files.isRegularFile(path) ? Optional.of(Files.size(path)) : Optional.empty();
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        Path path = pathOf(sha256);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException("no object " + sha256 + " in " + describe());
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        channel.position(offset);
        InputStream in = Channels.newInputStream(channel);
        return length < 0 ? in : new BoundedInputStream(in, length);
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(pathOf(sha256));
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public void close() {}

    private Path pathOf(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 object key: '" + sha256 + "'");
        }
        return root.resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** At most {@code remaining} bytes of the stream it wraps, for ranged reads. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
