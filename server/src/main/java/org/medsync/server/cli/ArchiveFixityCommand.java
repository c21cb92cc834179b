package org.medsync.server.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medsync.archive.fixity.Fixity;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medsync archive fixity run}: checks every copy of every blob now and prints what it found. */
@Command(
        name = "fixity",
        description = "Fixity of the archive: re-read and re-hash every copy of every blob, repair bad copies.",
        subcommands = {ArchiveFixityCommand.Run.class})
final class ArchiveFixityCommand {
    /** Exit status when a copy is still damaged, missing or lost after the pass (monitoring scripts test it). */
    static final int DEGRADED = 2;

    @Command(
            name = "run",
            description = "Check every blob in every location now (the scheduled job does it in batches), repair"
                    + " what a good copy allows, and print the report. Exit status 2 when a copy is still damaged,"
                    + " missing or lost.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Fixity fixity = server.archive().fixity();
                System.out.println("Locations: " + String.join("; ", fixity.describeLocations()));
                Fixity.Run run = fixity.runPass(ArchiveCommand.actor(), System.err::println);
                Fixity.Tally t = run.tally();
                System.out.printf(
                        "Checked %d blobs (%d bytes read): %d copies damaged, %d missing, %d repaired, %d lost%n",
                        t.checked(), t.bytesRead(), t.damaged(), t.missing(), t.repaired(), t.lost());
                Fixity.Status status = fixity.status();
                List<Fixity.CopyState> unwell = fixity.unwell(1000, false);
                for (Fixity.CopyState c : unwell) {
                    System.out.printf(
                            "%-8s %s at %s (checked %s): %s%n",
                            c.state().toUpperCase(Locale.ROOT), c.blob(), c.location(), c.checkedAt(), c.detail());
                }
                System.out.println("Integrity: " + status.state() + " (" + status.damaged() + " damaged, "
                        + status.missing() + " missing, " + status.lost() + " lost)");
                return status.ok() ? 0 : DEGRADED;
            }
        }
    }
}
