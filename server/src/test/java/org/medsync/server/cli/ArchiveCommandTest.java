package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.archive.catalog.Devices;
import org.medsync.server.MedSyncServer;
import org.medsync.server.config.ServerConfig;
import picocli.CommandLine;

/** `medsync archive ...` against a real data directory: what the commands print and what they store. */
class ArchiveCommandTest {
    private static Path dir;
    private static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-archive-cli-");
        config = Files.writeString(dir.resolve("medsync.properties"), "data.dir=" + dir.resolve("data") + "\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        return run(args, config);
    }

    /** Runs the command line with {@code --config file}, capturing what it prints. */
    static Run run(String[] args, Path configFile) {
        return execute(Stream.concat(Stream.of(args), Stream.of("--config", configFile.toString()))
                .toArray(String[]::new));
    }

    /** Runs the command line as given, capturing what it prints; a failure prints "medsync: <message>" and exits 1. */
    static Run execute(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Main())
                    .setErr(new PrintWriter(err, true))
                    .setExecutionExceptionHandler((e, cmd, parsed) -> {
                        cmd.getErr().println("medsync: " + e.getMessage());
                        return 1;
                    })
                    .execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void anatomicRegions_addListRemove() throws Exception {
        assertEquals(
                0,
                run("archive", "hospital", "add", "region-hospital", "--name", "Region Hospital")
                        .exit());
        Run added = run(
                "archive",
                "anatomic-region",
                "add",
                "region-hospital",
                "Cholecystectomy",
                "28231008",
                "Gallbladder structure");
        assertEquals(0, added.exit(), added.err());
        Run listed = run("archive", "anatomic-region", "list", "region-hospital");
        assertTrue(listed.out().contains("cholecystectomy"), listed.out());
        assertTrue(listed.out().contains("SCT 28231008 Gallbladder structure"), listed.out());
        Run bad = run("archive", "anatomic-region", "add", "region-hospital", "x", "1 2", "y");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("code value"), bad.err());
        assertEquals(
                0,
                run("archive", "anatomic-region", "remove", "region-hospital", "cholecystectomy")
                        .exit());
        assertFalse(run("archive", "anatomic-region", "list", "region-hospital")
                .out()
                .contains("cholecystectomy"));
    }

    @Test
    void hospitalsMembersDevices_endToEnd() throws Exception {
        Run added = run(
                "archive",
                "hospital",
                "add",
                "cli-hospital",
                "--name",
                "CLI Hospital",
                "--master-policy",
                "h264-422",
                "--anonymize-region",
                "0,0,1,0.08");
        assertEquals(0, added.exit(), added.err());
        Run badRegion = run("archive", "hospital", "add", "x", "--name", "X", "--anonymize-region", "0,0,2");
        assertEquals(1, badRegion.exit());
        assertTrue(badRegion.err().contains("X,Y,W,H"), badRegion.err());

        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            server.accounts().create("cli-doc", "Dr CLI", org.medsync.server.auth.Role.ATTENDING, "long-enough-pw");
        }
        assertEquals(
                0, run("archive", "member", "add", "cli-hospital", "cli-doc").exit());
        Run noUser = run("archive", "member", "add", "cli-hospital", "nobody");
        assertEquals(1, noUser.exit());
        assertTrue(noUser.err().contains("no user 'nobody'"), noUser.err());
        Run list = run("archive", "hospital", "list");
        assertTrue(
                list.out().contains("cli-hospital")
                        && list.out().contains("h264-422")
                        && list.out().contains("cli-doc"),
                list.out());

        Run printed = run(
                "archive",
                "device",
                "add",
                "--hospital",
                "cli-hospital",
                "--operating-room",
                "OR 5",
                "--id",
                "cli-or-5");
        assertEquals(0, printed.exit(), printed.err());
        String credential = printed.out()
                .lines()
                .filter(l -> l.startsWith("msd_"))
                .findFirst()
                .orElseThrow();
        assertTrue(credential.matches("msd_cli-or-5_[A-Za-z0-9_-]{43}"), credential);

        Path file = dir.resolve("or-6.credential");
        Run toFile = run(
                "archive",
                "device",
                "add",
                "--hospital",
                "cli-hospital",
                "--operating-room",
                "OR 6",
                "--id",
                "cli-or-6",
                "--credential-file",
                file.toString());
        assertEquals(0, toFile.exit(), toFile.err());
        assertFalse(toFile.out().contains("msd_"), "written to the file, not printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String written = Files.readString(file).trim();
        assertTrue(written.startsWith("msd_cli-or-6_"), written);

        Run devices = run("archive", "device", "list", "--hospital", "cli-hospital");
        assertTrue(devices.out().contains("cli-or-5") && devices.out().contains("cli-or-6"), devices.out());
        assertFalse(devices.out().contains(credential.substring(13)), "credentials are never listed");

        assertEquals(0, run("archive", "device", "revoke", "cli-or-6").exit());
        assertTrue(run("archive", "device", "list").out().contains("REVOKED"));
        assertEquals(1, run("archive", "device", "revoke", "no-such").exit());
        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            Devices d = server.archive().devices();
            assertTrue(d.verify(credential).isPresent());
            assertTrue(d.verify(written).isEmpty(), "revoked");
            assertTrue(d.find("cli-or-6").orElseThrow().revokedBy().startsWith("cli:"));
        }
    }
}
