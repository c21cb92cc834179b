package org.medsync.recorder;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers a recording to a MedSync archive (docs/archive-api.md, "Recorder uploads"): hashes the whole file
 * (SHA-256, declared in the metadata and verified by the server before it accepts the recording), then uploads it
 * with tus 1.0 and the device's credential.
 *
 * <p>Resumes, never restarts: after a lost connection or a server restart it asks the server where the upload stands
 * and continues from there, retrying for {@link Settings#retryFor()}; the upload's URL is kept in
 * {@link Settings#stateDir()}, so a recorder that restarts and uploads the same file again continues from the last
 * byte the server has. Refusals that a retry cannot fix (a revoked credential, bad metadata, a SHA-256 mismatch)
 * end the upload at once with an {@link UploadRefusedException}.
 */
public final class RecorderClient {
    public static final String UPLOADS_PATH = "/api/archive/uploads";
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z0-9-]{1,64})\"");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,2000})\"");

    /**
     * How to reach the archive.
     *
     * @param server the MedSync server's base URL (e.g. {@code https://medsync.example.org})
     * @param credential the device credential {@code msd_<device>_<secret>} an admin issued
     * @param stateDir where the URLs of unfinished uploads are kept across restarts
     * @param requestBytes the most bytes one PATCH carries; the server syncs them to disk before answering it
     * @param retryFor how long to keep retrying after the connection or the server failed
     */
    public record Settings(URI server, String credential, Path stateDir, int requestBytes, Duration retryFor) {
        public Settings {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(stateDir, "stateDir");
            if (requestBytes < 1024) {
                throw new IllegalArgumentException("requestBytes must be at least 1024");
            }
        }

        /** 16 MiB per request, retrying for an hour. */
        public static Settings of(URI server, String credential, Path stateDir) {
            return new Settings(server, credential, stateDir, 16 << 20, Duration.ofHours(1));
        }

        /** The credential stays out of logs. */
        @Override
        public String toString() {
            return "Settings[server=" + server + ", stateDir=" + stateDir + "]";
        }
    }

    /** Told how far an upload is; may throw to abandon it (the next upload of the file resumes it). */
    public interface Progress {
        /** {@code offset} of {@code length} bytes are sent (each request's answer acknowledges its bytes). */
        void uploaded(long offset, long length);

        /** The upload (re)starts at {@code offset}: 0 for a new one, more when continuing an earlier one. */
        default void resumed(long offset, long length) {}

        /** A request failed and will be retried after {@code delay}. */
        default void retrying(Exception cause, Duration delay) {}

        Progress NONE = (offset, length) -> {};
    }

    /** An accepted upload: the recording the archive made of it. */
    public record Result(String recordingId, String sha256, long size, URL upload) {}

    private final Settings settings;
    private final FileUrlStore urls;

    public RecorderClient(Settings settings) throws IOException {
        this.settings = settings;
        this.urls = new FileUrlStore(settings.stateDir());
    }

    /** Uploads {@code file} as a recording; returns when the archive accepted it. */
    public Result upload(Path file, Recording recording, Progress progress)
            throws IOException, UploadRefusedException, InterruptedException {
        String sha256 = sha256(file);
        long size = Files.size(file);
        String name = file.getFileName().toString();
        Map<String, String> metadata = recording.metadata(name, sha256);
        // The same bytes with the same declaration are the same upload, wherever the file lies.
        String fingerprint = "medsync-" + settings.server() + "-" + sha256 + "-" + size + "-" + metadata.hashCode();
        long deadline = System.nanoTime() + settings.retryFor().toNanos();
        Duration delay = Duration.ofMillis(250);
        while (true) {
            try {
                return attempt(file, metadata, fingerprint, sha256, size, progress);
            } catch (IOException | ProtocolException e) {
                int status = status(e);
                if (status == 410) {
                    // The upload we were continuing expired or was discarded: start it anew.
                    urls.remove(fingerprint);
                } else if (status != 0 && !retryable(status)) {
                    throw refused(e, status);
                }
                if (System.nanoTime() + delay.toNanos() > deadline) {
                    throw new IOException(
                            "upload of " + name + " did not complete within " + settings.retryFor()
                                    + "; it resumes when uploaded again: " + e.getMessage(),
                            e);
                }
                progress.retrying(e, delay);
                Thread.sleep(delay);
                delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : delay.multipliedBy(2);
            }
        }
    }

    private Result attempt(
            Path file, Map<String, String> metadata, String fingerprint, String sha256, long size, Progress progress)
            throws IOException, ProtocolException, UploadRefusedException {
        TusClient client = new TimedTusClient();
        client.setUploadCreationURL(settings.server().resolve(UPLOADS_PATH).toURL());
        client.enableResuming(urls);
        client.setHeaders(Map.of("Authorization", "Bearer " + settings.credential()));
        client.setConnectTimeout(10_000);
        TusUpload upload = new TusUpload(file.toFile());
        upload.setFingerprint(fingerprint);
        upload.setMetadata(metadata);
        TusUploader uploader;
        try {
            uploader = client.resumeOrCreateUpload(upload);
        } catch (IOException | ProtocolException | RuntimeException e) {
            upload.getInputStream().close();
            throw e;
        }
        try {
            uploader.setChunkSize(Math.min(1 << 20, settings.requestBytes()));
            uploader.setRequestPayloadSize(settings.requestBytes());
            progress.resumed(uploader.getOffset(), size);
            while (uploader.getOffset() < size && uploader.uploadChunk() > -1) {
                progress.uploaded(uploader.getOffset(), size);
            }
            uploader.finish(true);
        } catch (RuntimeException e) {
            // Abandoned by the caller: end the request cleanly so the server keeps what it received and is free for
            // the next attempt at once, rather than waiting for more of this body until its timeout.
            try {
                uploader.finish(false);
            } catch (IOException | ProtocolException | RuntimeException ended) {
                e.addSuppressed(ended);
            }
            upload.getInputStream().close();
            throw e;
        } catch (IOException | ProtocolException e) {
            upload.getInputStream().close();
            throw e;
        }
        // The server answers the last PATCH with the recording's id; tus-java-client keeps no response headers, so
        // ask again with HEAD (which also finishes an upload whose last byte arrived just before a crash).
        String recordingId = recordingOf(uploader.getUploadURL());
        urls.remove(fingerprint);
        return new Result(recordingId, sha256, size, uploader.getUploadURL());
    }

    private String recordingOf(URL upload) throws IOException, ProtocolException {
        HttpURLConnection c = (HttpURLConnection) upload.openConnection();
        try {
            c.setRequestMethod("HEAD");
            c.setConnectTimeout(10_000);
            c.setReadTimeout(120_000);
            c.setRequestProperty("Tus-Resumable", TusClient.TUS_VERSION);
            c.setRequestProperty("Authorization", "Bearer " + settings.credential());
            int status = c.getResponseCode();
            String recording = c.getHeaderField("MedSync-Recording");
            if (status == 200 && recording != null) {
                return recording;
            }
            throw new ProtocolException("the upload is complete but the archive answered HEAD with " + status, c);
        } finally {
            c.disconnect();
        }
    }

    /** Conflicts (409: resume from the server's offset), locks (423) and server failures (5xx) pass. */
    private static boolean retryable(int status) {
        return status == 409 || status == 423 || status == 429 || status >= 500;
    }

    private static int status(Exception e) {
        if (e instanceof ProtocolException p && p.getCausingConnection() != null) {
            try {
                return p.getCausingConnection().getResponseCode();
            } catch (IOException unreadable) {
                return 0;
            }
        }
        return 0;
    }

    private static UploadRefusedException refused(Exception e, int status) {
        String body = "";
        if (e instanceof ProtocolException p && p.getCausingConnection() != null) {
            try (InputStream err = p.getCausingConnection().getErrorStream()) {
                if (err != null) {
                    body = new String(err.readNBytes(8192), StandardCharsets.UTF_8);
                }
            } catch (IOException unreadable) {
                // the status alone must do
            }
        }
        Matcher error = ERROR.matcher(body);
        Matcher message = MESSAGE.matcher(body);
        String header = e instanceof ProtocolException p && p.getCausingConnection() != null
                ? p.getCausingConnection().getHeaderField("MedSync-Error")
                : null;
        String code = error.find() ? error.group(1) : header;
        String text = message.find() ? message.group(1).replace("\\\"", "\"") : e.getMessage();
        return new UploadRefusedException(
                status,
                code,
                "the archive refused the upload (" + status + (code == null ? "" : " " + code) + "): " + text);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A tus client whose requests time out when the server stops answering (a server killed mid-request). */
    private static final class TimedTusClient extends TusClient {
        @Override
        public void prepareConnection(HttpURLConnection connection) {
            super.prepareConnection(connection);
            connection.setReadTimeout(120_000);
        }
    }
}
