package org.medsync.server.or;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where an OR flow's SDP comes from: a file, or an http(s) URL fetched without credentials (a transmitter or the
 * configurator serving it). One reader for the gateway and the archive's OR recorder, so both see the same flow.
 */
public final class FlowSdp {
    /** An SDP is a few hundred bytes; anything this large is not one. */
    public static final int MAX_BYTES = 64 * 1024;

    private FlowSdp() {}

    public static String read(HttpClient http, String where) throws IOException {
        if (where.startsWith("http://") || where.startsWith("https://")) {
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(URI.create(where))
                                .timeout(Duration.ofSeconds(3))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200 || r.body().length > MAX_BYTES) {
                    throw new IOException("HTTP " + r.statusCode() + ", " + r.body().length + " bytes");
                }
                return new String(r.body(), StandardCharsets.UTF_8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the SDP", e);
            }
        }
        Path file = Path.of(where);
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        return Files.readString(file);
    }
}
