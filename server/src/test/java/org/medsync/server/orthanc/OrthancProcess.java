package org.medsync.server.orthanc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.medsync.testsupport.net.LoopbackPorts;

/** A real Orthanc PACS (Debian's, with its DICOMweb plugin) on free loopback ports, for one test class. */
final class OrthancProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int httpPort;

    private OrthancProcess(Process process, Path dir, int httpPort) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/Orthanc"))
                && Files.exists(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"));
    }

    static OrthancProcess start() throws Exception {
        Path dir = Files.createTempDirectory("medsync-orthanc-");
        int http = LoopbackPorts.free();
        int dicom = LoopbackPorts.free();
        Files.writeString(dir.resolve("orthanc.json"), """
                {
                  "Name": "MedSyncTestPACS",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/storage",
                  "HttpPort": %2$d,
                  "DicomPort": %3$d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
                  "DicomWeb": {"Enable": true, "Root": "/dicom-web/", "StudiesMetadata": "Full", "SeriesMetadata": "Full"}
                }
                """.formatted(dir, http, dicom));
        Process p = new ProcessBuilder(
                        "/usr/sbin/Orthanc", dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile())
                .start();
        OrthancProcess o = new OrthancProcess(p, dir, http);
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Orthanc exited: " + Files.readString(dir.resolve("orthanc.log")));
            }
            try {
                if (c.send(HttpRequest.newBuilder(o.rest("/system")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return o;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        o.close();
        throw new IllegalStateException("Orthanc did not start within 30 s");
    }

    URI rest(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    URI dicomWebRoot() {
        return rest("/dicom-web");
    }

    /** Stores a Part 10 file through Orthanc's REST API. */
    void store(Path file) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(rest("/instances"))
                                .POST(HttpRequest.BodyPublishers.ofFile(file))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Orthanc refused " + file + ": " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
