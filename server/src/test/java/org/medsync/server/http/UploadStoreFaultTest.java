package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.Uploads;
import org.medsync.testsupport.part10.Variants;

/** A fault of the server's own store is the server's error (507 store-unavailable), never the upload's. */
class UploadStoreFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void storeFailureIsAServerErrorNotTheUploadsFault() throws Exception {
        // The staging directory vanishes, as a disk that fills or goes read-only refuses it (root ignores modes).
        List<Path> staging;
        try (Stream<Path> walk = Files.walk(server.dataDir())) {
            staging = walk.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals(".incoming"))
                    .filter(Files::isDirectory)
                    .toList();
        }
        assertFalse(staging.isEmpty(), "no staging directory under " + server.dataDir());
        for (Path d : staging) {
            Files.delete(d);
        }
        long before = server.server().library().index().countInstances();
        HttpResponse<String> r = Uploads.post(
                server.login("resident"), server.http(), Map.of("ct.dcm", Files.readAllBytes(Variants.CT_SMALL)));
        assertEquals(507, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("store-unavailable", body.path("error").asText(), r.body());
        assertFalse(body.has("rejected"), "the upload was blamed: " + r.body());
        assertTrue(body.path("message").asText().contains("cannot create a staging file"), r.body());
        assertFalse(r.body().contains(server.dataDir().toString()), "the answer names a path: " + r.body());
        assertEquals(before, server.server().library().index().countInstances());
    }
}
