package org.medsync.server.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.archive.ArchiveSettings;
import org.medsync.archive.keys.LocalKeyFile;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.EncryptedBlob;
import org.medsync.archive.vault.StagedBlob;
import org.medsync.archive.vault.Vault;
import org.medsync.library.database.Database;
import org.medsync.recorder.RecorderClient;
import org.medsync.recorder.Recording;
import org.medsync.server.NodeProcess;
import org.medsync.server.demo.DemoContent;
import org.medsync.testsupport.net.LoopbackPorts;

/**
 * The test: a recorder uploads in chunks, the server process is killed with SIGKILL mid-upload and started
 * again on the same data directory and database; the recorder resumes from the server's offset (at or past every byte
 * it was told was received), and the recording is accepted with the file's SHA-256 and every byte.
 *
 * <p>The upload is sealed as it arrives (encryption at rest is on by default): with requests of 1 MiB every PATCH
 * ends on a 64 KiB chunk boundary; with 1 MiB - 12 345 bytes every PATCH ends inside a chunk, whose bytes are only in
 * the sealed tail file when the server is killed.
 */
class RecorderKillTest {
    private static final int SIZE = 24 << 20;

    @ParameterizedTest(name = "requests of {0} bytes")
    @ValueSource(ints = {1 << 20, (1 << 20) - 12_345})
    void killDashNineMidUpload_resumesAndLosesNothing(int request) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-recorder-kill-");
        int dbPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dbPort = s.getLocalPort();
        }
        // The database outlives the killed MedSync process, as a production database server does.
        try (Database db = Database.start(Database.Settings.embedded(dir.resolve("postgres"), dbPort))) {
            Properties node = new Properties();
            node.setProperty("data.dir", dir.resolve("medsync").toString());
            node.setProperty("db.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
            node.setProperty("db.user", "postgres");
            node.setProperty(
                    "db.password",
                    Files.readString(Database.embeddedPasswordFile(dir.resolve("postgres")))
                            .trim());
            // The restarted server answers where the first did: the recorder's stored upload URL stays valid.
            node.setProperty("http.port", String.valueOf(LoopbackPorts.free()));

            byte[] content = new byte[SIZE];
            new Random(42).nextBytes(content);
            Path file = Files.write(dir.resolve("procedure.mp4"), content);
            String sha256 = RecorderTestFiles.sha256(content);

            NodeProcess first = NodeProcess.start(node);
            URI server = first.http();
            ArchiveAdmin admin = new ArchiveAdmin(login(server), server);
            admin.hospital("kill-hospital");
            String credential = admin.device("kill-or-1", "kill-hospital");

            AtomicLong acknowledged = new AtomicLong();
            AtomicLong resumedAt = new AtomicLong(-1);
            CountDownLatch third = new CountDownLatch(1);
            RecorderClient recorder = new RecorderClient(new RecorderClient.Settings(
                    server, credential, dir.resolve("recorder"), request, Duration.ofMinutes(4)));
            CompletableFuture<RecorderClient.Result> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return recorder.upload(
                            file,
                            Recording.startedAt(Instant.parse("2026-03-01T08:00:00Z")),
                            new RecorderClient.Progress() {
                                @Override
                                public void uploaded(long offset, long length) {
                                    // Each call ends one request (a chunk is a request here): the server answered it.
                                    acknowledged.set(offset);
                                    if (offset >= SIZE / 3) {
                                        third.countDown();
                                    }
                                }

                                @Override
                                public void resumed(long offset, long length) {
                                    resumedAt.set(offset);
                                }
                            });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(third.await(120, TimeUnit.SECONDS), "a third of the file went up");
            first.kill();
            long ackedBeforeKill = acknowledged.get();
            assertTrue(ackedBeforeKill < SIZE, "killed mid-upload");
            List<Path> staged;
            try (Stream<Path> parts = Files.list(dir.resolve("medsync/archive/uploads"))) {
                staged = parts.filter(p -> p.toString().endsWith(".part")).toList();
            }
            assertEquals(1, staged.size(), staged.toString());
            long onDisk = Files.size(staged.getFirst());
            long wholeChunks = ackedBeforeKill / EncryptedBlob.CHUNK;
            assertTrue(
                    onDisk >= EncryptedBlob.HEADER + wholeChunks * (EncryptedBlob.CHUNK + EncryptedBlob.TAG),
                    "acknowledged " + ackedBeforeKill + " but " + onDisk + " sealed on disk");
            Path tail = StagedBlob.tailOf(staged.getFirst());
            assertEquals(
                    request % EncryptedBlob.CHUNK != 0, Files.exists(tail), "a tail file iff a PATCH ended mid-chunk");

            try (NodeProcess second = NodeProcess.start(node)) {
                RecorderClient.Result result = upload.get(240, TimeUnit.SECONDS);
                assertTrue(
                        resumedAt.get() >= ackedBeforeKill,
                        "resumed at " + resumedAt.get() + ", before the " + ackedBeforeKill + " bytes acknowledged");
                assertEquals(sha256, result.sha256());
                try (Connection c = db.dataSource().getConnection();
                        PreparedStatement s = c.prepareStatement(
                                "select source_object, device_id, status from archive_recording where id = ?")) {
                    s.setString(1, result.recordingId());
                    try (ResultSet r = s.executeQuery()) {
                        assertTrue(r.next(), "the recording exists");
                        assertEquals(sha256, r.getString(1));
                        assertEquals("kill-or-1", r.getString(2));
                        assertEquals("uploaded", r.getString(3));
                    }
                }
                // The object rests encrypted: read it as the archive does, with the node's key file.
                Path archive = dir.resolve("medsync/archive");
                try (Vault vault = new Vault(
                                db.dataSource(),
                                new FileObjectStore(archive.resolve("objects")),
                                new LocalKeyFile(archive.resolve("keys").resolve(ArchiveSettings.DEFAULT_KEY_FILE)),
                                dir.resolve("vault-scratch"));
                        InputStream in = vault.open(sha256, 0, -1)) {
                    assertArrayEquals(content, in.readAllBytes(), "every byte, in order");
                }
                System.out.printf(
                        "kill -9 mid-upload: %d of %d bytes acknowledged before the kill, %d on disk, resumed at %d%n",
                        ackedBeforeKill, SIZE, onDisk, resumedAt.get());
                assertTrue(second.http().equals(server));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static HttpClient login(URI server) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(server.resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"admin\",\"password\":\"" + DemoContent.PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return client;
    }
}
