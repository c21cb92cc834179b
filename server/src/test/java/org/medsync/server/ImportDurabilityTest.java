package org.medsync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.TagFromName;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medsync.library.database.Database;
import org.medsync.library.store.InstanceStore;
import org.medsync.server.demo.DemoContent;
import org.medsync.testsupport.part10.Variants;

/**
 * A server process killed with SIGKILL while uploads stream in, then started again on the same store and
 * database: every index row has its whole file (the bytes that were uploaded), every upload that was answered
 * 2xx is there, and the partial files of the killed process are gone.
 */
class ImportDurabilityTest {
    private static final int FILES = 400;
    private static final int PER_UPLOAD = 4;
    private static final int UPLOADERS = 3;
    private static final int KILLS = 2;

    @Test
    void killDuringImportLeavesWholeInstanceOrNothing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-kill-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        // The database is a server of its own, as in production: it outlives the MedSync process that is killed.
        try (Database db = Database.start(Database.Settings.embedded(dir.resolve("postgres"), dbPort))) {
            Properties node = new Properties();
            node.setProperty("data.dir", dir.resolve("medsync").toString());
            node.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
            node.setProperty("db.user", "postgres");
            node.setProperty(
                    "db.password",
                    Files.readString(Database.embeddedPasswordFile(dir.resolve("postgres")))
                            .trim());

            Map<String, byte[]> files = distinctInstances(dir.resolve("upload"));
            Map<String, String> sha256BySop = new HashMap<>();
            for (var f : files.entrySet()) {
                sha256BySop.put(
                        f.getKey(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(f.getValue())));
            }
            List<String> queue = new ArrayList<>(files.keySet());
            AtomicInteger next = new AtomicInteger();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            for (int kill = 0; kill < KILLS; kill++) {
                NodeProcess n = NodeProcess.start(node);
                int before = acknowledged.size();
                List<Thread> uploaders = new ArrayList<>();
                for (int u = 0; u < UPLOADERS; u++) {
                    HttpClient client = login(n.http());
                    uploaders.add(Thread.ofPlatform()
                            .start(() -> uploadUntilRefused(client, n.http(), files, queue, next, acknowledged)));
                }
                // Somewhere in the middle of the stream, at a moment nobody chose.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (acknowledged.size() < before + 8 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 250));
                n.kill();
                for (Thread t : uploaders) {
                    t.join(Duration.ofSeconds(60));
                }
                assertTrue(acknowledged.size() > before, "uploads were answered before the kill");
            }

            try (NodeProcess _ = NodeProcess.start(node)) {
                int rows = 0;
                try (Connection c = db.dataSource().getConnection();
                        Statement s = c.createStatement();
                        ResultSet rs =
                                s.executeQuery("select sop_uid, file_path, content_sha256, file_size from instance")) {
                    while (rs.next()) {
                        rows++;
                        Path file = Path.of(rs.getString(2));
                        assertTrue(Files.isRegularFile(file), "a row points to a missing file");
                        String stored = HexFormat.of().formatHex(InstanceStore.sha256Of(file));
                        assertEquals(
                                HexFormat.of().formatHex(rs.getBytes(3)),
                                stored,
                                "a row's file is not the file it indexed");
                        assertEquals(
                                sha256BySop.get(rs.getString(1)), stored, "a stored file is not what was uploaded");
                        assertEquals(rs.getLong(4), Files.size(file));
                    }
                }
                Set<String> indexed = ConcurrentHashMap.newKeySet();
                try (Connection c = db.dataSource().getConnection();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select sop_uid from instance")) {
                    while (rs.next()) {
                        indexed.add(rs.getString(1));
                    }
                }
                assertTrue(indexed.containsAll(acknowledged), "an upload answered 2xx is missing after the kill");
                // The killed processes' staging directories were swept at the start; only the live one's is left.
                try (Stream<Path> incoming = Files.list(dir.resolve("medsync/studies/.incoming"))) {
                    List<Path> left = incoming.toList();
                    assertEquals(2, left.size(), "staging left behind: " + left);
                }
                try (Stream<Path> parts = Files.walk(dir.resolve("medsync/studies/.incoming"))) {
                    assertEquals(
                            List.of(),
                            parts.filter(p -> p.toString().endsWith(".part")).toList());
                }
                System.out.printf(
                        "kill -9 during import: %d uploads of %d files answered 2xx, %d instances indexed, all whole%n",
                        acknowledged.size() / PER_UPLOAD, PER_UPLOAD, rows);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Uploads the next files of the queue, {@link #PER_UPLOAD} at a time, until the server stops answering. */
    private static void uploadUntilRefused(
            HttpClient client,
            URI server,
            Map<String, byte[]> files,
            List<String> queue,
            AtomicInteger next,
            Set<String> acknowledged) {
        while (true) {
            int from = next.getAndAdd(PER_UPLOAD);
            if (from >= queue.size()) {
                return;
            }
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (String sop : queue.subList(from, Math.min(queue.size(), from + PER_UPLOAD))) {
                batch.put(sop + ".dcm", files.get(sop));
            }
            try {
                HttpResponse<String> r = Uploads.post(client, server, batch);
                if (r.statusCode() / 100 != 2) {
                    throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
                }
                batch.keySet().forEach(name -> acknowledged.add(name.substring(0, name.length() - 4)));
            } catch (java.io.IOException e) {
                return; // the server was killed: this batch was never acknowledged, it may or may not be there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** {@link #FILES} copies of a real CT slice, each a distinct instance (own SOP Instance UID and bytes). */
    private static Map<String, byte[]> distinctInstances(Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 1; i <= FILES; i++) {
            String sop = "2.25.4242" + i;
            Path f = Variants.of(
                    Variants.CT_SMALL,
                    dir.resolve(i + ".dcm"),
                    Map.of(TagFromName.SOPInstanceUID, sop, TagFromName.InstanceNumber, String.valueOf(i)));
            out.put(sop, Files.readAllBytes(f));
        }
        return out;
    }

    private static HttpClient login(URI server) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(server.resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .header("Origin", server.getScheme() + "://" + server.getAuthority())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"resident\",\"password\":\"" + DemoContent.PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return client;
    }
}
