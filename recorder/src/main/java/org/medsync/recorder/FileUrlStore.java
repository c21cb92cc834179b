package org.medsync.recorder;

import io.tus.java.client.TusURLStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where each unfinished upload continues (its tus URL), by fingerprint, in files of a directory: a recorder that
 * restarts finds the URL and resumes from the server's offset instead of sending the file again. Each entry is
 * written to a temporary file, synced and renamed, so a crash leaves the old entry or the new one.
 */
final class FileUrlStore implements TusURLStore {
    private final Path dir;

    FileUrlStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public void set(String fingerprint, URL url) {
        Path target = file(fingerprint);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, url.toString(), StandardCharsets.UTF_8);
            try (var channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember the upload URL in " + dir, e);
        }
    }

    @Override
    public URL get(String fingerprint) {
        Path f = file(fingerprint);
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            return URI.create(Files.readString(f, StandardCharsets.UTF_8).trim())
                    .toURL();
        } catch (IOException | IllegalArgumentException e) {
            return null; // an unreadable entry: the upload starts again
        }
    }

    @Override
    public void remove(String fingerprint) {
        try {
            Files.deleteIfExists(file(fingerprint));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot forget the upload URL in " + dir, e);
        }
    }

    private Path file(String fingerprint) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h) + ".url");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
