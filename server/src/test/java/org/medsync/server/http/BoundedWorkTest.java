package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;

/** Bad input costs bounded work, seen from the HTTP API with the limits set in the configuration. */
class BoundedWorkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("dicom.max-inflation-ratio", "50");
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void deflateBombUploadIsRefusedAsADecompressionBombWithTheConfiguredLimit() throws Exception {
        byte[] bomb = deflatedZeros(1000, 1000, 100);
        assertTrue(bomb.length < 200_000, "100 MB of pixels in " + bomb.length + " bytes");
        HttpResponse<String> r = upload(server.login("resident"), "bomb.dcm", bomb);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(0, body.path("imported").asInt());
        JsonNode rejection = body.path("rejected").get(0);
        assertEquals("bomb.dcm", rejection.path("file").asText());
        assertEquals("decompression-bomb", rejection.path("reason").asText());
        assertTrue(
                rejection.path("message").asText().contains("more than 50 times (dicom.max-inflation-ratio)"),
                rejection.toString());
    }

    @Test
    void gzipRequestBodiesAreNotInflated() throws Exception {
        // A 1 KB gzip body that would inflate to 10 MB of JSON: the server reads it as the bytes it is.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(("{\"username\":\"attending\",\"password\":\"" + " ".repeat(10_000_000) + "\"}")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/session"))
                                .header("Content-Type", "application/json")
                                .header("Content-Encoding", "gzip")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("bad-json", JSON.readTree(r.body()).path("error").asText());
    }

    /** A Deflated Explicit VR Little Endian secondary capture of zeros: 100 MB of pixels deflate to ~100 KB. */
    private static byte[] deflatedZeros(int rows, int columns, int frames) throws Exception {
        AttributeList l = new AttributeList();
        String root = "1.2.826.0.1.3680043.9.7433.9." + (System.nanoTime() % 1_000_000);
        String[][] values = {
            {"SOPClassUID", "1.2.840.10008.5.1.4.1.1.7"},
            {"SOPInstanceUID", root + ".3"},
            {"StudyInstanceUID", root + ".1"},
            {"SeriesInstanceUID", root + ".2"},
            {"Modality", "OT"},
            {"PatientID", "BOMB-1"},
            {"SamplesPerPixel", "1"},
            {"PhotometricInterpretation", "MONOCHROME2"},
            {"NumberOfFrames", String.valueOf(frames)},
            {"Rows", String.valueOf(rows)},
            {"Columns", String.valueOf(columns)},
            {"BitsAllocated", "8"},
            {"BitsStored", "8"},
            {"HighBit", "7"},
            {"PixelRepresentation", "0"}
        };
        for (String[] kv : values) {
            l.putNewAttribute(AttributeList.getDictionary().getTagFromName(kv[0]))
                    .addValue(kv[1]);
        }
        OtherByteAttribute px = new OtherByteAttribute(TagFromName.PixelData);
        px.setValues(new byte[rows * columns * frames]);
        l.put(px);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.DeflatedExplicitVRLittleEndian, "TEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.write(out, TransferSyntax.DeflatedExplicitVRLittleEndian, true, true);
        return out.toByteArray();
    }

    private static HttpResponse<String> upload(HttpClient c, String name, byte[] file) throws Exception {
        String boundary = "test-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/library/uploads"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
