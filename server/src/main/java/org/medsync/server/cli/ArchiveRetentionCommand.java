package org.medsync.server.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.retention.Retention;
import org.medsync.archive.retention.RetentionExpiry;
import org.medsync.archive.retention.RetentionPolicies;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Retention policies, visits, a recording's retention and the expiry reports (docs/archive.md "Operations"). */
@Command(
        name = "retention",
        description = "Retention policies, patients' visits, and the daily expiry job's reports.",
        subcommands = {
            ArchiveRetentionCommand.Policy.class,
            ArchiveRetentionCommand.Policies.class,
            ArchiveRetentionCommand.Visit.class,
            ArchiveRetentionCommand.Show.class,
            ArchiveRetentionCommand.Report.class,
            ArchiveRetentionCommand.Run.class
        })
final class ArchiveRetentionCommand {
    @Command(
            name = "policy",
            description = "Set the policy of a hospital (or the default without --hospital), optionally for one"
                    + " procedure.")
    static final class Policy implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--hospital", description = "default: the policy of hospitals without one")
        String hospital;

        @Option(names = "--procedure", description = "only recordings of this procedure (case-insensitive)")
        String procedure;

        @Option(names = "--years", required = true)
        int years;

        @Option(names = "--anchor", defaultValue = "last-visit", description = "last-visit or recording")
        String anchor;

        @Option(names = "--note", description = "the legal basis, for whoever reads it later")
        String note;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                RetentionPolicies policies = server.archive().retention().policies();
                RetentionPolicies.Policy p = policies.set(
                        hospital, procedure, years, RetentionPolicies.Anchor.of(anchor), note, ArchiveCommand.actor());
                System.out.println("Set " + p.scope() + ": " + p.years() + " years from "
                        + p.anchor().code());
                return 0;
            }
        }
    }

    @Command(name = "policies", description = "List the retention policies.")
    static final class Policies implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                for (RetentionPolicies.Policy p :
                        server.archive().retention().policies().all()) {
                    System.out.printf(
                            "%-5d %-16s %-24s %3d years from %-10s %s%n",
                            p.id(),
                            p.hospitalId() == null ? "(default)" : p.hospitalId(),
                            p.procedure() == null ? "(every procedure)" : p.procedure(),
                            p.years(),
                            p.anchor().code(),
                            p.note() == null ? "" : p.note());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "visit",
            description = "Record a visit of a patient at a hospital (no recording made): it moves the patient's last"
                    + " visit, so their recordings are kept longer.")
    static final class Visit implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--hospital", required = true)
        String hospital;

        @Option(names = "--patient", required = true, description = "the patient id, as recordings carry it")
        String patient;

        @Option(names = "--date", required = true, description = "YYYY-MM-DD")
        LocalDate date;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Archive archive = server.archive();
                Instant now = archive.clock().instant();
                List<String> affected =
                        archive.retention().recordVisit(hospital, patient, date, ArchiveCommand.actor(), now);
                for (String id : affected) {
                    Retention.Term t = archive.retention().of(id).orElseThrow();
                    archive.objectLocks().extend(t, now);
                    archive.accessLog()
                            .append(
                                    ArchiveCommand.actor(),
                                    AccessLog.ActorKind.USER,
                                    id,
                                    "retention-visit",
                                    true,
                                    "visit of " + date + " recorded; kept until " + t.end());
                    System.out.println(id + " kept until " + t.end());
                }
                // The patient id is not echoed: terminals are logged.
                System.out.println("Recorded the visit of " + date + " at " + hospital + "; " + affected.size()
                        + " recording(s) of the patient there");
                return 0;
            }
        }
    }

    @Command(name = "show", description = "A recording's retention end, why, and the holds on it.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "RECORDING")
        String recording;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Archive archive = server.archive();
                Retention.Term t = archive.retention()
                        .of(recording)
                        .orElseThrow(() -> new IllegalArgumentException("there is no recording '" + recording + "'"));
                System.out.println("Retained until: " + (t.end() == null ? "no end" : t.end()));
                System.out.println("Why: " + t.explanation());
                var holds = archive.holds().activeOn(recording);
                System.out.println("Holds: " + (holds.isEmpty() ? "none" : ""));
                for (var h : holds) {
                    System.out.println("  " + h.id() + " (" + h.scope().code() + ") since " + h.placedAt() + " by "
                            + h.placedBy() + ": " + h.reason());
                }
                return 0;
            }
        }
    }

    @Command(name = "report", description = "The expiry job's runs, or one run's items (--run).")
    static final class Report implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--run", description = "a run's id: list what it found")
        Long run;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                RetentionExpiry expiry = server.archive().expiry();
                if (run == null) {
                    System.out.printf(
                            "%-6s %-24s %-7s %8s %7s %7s %5s %6s %6s%n",
                            "RUN", "STARTED", "DELETES", "EXAMINED", "EXPIRED", "DELETED", "HELD", "FAILED", "LOCKED");
                    for (RetentionExpiry.Run r : expiry.runs(limit)) {
                        System.out.printf(
                                "%-6d %-24s %-7s %8d %7d %7d %5d %6d %6d%n",
                                r.id(),
                                r.startedAt(),
                                r.deleteExpired() ? "yes" : "no",
                                r.examined(),
                                r.expired(),
                                r.deleted(),
                                r.held(),
                                r.failed(),
                                r.locked());
                    }
                    return 0;
                }
                if (expiry.run(run).isEmpty()) {
                    throw new IllegalArgumentException("there is no run " + run);
                }
                for (RetentionExpiry.Item i : expiry.items(run)) {
                    System.out.printf(
                            "%-36s %-16s %-24s %-9s %s%n",
                            i.recordingId(), i.hospitalId(), i.retentionEnd(), i.outcome(), i.detail());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "run",
            description = "Run the expiry job now, in this process (deletes only with"
                    + " archive.retention.delete-expired=true), and print its report.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                RetentionExpiry.Run r = server.archive().expiry().runOnce(null, (f, s) -> {});
                System.out.println("Run " + r.id() + ": " + r.examined() + " recordings, " + r.expired() + " expired, "
                        + r.deleted() + " deleted, " + r.held() + " held, " + r.failed() + " failed, " + r.locked()
                        + " locks extended");
                return 0;
            }
        }
    }
}
