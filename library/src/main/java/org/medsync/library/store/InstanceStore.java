package org.medsync.library.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medsync.library.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored Part 10 files, one per instance, under {@code <root>/<study>/<series>/<sop>.dcm}.
 *
 * <p>A file is first staged (copied, hashed and fsync'd) under {@code <root>/.incoming/<process>/}, then moved
 * into place by one atomic rename, and its directories are fsync'd before the importer commits the index row:
 * a crash at any point leaves either no row, or a row and its whole file. Each running process holds a lock on
 * its staging directory; staging directories whose lock nobody holds belong to a process that died and are
 * deleted when a store is opened. Several nodes may share one store: a live node's lock keeps its files.
 */
public final class InstanceStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceStore.class);
    /** PS3.5 9.1: digits and dots, at most 64 characters. Also what keeps a UID from escaping the root. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    static final String INCOMING = ".incoming";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path root;
    private final Path staging;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** A file copied into this process's staging directory: its bytes' SHA-256 and size. */
    public record Staged(Path file, byte[] sha256, long size) {}

    public InstanceStore(Path root) throws IOException {
        this.root = PrivateFiles.directories(root);
        Path incoming = PrivateFiles.directories(root.resolve(INCOMING));
        deleteAbandoned(incoming);
        String id = UUID.randomUUID().toString();
        // Locked under a temporary name, then renamed: another process's sweep only ever sees held locks.
        Path claim = incoming.resolve(".claim-" + id);
        FileChannel channel = FileChannel.open(
                claim, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PrivateFiles.fileAttribute());
        try {
            this.lock = channel.lock();
            Files.move(claim, incoming.resolve(id + LOCK_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            this.staging = PrivateFiles.directories(incoming.resolve(id));
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(claim);
            throw e;
        }
        this.lockChannel = channel;
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

    /**
     * Copies {@code source} into the staging directory, hashing it on the way; not yet fsync'd. A fault reading
     * the source is an IOException; one of the staging directory (creating or writing the copy) a StoreException.
     */
    public Staged stage(Path source) throws IOException {
        Path tmp;
        OutputStream out;
        try {
            tmp = Files.createTempFile(staging, "instance-", ".part", PrivateFiles.fileAttribute());
            out = new StagingOutput(Files.newOutputStream(tmp, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new StoreException("create a staging file", e);
        }
        try (out;
                InputStream raw = Files.newInputStream(source);
                DigestInputStream in = new DigestInputStream(raw, sha256())) {
            long size = in.transferTo(out);
            return new Staged(tmp, in.getMessageDigest().digest(), size);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** A staging file's stream: what fails writing it is the store's fault, whatever the source does. */
    private static final class StagingOutput extends FilterOutputStream {
        StagingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StoreException("write a staging file", e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new StoreException("write a staging file", e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new StoreException("write a staging file", e);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // No path in the log: a placed file's path holds its study's UIDs.
            log.warn(
                    "A file an import gave up could not be deleted: {}",
                    e instanceof FileSystemException f && f.getReason() != null
                            ? f.getReason()
                            : e.getClass().getSimpleName());
        }
    }

    /**
     * Forces staged files' bytes to the disk, so that once renamed into place they are whole after a crash.
     * The fsyncs run concurrently: they wait on the disk, not the CPU, and the file system commits them together.
     */
    public void sync(Collection<Staged> staged) throws IOException {
        List<Future<Void>> done = new ArrayList<>(staged.size());
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Staged s : staged) {
                done.add(io.submit(() -> {
                    force(s.file());
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new StoreException(
                    "fsync a staged file", e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing staged files", e);
        }
    }

    /**
     * Renames a staged, synced file to its place, atomically, replacing a file a crashed import may have left
     * there without an index row. Call {@link #syncDirectories} before committing the row.
     */
    public void place(Staged staged, Path target) throws IOException {
        try {
            PrivateFiles.directories(target.getParent());
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StoreException("move a staged file into place", e);
        }
    }

    /** Takes back a file {@link #place} put in place whose index row is not going to commit. */
    public void unplace(Path target) {
        deleteQuietly(target);
    }

    /** Fsyncs the series and study directories of {@code placed} and the root, so the renames survive a crash. */
    public void syncDirectories(Collection<Path> placed) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path p : placed) {
            dirs.add(p.getParent());
            dirs.add(p.getParent().getParent());
        }
        if (!dirs.isEmpty()) {
            dirs.add(root);
        }
        try {
            for (Path d : dirs) {
                force(d);
            }
        } catch (IOException e) {
            throw new StoreException("fsync a directory", e);
        }
    }

    /** Deletes a staged file that is not going to be placed. */
    public void discard(Staged staged) {
        deleteQuietly(staged.file());
    }

    /** SHA-256 of a stored file (for instances indexed before hashes were kept). */
    public static byte[] sha256Of(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    /** Releases this process's staging directory: deletes what is left in it, then its lock. */
    @Override
    public void close() throws IOException {
        deleteTree(staging);
        Path lockFile = staging.resolveSibling(staging.getFileName() + LOCK_SUFFIX);
        Files.deleteIfExists(lockFile);
        lock.release();
        lockChannel.close();
    }

    /** Deletes the staging directories of processes that are gone (their lock is free). */
    private static void deleteAbandoned(Path incoming) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(incoming, "*" + LOCK_SUFFIX)) {
            for (Path lockFile : entries) {
                String name = lockFile.getFileName().toString();
                Path dir = incoming.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                    FileLock free = ch.tryLock();
                    if (free == null) {
                        continue; // a live process (possibly another node on a shared store)
                    }
                    long n = deleteTree(dir);
                    Files.deleteIfExists(lockFile);
                    free.release();
                    if (n > 0) {
                        log.info("Deleted {} partial file(s) left by an import that was interrupted", n);
                    }
                } catch (OverlappingFileLockException e) {
                    // held by another store in this JVM
                } catch (NoSuchFileException e) {
                    // swept by another process at the same moment
                }
            }
        }
        // A process that died between creating its claim and renaming it to its lock name. A claim is locked
        // a moment after it is created: only old ones are looked at, so a starting process keeps its own.
        long old = System.currentTimeMillis() - 60_000;
        try (DirectoryStream<Path> claims = Files.newDirectoryStream(incoming, ".claim-*")) {
            for (Path claim : claims) {
                try (FileChannel ch = FileChannel.open(claim, StandardOpenOption.WRITE)) {
                    if (Files.getLastModifiedTime(claim).toMillis() < old && ch.tryLock() != null) {
                        Files.deleteIfExists(claim);
                    }
                } catch (OverlappingFileLockException | NoSuchFileException e) {
                    // being claimed right now, in this JVM or by another process
                }
            }
        }
    }

    /** Deletes a directory tree; returns how many files it held. */
    private static long deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long files = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    files++;
                }
                Files.deleteIfExists(p);
            }
        }
        return files;
    }

    private static void force(Path path) throws IOException {
        // Opening a directory for reading and forcing it is how Java fsyncs a directory on Linux.
        try (FileChannel ch =
                FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
