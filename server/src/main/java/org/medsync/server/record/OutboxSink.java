package org.medsync.server.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory of delivered recordings, for a recorder without an archive (or before it is reachable): each
 * recording is {@code <name>.mp4} beside {@code <name>.json}, the Upload-Metadata the archive would have been sent
 * (including the SHA-256). The JSON is written last, so a recording with its JSON is complete; an uploader can send
 * the pair later unchanged. Addressed as {@code --archive file:/path/to/outbox}.
 */
public final class OutboxSink implements RecordingSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    public OutboxSink(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Delivery deliver(Path file, String sha256, RecordingMetadata metadata) throws IOException {
        String name = file.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        Path target = directory.resolve(name);
        long bytes = Files.size(file);
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(file);
        }
        Map<String, String> declared = metadata.uploadMetadata(name, sha256);
        Path json = directory.resolve(stem + ".json");
        Path partial = directory.resolve(stem + ".json.partial");
        JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), declared);
        Files.move(partial, json, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Delivery(stem, sha256, bytes);
    }
}
