package org.medsync.testsupport.orthanc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.medsync.testsupport.net.LoopbackPorts;

/**
 * A real Orthanc PACS (Debian's, with its DICOMweb plugin) on free loopback ports, for one test class: DICOMweb
 * (QIDO, WADO, STOW with full metadata), C-STORE at {@link #aeTitle()}, and Orthanc's own REST API.
 */
public final class OrthancServer implements AutoCloseable {
    private static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    private static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    private final Process process;
    private final Path dir;
    private final int httpPort;
    private final int dicomPort;
    private final String aeTitle;
    private final HttpClient http = HttpClient.newHttpClient();

    private OrthancServer(Process process, Path dir, int httpPort, int dicomPort, String aeTitle) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.aeTitle = aeTitle;
    }

    /** Whether Orthanc and its DICOMweb plugin are installed (scripts/setup installs them). */
    public static boolean installed() {
        return Files.isExecutable(ORTHANC) && Files.exists(DICOMWEB_PLUGIN);
    }

    /** Starts Orthanc with this AE title and waits (at most 30 s) until its REST API answers. */
    public static OrthancServer start(String aeTitle) throws Exception {
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
                  "DicomAet": "%4$s",
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "Plugins": ["%5$s"],
                  "DicomWeb": {"Enable": true, "Root": "/dicom-web/", "StudiesMetadata": "Full", "SeriesMetadata": "Full"}
                }
                """.formatted(dir, http, dicom, aeTitle, DICOMWEB_PLUGIN));
        Process p = new ProcessBuilder(
                        ORTHANC.toString(), dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile())
                .start();
        OrthancServer o = new OrthancServer(p, dir, http, dicom, aeTitle);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Orthanc exited: " + o.log());
            }
            try {
                if (o.http.send(
                                        HttpRequest.newBuilder(o.rest("/system"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
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

    /** A URI of Orthanc's REST API. */
    public URI rest(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public URI dicomWebRoot() {
        return rest("/dicom-web");
    }

    public int dicomPort() {
        return dicomPort;
    }

    public String aeTitle() {
        return aeTitle;
    }

    /** A client for the REST API, shared by the caller's requests. */
    public HttpClient http() {
        return http;
    }

    /** Stores a Part 10 file through Orthanc's REST API. */
    public void store(Path file) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(rest("/instances"))
                        .POST(HttpRequest.BodyPublishers.ofFile(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Orthanc refused " + file + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** What Orthanc logged, for a failing test's message. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("orthanc.log"));
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
