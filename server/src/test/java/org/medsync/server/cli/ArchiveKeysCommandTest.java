package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.store.FileObjectStore;
import org.medsync.archive.vault.Vault;
import org.medsync.server.MedSyncServer;
import org.medsync.server.cli.ArchiveCommandTest.Run;
import org.medsync.server.config.ServerConfig;

/** `medsync archive keys ...` against a real data directory: rotation, retirement, encryption of clear objects. */
class ArchiveKeysCommandTest {
    private static Path dir;
    private static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-archive-keys-cli-");
        config = Files.writeString(dir.resolve("medsync.properties"), "data.dir=" + dir.resolve("data") + "\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Run run(String... args) {
        return ArchiveCommandTest.run(args, config);
    }

    @Test
    void rotateThenRetire_blobUntouched_stillReadable_andAudited() throws Exception {
        assertEquals(
                0,
                run("archive", "hospital", "add", "keys-hospital", "--name", "Keys")
                        .exit());
        byte[] content = "a recording's bytes, in the clear only through the vault".getBytes();
        Path source = Files.write(dir.resolve("content.bin"), content);
        String sha;
        byte[] blobBefore;
        try (MedSyncServer server = open()) {
            Vault vault = server.archive().vault();
            sha = vault.put(source, "keys-hospital").sha256();
            blobBefore = blob(vault, sha);
        }
        Run rotated = run("archive", "keys", "rotate", "--hospital", "keys-hospital");
        assertEquals(0, rotated.exit(), rotated.err());
        assertTrue(rotated.out().contains("key v2 is current; 1 data keys re-wrapped"), rotated.out());
        Run list = run("archive", "keys", "list", "--hospital", "keys-hospital");
        assertTrue(
                list.out().matches("(?s).*v1 +old .*wraps 0 data keys.*v2 +current .*wraps 1 data keys.*"), list.out());

        Run retired = run("archive", "keys", "retire", "--hospital", "keys-hospital", "v1");
        assertEquals(0, retired.exit(), retired.err());
        Run again = run("archive", "keys", "retire", "--hospital", "keys-hospital", "v2");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("still wraps 1 data keys"), again.err());
        Run unknown = run("archive", "keys", "rotate", "--hospital", "no-such-hospital");
        assertEquals(1, unknown.exit());

        try (MedSyncServer server = open()) {
            Vault vault = server.archive().vault();
            assertArrayEquals(blobBefore, blob(vault, sha), "rotation rewrote no blob");
            try (InputStream in = vault.open(sha, 0, -1)) {
                assertArrayEquals(content, in.readAllBytes(), "readable with v1 destroyed");
            }
            List<AccessLog.Entry> log = server.archive().accessLog().latest(20);
            assertTrue(
                    log.stream()
                            .anyMatch(e -> e.action().equals("key-rotate")
                                    && e.detail().contains("keys-hospital")
                                    && e.actor().startsWith("cli:")),
                    log.toString());
            assertTrue(log.stream().anyMatch(e -> e.action().equals("key-retire")), log.toString());
        }
    }

    @Test
    void encryptExisting_encryptsWhatARecordingUses_andDeletesTheClearBlob() throws Exception {
        assertEquals(
                0,
                run("archive", "hospital", "add", "legacy-hospital", "--name", "Legacy")
                        .exit());
        byte[] content = "stored before encryption at rest".getBytes();
        Path source = Files.write(dir.resolve("legacy.bin"), content);
        String sha;
        try (MedSyncServer server = open()) {
            try (Vault clear =
                    new Vault(server.dataSource(), new FileObjectStore(dir.resolve("data/archive/objects")))) {
                sha = clear.put(source, "legacy-hospital").sha256();
            }
            server.archive()
                    .recordings()
                    .create(
                            new Recording.Declared(
                                    "legacy-hospital",
                                    "OR 1",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    Instant.parse("2020-01-01T08:00:00Z"),
                                    "legacy",
                                    "legacy.bin"),
                            sha,
                            content.length,
                            "application/octet-stream");
            assertEquals(
                    "none", server.archive().vault().find(sha).orElseThrow().cipher());
        }
        Run done = run("archive", "keys", "encrypt-existing");
        assertEquals(0, done.exit(), done.err());
        assertTrue(done.out().contains("Encrypted 1 objects;"), done.out());
        try (MedSyncServer server = open()) {
            Vault vault = server.archive().vault();
            assertEquals("aes-256-gcm", vault.find(sha).orElseThrow().cipher());
            assertTrue(vault.store().size(sha).isEmpty(), "the clear blob is gone");
            try (InputStream in = vault.open(sha, 0, -1)) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    private static MedSyncServer open() throws Exception {
        return MedSyncServer.open(ServerConfig.load(config, Map.of()));
    }

    private static byte[] blob(Vault vault, String sha) throws Exception {
        try (InputStream in = vault.store().open(vault.find(sha).orElseThrow().blob(), 0, -1)) {
            return in.readAllBytes();
        }
    }
}
