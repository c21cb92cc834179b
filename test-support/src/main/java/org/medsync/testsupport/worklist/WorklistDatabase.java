package org.medsync.testsupport.worklist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A folder of worklist files (*.wl) and the empty lockfile, as dcmtk's wlmscpfs and Orthanc's worklist plugin
 * read them; each file is written by dcmtk's dump2dcm, so the files are the reference tool's, not ours.
 */
public final class WorklistDatabase {
    private static final Path DUMP2DCM = Path.of("/usr/bin/dump2dcm");

    private WorklistDatabase() {}

    public static boolean dump2dcmInstalled() {
        return Files.isExecutable(DUMP2DCM);
    }

    /** Writes one {@code <name>.wl} per entry of {@code procedures} (keyed by file name) into {@code dir}. */
    public static void write(Path dir, List<Named> procedures) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("lockfile"), new byte[0]);
        for (Named p : procedures) {
            Path text = dir.resolve(p.file() + ".dump");
            // dump2dcm copies the bytes between the brackets: Latin-1 text for ISO_IR 100.
            Files.writeString(text, p.procedure().dump(), StandardCharsets.ISO_8859_1);
            Process dump2dcm = new ProcessBuilder(
                            DUMP2DCM.toString(),
                            "-g",
                            text.toString(),
                            dir.resolve(p.file() + ".wl").toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(dump2dcm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!dump2dcm.waitFor(20, TimeUnit.SECONDS) || dump2dcm.exitValue() != 0) {
                dump2dcm.destroyForcibly();
                throw new IOException("dump2dcm failed for " + p.file() + ": " + out);
            }
            Files.delete(text);
        }
    }

    /** A procedure and the name of its file (without .wl). */
    public record Named(String file, ScheduledProcedure procedure) {}
}
