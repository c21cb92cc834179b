package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.MedSyncServer;
import org.medsync.server.config.ServerConfig;

/** `medsync archive fixity run` on a data directory with a second location: repairs, reports, exits 2 on loss. */
class ArchiveFixityCommandTest {
    private static Path dir;
    private static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-fixity-cli-");
        config = Files.writeString(
                dir.resolve("medsync.properties"),
                "data.dir=" + dir.resolve("data") + "\narchive.copy.store=file\narchive.copy.dir=" + dir.resolve("copy")
                        + "\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static ArchiveCommandTest.Run run(String... args) {
        return ArchiveCommandTest.run(args, config);
    }

    private static Path blobPath(Path root, String blob) {
        return root.resolve(blob.substring(0, 2)).resolve(blob.substring(2, 4)).resolve(blob);
    }

    @Test
    void aPass_repairsADamagedCopy_andReportsALostOne() throws Exception {
        byte[] content = new byte[80_000];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("a.bin"), content);
        String blob;
        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            // Encrypted at rest: the blob fixity checks is named by its ciphertext, not by the content.
            String object = server.archive().vault().put(file, "general").sha256();
            blob = server.archive().vault().find(object).orElseThrow().blob();
        }
        Path primary = blobPath(dir.resolve("data/archive/objects"), blob);
        Path copy = blobPath(dir.resolve("copy"), blob);
        byte[] sealed = Files.readAllBytes(primary);
        byte[] bad = sealed.clone();
        bad[40_000] ^= 0x10;
        Files.write(primary, bad);

        ArchiveCommandTest.Run repaired = run("archive", "fixity", "run");
        assertEquals(0, repaired.exit(), repaired.out() + repaired.err());
        assertTrue(
                repaired.out().contains("Checked 1 blobs")
                        && repaired.out().contains("1 copies damaged, 0 missing, 1 repaired, 0 lost"),
                repaired.out());
        assertTrue(repaired.out().contains("Integrity: ok"), repaired.out());
        assertArrayEquals(sealed, Files.readAllBytes(primary));

        Files.write(primary, bad);
        Files.delete(copy);
        ArchiveCommandTest.Run lost = run("archive", "fixity", "run");
        assertEquals(ArchiveFixityCommand.DEGRADED, lost.exit(), lost.out() + lost.err());
        assertTrue(lost.out().contains("LOST     " + blob + " at primary"), lost.out());
        assertTrue(lost.out().contains("LOST     " + blob + " at copy"), lost.out());
        assertTrue(lost.out().contains("Integrity: degraded (0 damaged, 0 missing, 2 lost)"), lost.out());
    }
}
