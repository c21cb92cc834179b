package org.medsync.server.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medsync.server.MedSyncServer;
import org.medsync.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code medsync} executable. */
@Command(
        name = "medsync",
        mixinStandardHelpOptions = true,
        version = MedSyncServer.VERSION,
        description = "Synchronized medical image readout, DICOM-RTV and medical video for hospitals.",
        subcommands = {
            Main.Serve.class,
            DemoCommand.class,
            ImportCommand.class,
            UserCommand.class,
            RtvCommand.class,
            ArchiveCommand.class,
            RecordCommand.class
        })
public final class Main {
    /** Options every subcommand shares. */
    static final class Common {
        @Option(names = "--config", description = "Properties file (docs/configuration.md); also MEDSYNC_CONFIG.")
        Path config;

        ServerConfig load() throws IOException {
            return ServerConfig.load(file(), System.getenv());
        }

        /** The properties file: --config, else MEDSYNC_CONFIG, else none. */
        Path file() {
            if (config == null && System.getenv("MEDSYNC_CONFIG") != null) {
                return Path.of(System.getenv("MEDSYNC_CONFIG"));
            }
            return config;
        }
    }

    @Command(name = "serve", description = "Start the server with the configured settings.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            MedSyncServer server = MedSyncServer.open(common.load()).serve();
            printAddresses(server);
            waitForShutdown(server);
            return 0;
        }
    }

    static void printAddresses(MedSyncServer server) {
        System.out.println();
        if (server.httpsUri() != null) {
            System.out.println(
                    "  MedSync is running at " + server.httpsUri() + "/  (self-signed certificate unless configured)");
        }
        if (server.httpUri() != null) {
            System.out.println("  On this machine also at " + server.httpUri() + "/");
        }
        System.out.println();
    }

    static void waitForShutdown(MedSyncServer server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "medsync-shutdown"));
        stopped.await();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("medsync: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }
}
