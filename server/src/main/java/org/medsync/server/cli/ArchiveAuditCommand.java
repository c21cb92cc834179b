package org.medsync.server.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medsync.archive.Archive;
import org.medsync.archive.audit.AtnaXml;
import org.medsync.archive.audit.AuditChain;
import org.medsync.archive.audit.AuditEntry;
import org.medsync.archive.audit.AuditQuery;
import org.medsync.archive.audit.Verification;
import org.medsync.archive.catalog.Recording;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `medsync archive audit verify|export`: the access log's hash chain (docs/archive-evidence.md). */
@Command(
        name = "audit",
        description = "The archive's tamper-evident audit trail: verify its hash chain, export it as ATNA XML.",
        subcommands = {ArchiveAuditCommand.Verify.class, ArchiveAuditCommand.Export.class})
final class ArchiveAuditCommand {
    /** The exit code of a verification that found a broken link (1 is any other failure). */
    static final int BROKEN = 2;

    @Command(
            name = "verify",
            description = "Walk the whole chain; print OK with its length and head hash, or the first broken link"
                    + " (exit code " + BROKEN + ").")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(
                names = "--anchor",
                paramLabel = "SEQ:HASH",
                description = "A head published earlier and kept outside the database; repeatable")
        List<String> anchors = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<AuditChain.Anchor> kept = new ArrayList<>();
            for (String a : anchors) {
                kept.add(AuditQuery.anchor(a));
            }
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Verification v = server.archive().audit().verify(kept);
                if (v.ok()) {
                    System.out.println("OK " + v.count() + " entries, head " + v.headHash());
                    return 0;
                }
                System.out.println("BROKEN at " + (v.brokenId() > 0 ? "id " + v.brokenId() + ", " : "") + "seq "
                        + v.brokenSeq() + ": " + v.problem().name().toLowerCase(Locale.ROOT) + ": "
                        + v.message());
                System.out.println(v.count() + " entries intact before it, the last with hash " + v.headHash());
                return BROKEN;
            }
        }
    }

    @Command(name = "export", description = "Write audit entries as XML (IHE ATNA / DICOM PS3.15 A.5 audit messages).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--recording", description = "Only the entries concerning this recording")
        String recording;

        @Option(names = "--from", description = "From this date or UTC time on (2026-12-01, 2026-12-01T08:00:00Z)")
        String from;

        @Option(names = "--to", description = "Before this date or UTC time")
        String to;

        @Option(names = "--out", description = "Write to this file (default: standard output)")
        Path out;

        @Override
        public Integer call() throws Exception {
            AuditQuery q = AuditQuery.parse(recording, from, to);
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Archive archive = server.archive();
                List<AuditEntry> entries = archive.audit().entries(q.recordingId(), q.from(), q.to());
                Map<String, String> hospitals = new LinkedHashMap<>();
                for (AuditEntry e : entries) {
                    if (e.recordingId() != null && !hospitals.containsKey(e.recordingId())) {
                        archive.recordings()
                                .find(e.recordingId())
                                .map(Recording::hospitalId)
                                .ifPresent(h -> hospitals.put(e.recordingId(), h));
                    }
                }
                if (out == null) {
                    AtnaXml.write(entries, "medsync-archive", hospitals, System.out);
                } else {
                    try (OutputStream o = Files.newOutputStream(out)) {
                        AtnaXml.write(entries, "medsync-archive", hospitals, o);
                    }
                    System.out.println("Wrote " + entries.size() + " audit entries to " + out);
                }
                return 0;
            }
        }
    }
}
