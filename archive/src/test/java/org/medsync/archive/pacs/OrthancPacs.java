package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.medsync.dicom.worklist.RemoteAe;
import org.medsync.testsupport.net.LoopbackPorts;

/** A real Orthanc PACS (Debian's, with its DICOMweb plugin) on free loopback ports: STOW-RS, C-STORE, retrieval. */
final class OrthancPacs implements AutoCloseable {
    static final String AE = "ORTHANC_PACS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path dir;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private OrthancPacs(Process process, Path dir, int httpPort, int dicomPort) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/Orthanc"))
                && Files.exists(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"));
    }

    static OrthancPacs start() throws Exception {
        Path dir = Files.createTempDirectory("medsync-orthanc-pacs-");
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
                  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
                  "DicomWeb": {"Enable": true, "Root": "/dicom-web/"}
                }
                """.formatted(dir, http, dicom, AE));
        Process p = new ProcessBuilder(
                        "/usr/sbin/Orthanc", dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile())
                .start();
        OrthancPacs o = new OrthancPacs(p, dir, http, dicom);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Orthanc exited: " + Files.readString(dir.resolve("orthanc.log")));
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

    URI rest(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    URI dicomWebRoot() {
        return rest("/dicom-web");
    }

    RemoteAe ae() {
        return new RemoteAe("127.0.0.1", dicomPort, AE, "MEDSYNC");
    }

    PacsDestination destination(String id) {
        return new PacsDestination(id, "Test PACS", dicomWebRoot(), null, null, Duration.ofSeconds(30), ae());
    }

    /** Orthanc's id of the instance with this SOP Instance UID, or null. */
    String instanceId(String sopInstanceUid) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(rest("/tools/lookup"))
                        .POST(HttpRequest.BodyPublishers.ofString(sopInstanceUid))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode n : JSON.readTree(r.body())) {
            if (n.path("Type").asText().equals("Instance")) {
                return n.path("ID").asText();
            }
        }
        return null;
    }

    /** The instance's Part 10 file exactly as Orthanc stored it. */
    byte[] file(String instanceId) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(rest("/instances/" + instanceId + "/file"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Orthanc answered " + r.statusCode());
        }
        return r.body();
    }

    /** A WADO-RS retrieve of one instance in its stored transfer syntax: the Content-Type and the body. */
    HttpResponse<byte[]> wado(String study, String series, String sop) throws Exception {
        return http.send(
                HttpRequest.newBuilder(rest("/dicom-web/studies/" + study + "/series/" + series + "/instances/" + sop))
                        .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode tags(String instanceId) throws Exception {
        return JSON.readTree(http.send(
                        HttpRequest.newBuilder(rest("/instances/" + instanceId + "/simplified-tags"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    String log() throws IOException {
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
