package org.medsync.server.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.medsync.server.MedSyncServer;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "user",
        description = "Manage local accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Remove.class})
final class UserCommand {
    @Command(
            name = "add",
            description =
                    "Create an account. The password is read from standard input (one line) unless --password is given.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Option(names = "--role", required = true, description = "admin, attending, resident, student or observer")
        String role;

        @Option(names = "--display-name")
        String displayName;

        @Option(
                names = "--password",
                description = "Avoid on shared machines: it shows in the process list. Prefer stdin.")
        String password;

        @Override
        public Integer call() throws Exception {
            String pw = password;
            if (pw == null) {
                if (System.console() != null) {
                    pw = new String(System.console().readPassword("Password for %s: ", username));
                } else {
                    pw = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
            }
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Accounts.User u = server.accounts().create(username, displayName, Role.parse(role), pw);
                System.out.println("Created " + u.username() + " (" + u.role().wireName() + ")");
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List accounts.")
    static final class ListUsers implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                for (Accounts.User u : server.accounts().list()) {
                    System.out.printf("%-24s %-10s %s%n", u.username(), u.role().wireName(), u.displayName());
                }
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Delete an account.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                server.accounts().delete(username);
                System.out.println("Removed " + username);
                return 0;
            }
        }
    }
}
