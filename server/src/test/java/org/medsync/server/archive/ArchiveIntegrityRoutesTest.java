package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.jobs.JobQueue;
import org.medsync.server.TestServer;

/**
 * The integrity admin route and /health on a server keeping copies in a second directory: a flipped byte is repaired
 * and listed, an object with no good copy is lost and turns /health "degraded".
 */
class ArchiveIntegrityRoutesTest {
    private static TestServer server;
    private static Path copyDir;

    @BeforeAll
    static void start() throws Exception {
        copyDir = Files.createTempDirectory(Path.of("/tmp"), "medsync-copy-");
        Properties p = new Properties();
        p.setProperty("archive.copy.store", "file");
        p.setProperty("archive.copy.dir", copyDir.toString());
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var walk = Files.walk(copyDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static Path blobPath(Path root, String blob) {
        return root.resolve(blob.substring(0, 2)).resolve(blob.substring(2, 4)).resolve(blob);
    }

    private static JsonNode health() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return ArchiveAdmin.JSON.readTree(r.body());
    }

    @Test
    void integrity_listsRepairedAndLostCopies_andHealthTurnsDegraded() throws Exception {
        JsonNode before = health();
        assertEquals("ok", before.at("/archive/integrity").asText(), before.toString());
        assertEquals("up", before.get("status").asText());

        Archive archive = server.server().archive();
        Path primaryDir = server.dataDir().resolve("archive").resolve("objects");
        Map<String, Path> blobs = new HashMap<>();
        for (String name : new String[] {"repaired", "lost"}) {
            byte[] b = new byte[50_000];
            new Random(name.hashCode()).nextBytes(b);
            Path file = Files.write(server.dataDir().resolve(name + ".bin"), b);
            blobs.put(name, file);
            // Encrypted at rest: the blob fixity checks is named by its ciphertext, not by the content.
            String object = archive.vault().put(file, "general").sha256();
            String blob = archive.vault().find(object).orElseThrow().blob();
            blobs.put(name + "-blob", Path.of(blob));
        }
        String repaired = blobs.get("repaired-blob").toString();
        String lost = blobs.get("lost-blob").toString();
        byte[] bad = Files.readAllBytes(blobPath(primaryDir, repaired));
        bad[99] ^= 0x40;
        Files.write(blobPath(primaryDir, repaired), bad);
        Files.delete(blobPath(primaryDir, lost));
        Files.delete(blobPath(copyDir, lost));

        // A round now (the node's own scheduler may have taken this interval's round already and queued them).
        archive.fixity().queueBatches();
        JobQueue jobs = archive.jobs();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jobs.counts().get("queued") + jobs.counts().get("running") > 0
                || archive.fixity().coverage().neverChecked() > 0) {
            assertTrue(System.nanoTime() < deadline, "fixity batches did not finish: " + jobs.counts());
            Thread.sleep(50);
        }

        ArchiveAdmin admin = new ArchiveAdmin(server.login("admin"), server.http());
        JsonNode integrity = admin.ok(admin.send("GET", "/api/archive/integrity", null), 200);
        assertEquals("degraded", integrity.get("status").asText(), integrity.toString());
        assertEquals(2, integrity.get("lost").asInt());
        assertEquals(0, integrity.get("damaged").asInt());
        assertEquals(2, integrity.get("locations").size());
        assertTrue(integrity.get("locations").get(1).asText().startsWith("copy: directory "));
        Map<String, String> states = new HashMap<>();
        for (JsonNode c : integrity.get("copies")) {
            states.put(
                    c.get("blob").asText() + "@" + c.get("location").asText(),
                    c.get("state").asText());
        }
        assertEquals(
                Map.of(repaired + "@primary", "repaired", lost + "@primary", "lost", lost + "@copy", "lost"), states);
        JsonNode run = integrity.get("runs").get(0);
        assertEquals(2, run.get("checked").asInt());
        assertEquals(1, run.get("damaged").asInt());
        assertEquals(2, run.get("missing").asInt());
        assertEquals(1, run.get("repaired").asInt());
        assertEquals(2, run.get("lost").asInt());
        assertTrue(run.get("node").asText().contains(":"), run.toString());
        assertEquals(2, integrity.at("/coverage/blobs").asInt());

        JsonNode after = health();
        assertEquals("degraded", after.get("status").asText(), after.toString());
        assertEquals("degraded", after.at("/archive/integrity").asText());
        assertEquals(2, after.at("/archive/lost").asInt());

        // Admins only: a clinician gets no list of the archive's blobs.
        ArchiveAdmin attending = new ArchiveAdmin(server.login("attending"), server.http());
        assertEquals(403, attending.send("GET", "/api/archive/integrity", null).statusCode());
    }
}
