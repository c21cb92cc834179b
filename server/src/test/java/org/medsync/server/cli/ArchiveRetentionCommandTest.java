package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Recording;
import org.medsync.server.MedSyncServer;
import org.medsync.server.config.ServerConfig;

/** `medsync archive hold ...` and `medsync archive retention ...` against a real data directory. */
class ArchiveRetentionCommandTest {
    private static final String PATIENT = "PID-CLI-77";
    private static Path dir;
    private static Path config;

    @Test
    void policyVisitHoldReport_endToEnd() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-retention-cli-");
        config = Files.writeString(dir.resolve("medsync.properties"), "data.dir=" + dir.resolve("data") + "\n");
        try {
            String recording = seed();
            var policy = run(
                    "archive", "retention", "policy", "--hospital", "cli-ret", "--years", "1", "--anchor", "recording");
            assertEquals(0, policy.exit(), policy.err());
            var policies = run("archive", "retention", "policies");
            assertTrue(policies.out().contains("(default)"), policies.out());
            assertTrue(policies.out().contains("cli-ret"), policies.out());

            var visit = run(
                    "archive",
                    "retention",
                    "visit",
                    "--hospital",
                    "cli-ret",
                    "--patient",
                    PATIENT,
                    "--date",
                    "2021-05-01");
            assertEquals(0, visit.exit(), visit.err());
            assertFalse(visit.out().contains(PATIENT), "the patient id is not echoed: " + visit.out());

            var noReason = run("archive", "hold", "place", "--recording", recording);
            assertNotEquals(0, noReason.exit(), "a hold needs --reason");
            var placed = run(
                    "archive", "hold", "place", "--hospital", "cli-ret", "--patient", PATIENT, "--reason", "claim 44");
            assertEquals(0, placed.exit(), placed.err());
            Matcher m = Pattern.compile("Placed hold (\\S+) \\(patient\\); it covers 1 recording")
                    .matcher(placed.out());
            assertTrue(m.find(), placed.out());
            String hold = m.group(1);

            var show = run("archive", "retention", "show", recording);
            assertTrue(show.out().contains("Retained until: 2021-01-11T00:00:00Z"), show.out());
            assertTrue(show.out().contains(hold), show.out());

            var run = run("archive", "retention", "run");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("1 expired, 0 deleted, 1 held"), run.out());
            var report = run("archive", "retention", "report");
            assertTrue(report.out().contains("RUN"), report.out());
            Matcher r = Pattern.compile("(?m)^(\\d+)\\s").matcher(report.out());
            assertTrue(r.find(), report.out());
            var items = run("archive", "retention", "report", "--run", r.group(1));
            assertTrue(items.out().contains(recording + " ") && items.out().contains("held"), items.out());

            var lift = run("archive", "hold", "lift", hold, "--reason", "claim withdrawn");
            assertEquals(0, lift.exit(), lift.err());
            var list = run("archive", "hold", "list", "--all");
            assertTrue(list.out().contains("claim withdrawn"), list.out());
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ArchiveCommandTest.Run run(String... args) {
        return ArchiveCommandTest.run(args, config);
    }

    private static String seed() throws Exception {
        try (MedSyncServer server = MedSyncServer.open(ServerConfig.load(config, Map.of()))) {
            var archive = server.archive();
            archive.hospitals().save(new Hospital("cli-ret", "CLI", Hospital.MasterPolicy.KEEP, 45, List.of()));
            Path f = Files.writeString(config.resolveSibling("src.bin"), "video bytes");
            var o = archive.vault().put(f, "cli-ret");
            Recording r = archive.recordings()
                    .create(
                            new Recording.Declared(
                                    "cli-ret",
                                    "OR 1",
                                    null,
                                    "Dr",
                                    "attending",
                                    "Hernia",
                                    "ACC-1",
                                    null,
                                    PATIENT,
                                    "Doe^J",
                                    Instant.parse("2020-01-10T08:00:00Z"),
                                    "t",
                                    "a.mp4"),
                            o.sha256(),
                            o.size(),
                            "video/mp4");
            return r.id();
        }
    }
}
