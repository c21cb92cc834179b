package org.medsync.server.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.export.LegalExports;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `medsync archive export`: a signed package for a court or an insurer (docs/archive-evidence.md "Legal export"). */
@Command(
        name = "export",
        description = "Write a signed legal export (zip) of recordings: their files, metadata and audit entries, and a"
                + " manifest signed by the archive's export key. The export is recorded in the audit trail.")
final class ArchiveExportCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.Common common;

    @Option(names = "--recording", required = true, description = "A recording to export; repeatable")
    List<String> recordings;

    @Option(names = "--recipient", required = true, description = "Who receives it (a court, an insurer, a case)")
    String recipient;

    @Option(names = "--reason", required = true, description = "Why (a court order, a claim)")
    String reason;

    @Option(names = "--out", required = true, description = "The zip to write (must not exist)")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (MedSyncServer server = MedSyncServer.open(common.load())) {
            LegalExports exports = server.archive().exports();
            LegalExports.Request request = new LegalExports.Request(
                    recordings, recipient, reason, ArchiveCommand.actor(), AccessLog.ActorKind.USER);
            exports.check(request);
            LegalExports.Result result;
            // Fails on an existing file, which is then never deleted below.
            OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW);
            try (o) {
                result = exports.export(request, o);
            } catch (Exception e) {
                Files.deleteIfExists(out);
                throw e;
            }
            System.out.println("Export " + result.exportId() + ": " + result.files() + " files in " + out);
            System.out.println("Manifest SHA-256 " + result.manifestSha256() + "; signed by the key with SHA-256 "
                    + exports.key().fingerprint());
            System.out.println("Verify: unzip, then openssl dgst -sha256 -verify " + LegalExports.PUBLIC_KEY
                    + " -signature " + LegalExports.SIGNATURE + " " + LegalExports.MANIFEST + " && sha256sum -c "
                    + LegalExports.MANIFEST);
            return 0;
        }
    }
}
