package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.medsync.dicom.worklist.RemoteAe;
import org.medsync.testsupport.orthanc.OrthancServer;

/** The test PACS as the archive sees it: a destination to send to, and the retrievals that check what arrived. */
final class OrthancPacs implements AutoCloseable {
    static final String AE = "ORTHANC_PACS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrthancServer orthanc;

    private OrthancPacs(OrthancServer orthanc) {
        this.orthanc = orthanc;
    }

    static boolean installed() {
        return OrthancServer.installed();
    }

    static OrthancPacs start() throws Exception {
        return new OrthancPacs(OrthancServer.start(AE));
    }

    URI dicomWebRoot() {
        return orthanc.dicomWebRoot();
    }

    RemoteAe ae() {
        return new RemoteAe("127.0.0.1", orthanc.dicomPort(), AE, "MEDSYNC");
    }

    PacsDestination destination(String id) {
        return new PacsDestination(id, "Test PACS", dicomWebRoot(), null, null, Duration.ofSeconds(30), ae());
    }

    /** Orthanc's id of the instance with this SOP Instance UID, or null. */
    String instanceId(String sopInstanceUid) throws Exception {
        HttpResponse<String> r = orthanc.http()
                .send(
                        HttpRequest.newBuilder(orthanc.rest("/tools/lookup"))
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
        HttpResponse<byte[]> r = orthanc.http()
                .send(
                        HttpRequest.newBuilder(orthanc.rest("/instances/" + instanceId + "/file"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Orthanc answered " + r.statusCode());
        }
        return r.body();
    }

    /** A WADO-RS retrieve of one instance in its stored transfer syntax: the Content-Type and the body. */
    HttpResponse<byte[]> wado(String study, String series, String sop) throws Exception {
        return orthanc.http()
                .send(
                        HttpRequest.newBuilder(orthanc.rest(
                                        "/dicom-web/studies/" + study + "/series/" + series + "/instances/" + sop))
                                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode tags(String instanceId) throws Exception {
        return JSON.readTree(orthanc.http()
                .send(
                        HttpRequest.newBuilder(orthanc.rest("/instances/" + instanceId + "/simplified-tags"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    String log() throws IOException {
        return orthanc.log();
    }

    @Override
    public void close() throws IOException {
        orthanc.close();
    }
}
