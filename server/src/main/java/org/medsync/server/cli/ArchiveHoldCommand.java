package org.medsync.server.cli;

import java.util.concurrent.Callable;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.retention.Holds;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Legal holds from the command line (docs/archive.md "Operations"): whoever runs it has the server's files, so the
 * command acts as an admin; the hold and its lift are appended to the access log under the operating-system account.
 */
@Command(
        name = "hold",
        description = "Legal holds: while one stands, nothing it covers may be deleted.",
        subcommands = {ArchiveHoldCommand.Place.class, ArchiveHoldCommand.Lift.class, ArchiveHoldCommand.ListHolds.class
        })
final class ArchiveHoldCommand {
    @Command(
            name = "place",
            description = "Place a hold on a recording (--recording), a patient's recordings (--patient) or a case's"
                    + " (--case), the last two at a --hospital.")
    static final class Place implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @CommandLine.ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--recording", description = "a recording id")
            String recording;

            @Option(names = "--patient", description = "a patient id (at --hospital)")
            String patient;

            @Option(names = "--case", description = "a case (accession) number (at --hospital)")
            String caseNumber;
        }

        @Option(names = "--hospital")
        String hospital;

        @Option(names = "--reason", required = true, description = "why (a court order, a claim): mandatory")
        String reason;

        @Override
        public Integer call() throws Exception {
            Holds.Scope scope = target.recording != null
                    ? Holds.Scope.RECORDING
                    : target.patient != null ? Holds.Scope.PATIENT : Holds.Scope.CASE;
            String what = target.recording != null
                    ? target.recording
                    : target.patient != null ? target.patient : target.caseNumber;
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                var holds = server.archive().holds();
                Holds.Hold h =
                        holds.place(scope, hospital, what, reason, AccessLog.ActorKind.USER, ArchiveCommand.actor());
                System.out.println("Placed hold " + h.id() + " (" + scope.code() + "); it covers "
                        + holds.covered(h).size() + " recording(s) now");
                return 0;
            }
        }
    }

    @Command(name = "lift", description = "Lift a hold, with the reason (the case settled, the order lapsed).")
    static final class Lift implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "HOLD")
        String id;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Holds.Hold h =
                        server.archive().holds().lift(id, reason, AccessLog.ActorKind.USER, ArchiveCommand.actor());
                System.out.println("Lifted hold " + h.id() + " at " + h.liftedAt());
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List standing holds (--all: lifted ones too).")
    static final class ListHolds implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--all")
        boolean all;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                for (Holds.Hold h : server.archive().holds().list(!all)) {
                    // The target of a patient hold is a patient id: shown to the operator, who holds the data.
                    System.out.printf(
                            "%s  %-9s %-10s %-36s placed %s by %s%s%n    reason: %s%n",
                            h.id(),
                            h.scope().code(),
                            h.hospitalId() == null ? "-" : h.hospitalId(),
                            h.target(),
                            h.placedAt(),
                            h.placedBy(),
                            h.active()
                                    ? ""
                                    : ", lifted " + h.liftedAt() + " by " + h.liftedBy() + ": " + h.liftReason(),
                            h.reason());
                }
                return 0;
            }
        }
    }
}
