package org.medsync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medsync.bench.archive.ArchiveBenchmark;
import org.medsync.bench.archive.StorageModelPlot;
import org.medsync.bench.bandwidth.BandwidthBenchmark;
import org.medsync.bench.gateway.GatewayBenchmark;
import org.medsync.bench.lag.LagBenchmark;
import org.medsync.bench.photo.PhotoAblation;
import org.medsync.bench.photo.PhotoBenchmark;
import org.medsync.bench.photo.PhotoReadBenchmark;
import org.medsync.bench.photo.PhotoSpeed;
import org.medsync.bench.readout.ReadoutBenchmark;
import org.medsync.bench.rtv.RtvBenchmark;
import org.medsync.bench.rtv.SoakBenchmark;
import org.medsync.bench.watermark.WatermarkBenchmark;

/** Runs the benchmarks named on the command line (all by default) and writes bench/results. */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("medsync.projectRoot", "."))
                .toAbsolutePath()
                .normalize();
        Path results = Files.createDirectories(root.resolve("bench/results"));
        if (args.length > 0
                && args[0].equals("lag")) { // needs root and a namespace pair: scripts/bench lag sets them up
            List<String> lag = LagBenchmark.run(root, results, List.of(args).subList(1, args.length));
            lag.forEach(System.out::println);
            return;
        }
        if (args.length > 0
                && args[0].equals("bandwidth")) { // its own flags: scripts/bench bandwidth --participants 2,4,..
            List<String> bandwidth =
                    BandwidthBenchmark.run(root, results, List.of(args).subList(1, args.length));
            bandwidth.forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("archive")) { // its own flags: scripts/bench archive --ingest-mb 512 ..
            ArchiveBenchmark.run(results, List.of(args).subList(1, args.length)).forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("storage-model")) { // scripts/bench storage-model [DIR]
            Path dir = args.length > 1 ? Path.of(args[1]) : results;
            StorageModelPlot.run(dir).forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("photo")) { // scripts/bench photo [--draws 4]
            PhotoBenchmark.run(root, results, List.of(args).subList(1, args.length))
                    .forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("photo-ablation")) { // scripts/bench photo-ablation [--draws 2]
            PhotoAblation.run(root, results, List.of(args).subList(1, args.length))
                    .forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("photo-read")) { // scripts/bench photo-read [--splits 10 --runs 3]
            PhotoReadBenchmark.run(root, results, List.of(args).subList(1, args.length))
                    .forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("photo-speed")) { // scripts/bench photo-speed [--runs 20]
            PhotoSpeed.run(List.of(args).subList(1, args.length)).forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("gateway")) { // scripts/bench gateway [--seconds 15 --viewers 1,8]
            GatewayBenchmark.run(results, List.of(args).subList(1, args.length)).forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("soak")) { // scripts/bench soak [--minutes 60 --redundant]
            SoakBenchmark.run(results, List.of(args).subList(1, args.length)).forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("rtv")) { // scripts/bench rtv [--seconds 60 --formats 1080 --cases ..]
            RtvBenchmark.run(results.resolve("rtv"), List.of(args).subList(1, args.length))
                    .forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("watermark")) { // scripts/bench watermark [--seconds 30 --fps 25]
            WatermarkBenchmark.run(results, List.of(args).subList(1, args.length))
                    .forEach(System.out::println);
            return;
        }
        List<String> which = args.length == 0 ? List.of("import", "viewer", "readout") : List.of(args);
        List<String> summary = new ArrayList<>();
        if (which.contains("import")) {
            summary.addAll(ImportBenchmark.run(root, results));
        }
        if (which.contains("viewer")) {
            summary.addAll(ViewerLoadBenchmark.run(root, results));
        }
        if (which.contains("readout")) {
            summary.addAll(ReadoutBenchmark.run(results));
        }
        Files.write(results.resolve("summary.txt"), summary);
        summary.forEach(System.out::println);
    }
}
