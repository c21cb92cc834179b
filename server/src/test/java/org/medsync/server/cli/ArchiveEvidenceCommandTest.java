package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.server.MedSyncServer;
import org.medsync.server.cli.ArchiveCommandTest.Run;
import org.medsync.server.config.ServerConfig;

/**
 * `medsync archive audit verify|export`, `archive export` and `archive export-key` against a real data directory;
 * the package is verified by Debian's openssl with the key the command prints.
 */
class ArchiveEvidenceCommandTest {
    private static Path dir;
    private static Path config;
    private static String recordingId;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-evidence-cli-");
        config = Files.writeString(dir.resolve("medsync.properties"), "data.dir=" + dir.resolve("data") + "\n");
        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            Archive archive = server.archive();
            archive.hospitals().save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
            Path file = Files.write(dir.resolve("clip.mp4"), new byte[] {1, 2, 3, 4, 5});
            var stored = archive.vault().put(file, "north");
            Recording r = archive.recordings()
                    .create(
                            new Recording.Declared(
                                    "north",
                                    "OR 1",
                                    null,
                                    "Dr Test",
                                    "surgeon",
                                    "test",
                                    null,
                                    null,
                                    null,
                                    null,
                                    Instant.parse("2026-12-01T08:00:00Z"),
                                    "test",
                                    "clip.mp4"),
                            stored.sha256(),
                            stored.size(),
                            "video/mp4");
            recordingId = r.id();
            for (String action : List.of("view", "play", "download")) {
                archive.accessLog().append("dr-a", AccessLog.ActorKind.USER, r.id(), action, true, null);
            }
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Run run(String... args) {
        return ArchiveCommandTest.run(args, config);
    }

    @Test
    void verifyExportAndAPackageOpensslAccepts() throws Exception {
        Run ok = run("archive", "audit", "verify");
        assertEquals(0, ok.exit(), ok.err());
        // (the server's log also goes to standard output)
        assertTrue(ok.out().lines().anyMatch(l -> l.matches("OK 3 entries, head [0-9a-f]{64}")), ok.out());

        Path zip = dir.resolve("court.zip");
        Run exported = run(
                "archive",
                "export",
                "--recording",
                recordingId,
                "--recipient",
                "Court of Appeal, case 9",
                "--reason",
                "order of 2026-12-01",
                "--out",
                zip.toString());
        assertEquals(0, exported.exit(), exported.err());
        Run refused = run(
                "archive",
                "export",
                "--recording",
                recordingId,
                "--recipient",
                "x",
                "--reason",
                "y",
                "--out",
                zip.toString());
        assertEquals(1, refused.exit(), "an existing file is not overwritten");

        Run key = run("archive", "export-key");
        assertEquals(0, key.exit(), key.err());
        String printed = key.out().substring(key.out().indexOf("-----BEGIN PUBLIC KEY-----"));
        Path pem = Files.writeString(dir.resolve("published-key.pem"), printed);
        Path unzipped = Files.createDirectories(dir.resolve("court"));
        assertEquals(0, exec(unzipped, "unzip", "-q", zip.toString()).exit());
        Run verified = exec(
                unzipped,
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                pem.toString(),
                "-signature",
                "manifest.sha256.sig",
                "manifest.sha256");
        assertEquals("Verified OK", verified.out().strip());
        assertEquals(
                0,
                exec(unzipped, "sha256sum", "--quiet", "-c", "manifest.sha256").exit());

        Path xml = dir.resolve("audit.xml");
        Run audit = run("archive", "audit", "export", "--recording", recordingId, "--out", xml.toString());
        assertEquals(0, audit.exit(), audit.err());
        assertEquals(
                4,
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(xml.toFile())
                        .getElementsByTagName("AuditMessage")
                        .getLength(),
                "3 accesses and the export");
        assertEquals(1, run("archive", "audit", "export", "--from", "soon").exit());

        // A row deleted in SQL: the next one is named, with exit code 2.
        long next;
        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            var entries = server.archive().audit().entries(recordingId, null, null);
            next = entries.get(2).id();
            try (Connection c = server.archive().dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("delete from archive_access where id = "
                        + entries.get(1).id());
            }
        }
        Run broken = run("archive", "audit", "verify");
        assertEquals(ArchiveAuditCommand.BROKEN, broken.exit(), broken.out() + broken.err());
        String expected = "BROKEN at id " + next + ", seq 3: gap";
        assertTrue(broken.out().lines().anyMatch(l -> l.startsWith(expected)), broken.out());
    }

    private static Run exec(Path in, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(in.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }
}
