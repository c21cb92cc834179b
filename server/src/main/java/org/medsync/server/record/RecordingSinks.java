package org.medsync.server.record;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sink an {@code --archive URL} names. */
public final class RecordingSinks {
    private RecordingSinks() {}

    /**
     * {@code file:/dir} is an {@link OutboxSink}; {@code http(s)://host/} is the archive's recorder API, reached
     * through the recorder module's tus client with the device credential in {@code credentialFile}.
     *
     * @throws IllegalArgumentException for a URL no sink serves, or an archive without a readable credential
     */
    public static RecordingSink open(String url, Path credentialFile) throws IOException {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--archive '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "file" -> {
                return new OutboxSink(Path.of(uri));
            }
            case "http", "https" -> {
                if (credentialFile == null || !Files.isReadable(credentialFile)) {
                    throw new IllegalArgumentException(
                            "--archive " + uri + " needs --credential-file with the device credential (msd_...)");
                }
                String credential = Files.readString(credentialFile).strip();
                Path stateDir = credentialFile.toAbsolutePath().getParent().resolve("medsync-uploads");
                return new TusArchiveSink(uri, credential, stateDir);
            }
            default ->
                throw new IllegalArgumentException(
                        "--archive must be http(s)://archive-host/ or file:/outbox/dir, not '" + url + "'");
        }
    }
}
