package org.medsync.server.cli;

import java.util.concurrent.Callable;
import org.medsync.archive.export.ExportSigningKey;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `medsync archive export-key`: the public key that verifies legal exports, and its fingerprint. */
@Command(
        name = "export-key",
        description = "Print the public key (PEM) that verifies the archive's legal exports, and its SHA-256"
                + " fingerprint; the key pair is made on first use.")
final class ArchiveExportKeyCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.Common common;

    @Override
    public Integer call() throws Exception {
        try (MedSyncServer server = MedSyncServer.open(common.load())) {
            ExportSigningKey key = server.archive().exportSigningKey();
            System.out.print(key.publicKeyPem());
            System.err.println("SHA-256 of the key (DER): " + key.fingerprint());
            return 0;
        }
    }
}
