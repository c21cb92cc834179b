package org.medsync.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medsync.library.importer.ImportReport;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Import every DICOM file under a folder into the library.")
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.Common common;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder to import, recursively.")
    Path directory;

    @Override
    public Integer call() throws Exception {
        try (MedSyncServer server = MedSyncServer.open(common.load())) {
            ImportReport r = server.library().importer().importDirectory(directory);
            System.out.printf(
                    "Imported %d new instances, %d already present, %d refused (%.0f instances/s)%n",
                    r.imported(), r.duplicates(), r.rejected().size(), r.instancesPerSecond());
            r.rejected().forEach(x -> System.out.printf("  refused %s: %s (%s)%n", x.file(), x.reason(), x.message()));
            return r.rejected().isEmpty() ? 0 : 2;
        }
    }
}
