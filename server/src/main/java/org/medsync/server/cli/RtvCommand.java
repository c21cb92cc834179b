package org.medsync.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medsync.dicom.worklist.WorklistItem;
import org.medsync.rtv.configurator.Applied;
import org.medsync.rtv.configurator.Configurator;
import org.medsync.rtv.configurator.ConfiguratorServer;
import org.medsync.rtv.configurator.OrConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code medsync rtv ...}: DICOM-RTV (PS3.22). {@code configurator} queries the worklist and configures the
 * OR's transmitters and receivers (docs/rtv.md); {@code tx} and {@code rx} run the devices it configures.
 */
@Command(
        name = "rtv",
        mixinStandardHelpOptions = true,
        description = "DICOM-RTV (PS3.22) real-time video: transmitter, receiver and the OR configurator.",
        subcommands = {RtvDeviceCommands.Tx.class, RtvDeviceCommands.Rx.class, RtvCommand.ConfiguratorCommand.class})
final class RtvCommand {

    /** Options of every configurator subcommand. */
    static final class OrOption {
        @Option(
                names = "--or",
                required = true,
                paramLabel = "FILE",
                description = "OR configuration (JSON): worklist AE, transmitters, receivers; see docs/rtv.md.")
        Path file;

        OrConfig load() throws Exception {
            return OrConfig.load(file);
        }
    }

    @Command(
            name = "configurator",
            mixinStandardHelpOptions = true,
            description = "Query the Modality Worklist and configure DICOM-RTV transmitters and receivers.",
            subcommands = {Serve.class, Worklist.class, Apply.class, Dynamic.class})
    static final class ConfiguratorCommand {}

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description =
                    "Run the configurator's HTTP interface (GET /worklist, POST /procedures/{i}/apply, POST /dynamic/{t}).")
    static final class Serve implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        OrOption or;

        @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides \"listen\" of the OR file.")
        String listen;

        @picocli.CommandLine.Mixin
        RtvDeviceCommands.AccessOptions access;

        @Override
        public Integer call() throws Exception {
            OrConfig config = or.load();
            InetSocketAddress address = config.listen();
            if (listen != null) {
                int colon = listen.lastIndexOf(':');
                address = new InetSocketAddress(
                        listen.substring(0, Math.max(colon, 0)), Integer.parseInt(listen.substring(colon + 1)));
            }
            ConfiguratorServer server =
                    ConfiguratorServer.start(new Configurator(config), address, access.load("configurator", address));
            System.out.println(
                    "  DICOM-RTV configurator at " + server.uri() + "/  (worklist " + config.worklist() + ")");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.close();
                                stopped.countDown();
                            },
                            "rtv-configurator-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(
            name = "worklist",
            mixinStandardHelpOptions = true,
            description = "List the procedures of a day (today by default), with the index apply takes.")
    static final class Worklist implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        OrOption or;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Scheduled day (default today).")
        LocalDate date;

        @Override
        public Integer call() throws Exception {
            Configurator c = new Configurator(or.load());
            List<WorklistItem> items = c.worklist(c.defaultQuery(date == null ? LocalDate.now() : date));
            System.out.printf(
                    "%-3s %-16s %-28s %-12s %-12s %-4s %s%n",
                    "#", "start", "patient", "patient ID", "accession", "mod", "procedure");
            for (int i = 0; i < items.size(); i++) {
                WorklistItem w = items.get(i);
                System.out.printf(
                        "%-3d %-16s %-28s %-12s %-12s %-4s %s%n",
                        i,
                        w.scheduledStart() == null
                                ? ""
                                : w.scheduledStart().toString().replace('T', ' '),
                        w.patientNameForDisplay(),
                        nz(w.patientId()),
                        nz(w.accessionNumber()),
                        nz(w.modality()),
                        nz(w.requestedProcedureDescription()));
            }
            return 0;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Configure and start the OR's devices for one procedure, non-interactively.")
    static final class Apply implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        OrOption or;

        @Spec
        CommandSpec spec;

        @Option(names = "--procedure", paramLabel = "INDEX", description = "Index as listed by `worklist`.")
        Integer index;

        @Option(names = "--accession", paramLabel = "NUMBER", description = "Pick the procedure by Accession Number.")
        String accession;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Scheduled day (default today).")
        LocalDate date;

        @Override
        public Integer call() throws Exception {
            if ((index == null) == (accession == null)) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --procedure and --accession");
            }
            Configurator c = new Configurator(or.load());
            List<WorklistItem> items = c.worklist(c.defaultQuery(date == null ? LocalDate.now() : date));
            int i = index != null ? index : indexOf(items, accession);
            Applied applied = c.apply(i);
            System.out.println(
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(applied.toJson()));
            return 0;
        }

        private int indexOf(List<WorklistItem> items, String accession) {
            for (int i = 0; i < items.size(); i++) {
                if (accession.equals(items.get(i).accessionNumber())) {
                    return i;
                }
            }
            throw new ParameterException(
                    spec.commandLine(),
                    "no procedure with accession number " + accession + " in the worklist (" + items.size()
                            + " procedures)");
        }
    }

    @Command(
            name = "dynamic",
            mixinStandardHelpOptions = true,
            description = "Send dynamic metadata (DICOM JSON) to a transmitter of the OR file.")
    static final class Dynamic implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        OrOption or;

        @Option(
                names = "--transmitter",
                required = true,
                paramLabel = "INDEX",
                description = "Transmitter index in the OR file.")
        int transmitter;

        @Option(
                names = "--json",
                required = true,
                paramLabel = "FILE",
                description = "DICOM JSON object; - for standard input.")
        String json;

        @Override
        public Integer call() throws Exception {
            String text = "-".equals(json)
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(json));
            JsonNode body = new ObjectMapper().readTree(text);
            new Configurator(or.load()).relayDynamic(transmitter, body);
            return 0;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
