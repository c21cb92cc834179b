package org.medsync.rtv.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlToken;
import org.medsync.rtv.video.Raster;
import org.medsync.rtv.video.Y4m;
import org.medsync.st2110.video.VideoFormat;

/** Free ports, a tiny HTTP client and test media for loopback tests. */
final class Loopback {

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The token every device of these tests is started with; {@link #send} presents it. */
    static final ControlToken TOKEN = ControlToken.random();

    static final ControlAccess ACCESS = ControlAccess.of(TOKEN);

    private Loopback() {}

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    /** A random administratively scoped group, so parallel runs do not meet. */
    static String group() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "239.255." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    }

    /** An authenticated request, JSON body if any, as the configurator sends it. */
    static HttpResponse<String> send(String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN.bearer());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN.bearer())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String txConfig(VideoFormat f, String videoAddress, int videoPort, String metaAddress, int metaPort) {
        return """
                {"video": {"width": %d, "height": %d, "rate": "%s", "sampling": "YCbCr-4:2:2", "depth": %d,
                           "colorimetry": "BT709"},
                 "destination": {"video": {"address": "%s", "port": %d},
                                 "metadata": {"address": "%s", "port": %d}, "ttl": 1},
                 "sopClassUid": "1.2.840.10008.10.1",
                 "staticMetadata": {"00100010": {"vr": "PN", "Value": [{"Alphabetic": "DOE^JANE"}]},
                                    "00100020": {"vr": "LO", "Value": ["PID-77"]},
                                    "0020000D": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.8.498.77"]}}}
                """.formatted(
                        f.width(), f.height(), f.rate(), f.depth(), videoAddress, videoPort, metaAddress, metaPort);
    }

    /** Luma of Y4M frame k: flat frames the receiver side can recognise. */
    static int y4mLuma(int k) {
        return 200 + 120 * k;
    }

    /** A Y4M file of {@code frames} flat frames, luma {@link #y4mLuma}. */
    static Path y4m(Path dir, VideoFormat f, int frames) throws IOException {
        Path p = dir.resolve("hand-camera.y4m");
        try (Y4m.Writer w = new Y4m.Writer(p, f)) {
            ByteBuffer b = ByteBuffer.allocate(f.frameBytes());
            for (int k = 0; k < frames; k++) {
                Raster.fill(b, f, 0, 0, f.width(), f.height(), y4mLuma(k), 400, 600);
                w.write(b);
            }
        }
        return p;
    }
}
