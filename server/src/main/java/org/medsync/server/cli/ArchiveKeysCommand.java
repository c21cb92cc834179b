package org.medsync.server.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.medsync.archive.Archive;
import org.medsync.archive.access.AccessLog;
import org.medsync.archive.vault.Vault;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The hospitals' key-encryption keys of the archive's encryption at rest (docs/archive-evidence.md): list, rotate
 * (re-wraps data keys, rewrites no blob), retire an old version, encrypt what was stored in the clear.
 */
@Command(
        name = "keys",
        description = "Encryption at rest: hospitals' key versions, rotation, retirement of old versions.",
        subcommands = {
            ArchiveKeysCommand.ListKeys.class,
            ArchiveKeysCommand.Rotate.class,
            ArchiveKeysCommand.Retire.class,
            ArchiveKeysCommand.EncryptExisting.class
        })
final class ArchiveKeysCommand {
    private ArchiveKeysCommand() {}

    private static Vault vault(MedSyncServer server) throws IOException {
        Vault vault = server.archive().vault();
        if (!vault.encrypts()) {
            throw new IllegalArgumentException("archive.keys is 'none': the archive has no key provider");
        }
        return vault;
    }

    @Command(name = "list", description = "A hospital's key versions and how many data keys each wraps.")
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--hospital", required = true)
        String hospital;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                for (Vault.KeyUse u : vault(server).keyVersions(hospital)) {
                    System.out.printf(
                            "%-6s %-8s created %s  wraps %d data keys%n",
                            u.version().keyId(),
                            u.version().current() ? "current" : "old",
                            u.version().createdAt(),
                            u.dataKeys());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "rotate",
            description = "Make a new key version for a hospital and re-wrap every data key of the hospital with it."
                    + " No recording is rewritten; afterwards the old version can be retired.")
    static final class Rotate implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--hospital", required = true)
        String hospital;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                Archive archive = server.archive();
                if (archive.hospitals().find(hospital).isEmpty()) {
                    throw new IllegalArgumentException("there is no hospital '" + hospital + "'");
                }
                Vault.Rotation r = vault(server).rotate(hospital);
                archive.accessLog()
                        .append(
                                ArchiveCommand.actor(),
                                AccessLog.ActorKind.USER,
                                null,
                                "key-rotate",
                                true,
                                "hospital " + hospital + ": key " + r.keyId() + " is current, " + r.rewrapped()
                                        + " data keys re-wrapped");
                System.out.println("Hospital " + hospital + ": key " + r.keyId() + " is current; " + r.rewrapped()
                        + " data keys re-wrapped. Older versions wrap nothing now: retire them with"
                        + " 'medsync archive keys retire --hospital " + hospital + " <version>'.");
                return 0;
            }
        }
    }

    @Command(
            name = "retire",
            description = "Destroy an old key version of a hospital; refused while it still wraps a data key.")
    static final class Retire implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Option(names = "--hospital", required = true)
        String hospital;

        @Parameters(index = "0", paramLabel = "VERSION", description = "e.g. v1")
        String version;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                vault(server).retire(hospital, version);
                server.archive()
                        .accessLog()
                        .append(
                                ArchiveCommand.actor(),
                                AccessLog.ActorKind.USER,
                                null,
                                "key-retire",
                                true,
                                "hospital " + hospital + ": key " + version + " destroyed");
                System.out.println("Hospital " + hospital + ": key " + version + " destroyed.");
                return 0;
            }
        }
    }

    @Command(
            name = "encrypt-existing",
            description = "Encrypt the objects stored in the clear before encryption at rest (a new blob each; the"
                    + " old blob is deleted).")
    static final class EncryptExisting implements Callable<Integer> {
        @CommandLine.Mixin
        Main.Common common;

        @Override
        public Integer call() throws Exception {
            try (MedSyncServer server = MedSyncServer.open(common.load())) {
                vault(server);
                Archive.Encrypted e = server.archive().encryptExisting();
                System.out.println("Encrypted " + e.encrypted() + " objects; " + e.unused()
                        + " in the clear are used by no recording and were left as they are.");
                return 0;
            }
        }
    }
}
