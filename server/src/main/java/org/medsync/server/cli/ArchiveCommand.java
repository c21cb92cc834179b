package org.medsync.server.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.medsync.archive.catalog.Device;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.library.files.PrivateFiles;
import org.medsync.server.MedSyncServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Administration of the video archive from the command line: what /api/archive/hospitals and devices offer. */
@Command(
        name = "archive",
        description = "Administer the video archive: hospitals, members, recorders, keys, audit trail, legal exports.",
        subcommands = {
            ArchiveCommand.HospitalCommand.class,
            ArchiveCommand.MemberCommand.class,
            ArchiveCommand.DeviceCommand.class,
            ArchiveAuditCommand.class,
            ArchiveExportCommand.class,
            ArchiveExportKeyCommand.class,
            ArchiveKeysCommand.class,
            ArchiveFixityCommand.class,
            ArchiveStorageModelCommand.class,
            ArchiveRegionCommand.class,
            ArchiveHoldCommand.class,
            ArchiveRetentionCommand.class
        })
final class ArchiveCommand {
    /** Who issued or revoked, in the archive's records: the operating-system account that ran the command. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Command(
            name = "hospital",
            description = "Hospitals and their archive policy.",
            subcommands = {HospitalCommand.Add.class, HospitalCommand.ListHospitals.class})
    static final class HospitalCommand {
        @Command(name = "add", description = "Add a hospital, or change the name and policy of an existing one.")
        static final class Add implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Parameters(index = "0", paramLabel = "ID", description = "lower-case letters, digits and '-'")
            String id;

            @Option(names = "--name", required = true)
            String name;

            @Option(names = "--master-policy", defaultValue = "keep", description = "keep, h264-422 or hevc-422")
            String policy;

            @Option(names = "--master-min-psnr", defaultValue = "45", description = "dB; a master below fails")
            double minPsnr;

            @Option(
                    names = "--anonymize-region",
                    paramLabel = "X,Y,W,H",
                    description = "A rectangle blurred in anonymized copies, in fractions of the frame; repeatable")
            List<String> regions = new ArrayList<>();

            @Override
            public Integer call() throws Exception {
                List<Hospital.Region> rs = new ArrayList<>();
                for (String r : regions) {
                    String[] p = r.split(",");
                    if (p.length != 4) {
                        throw new IllegalArgumentException("--anonymize-region is X,Y,W,H, e.g. 0,0,1,0.08");
                    }
                    rs.add(new Hospital.Region(
                            Double.parseDouble(p[0]),
                            Double.parseDouble(p[1]),
                            Double.parseDouble(p[2]),
                            Double.parseDouble(p[3])));
                }
                Hospital h = new Hospital(id, name, Hospital.MasterPolicy.of(policy), minPsnr, List.copyOf(rs));
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    server.archive().hospitals().save(h);
                    System.out.println("Saved hospital " + h.id() + " (" + h.name() + ", master "
                            + h.masterPolicy().code() + ")");
                    return 0;
                }
            }
        }

        @Command(name = "list", description = "List hospitals and their members.")
        static final class ListHospitals implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    var hospitals = server.archive().hospitals();
                    for (Hospital h : hospitals.all()) {
                        System.out.printf(
                                "%-24s %-10s %5.1f dB  %s  members: %s%n",
                                h.id(),
                                h.masterPolicy().code(),
                                h.masterMinPsnr(),
                                h.name(),
                                String.join(", ", hospitals.members(h.id())));
                    }
                    return 0;
                }
            }
        }
    }

    @Command(
            name = "member",
            description = "Who works for which hospital.",
            subcommands = {MemberCommand.Add.class, MemberCommand.Remove.class})
    static final class MemberCommand {
        @Command(name = "add", description = "Make a user a member of a hospital.")
        static final class Add implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Parameters(index = "0", paramLabel = "HOSPITAL")
            String hospital;

            @Parameters(index = "1", paramLabel = "USERNAME")
            String username;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    if (server.archive().hospitals().find(hospital).isEmpty()) {
                        throw new IllegalArgumentException("there is no hospital '" + hospital + "'");
                    }
                    if (server.accounts().find(username).isEmpty()) {
                        throw new IllegalArgumentException("there is no user '" + username + "'");
                    }
                    server.archive().hospitals().addMember(hospital, username);
                    System.out.println(username + " is a member of " + hospital);
                    return 0;
                }
            }
        }

        @Command(name = "remove", description = "Remove a user from a hospital.")
        static final class Remove implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Parameters(index = "0", paramLabel = "HOSPITAL")
            String hospital;

            @Parameters(index = "1", paramLabel = "USERNAME")
            String username;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    server.archive().hospitals().removeMember(hospital, username);
                    System.out.println(username + " is no longer a member of " + hospital);
                    return 0;
                }
            }
        }
    }

    @Command(
            name = "device",
            description = "Recorders and their upload credentials.",
            subcommands = {DeviceCommand.Add.class, DeviceCommand.ListDevices.class, DeviceCommand.Revoke.class})
    static final class DeviceCommand {
        @Command(
                name = "add",
                description = "Issue a credential to a new recorder. It is shown once (or written to"
                        + " --credential-file, mode 0600) and cannot be shown again.")
        static final class Add implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Option(names = "--hospital", required = true)
            String hospital;

            @Option(names = "--operating-room", required = true)
            String room;

            @Option(names = "--id", description = "The device id (default: generated)")
            String id;

            @Option(names = "--description", defaultValue = "")
            String description;

            @Option(
                    names = "--credential-file",
                    description = "Write the credential to this new file (mode 0600) instead of printing it")
            Path credentialFile;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    Devices.Issued issued = server.archive().devices().issue(id, hospital, room, description, actor());
                    Device d = issued.device();
                    if (credentialFile != null) {
                        PrivateFiles.create(
                                credentialFile, (issued.credential() + "\n").getBytes(StandardCharsets.US_ASCII));
                        System.out.println("Issued device " + d.id() + " (" + d.hospitalId() + ", " + d.operatingRoom()
                                + "); its credential is in " + credentialFile);
                    } else {
                        System.out.println("Issued device " + d.id() + " (" + d.hospitalId() + ", " + d.operatingRoom()
                                + "). Its credential, shown only now:");
                        System.out.println(issued.credential());
                    }
                    return 0;
                }
            }
        }

        @Command(name = "list", description = "List recorders (never their credentials).")
        static final class ListDevices implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Option(names = "--hospital")
            String hospital;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    for (Device d : server.archive().devices().list(hospital)) {
                        System.out.printf(
                                "%-24s %-16s %-12s %-8s issued %s by %s%s%n",
                                d.id(),
                                d.hospitalId(),
                                d.operatingRoom(),
                                d.revoked() ? "REVOKED" : "active",
                                d.issuedAt(),
                                d.issuedBy(),
                                d.description().isEmpty() ? "" : "  " + d.description());
                    }
                    return 0;
                }
            }
        }

        @Command(name = "revoke", description = "Revoke a recorder's credential: its uploads are refused from now on.")
        static final class Revoke implements Callable<Integer> {
            @CommandLine.Mixin
            Main.Common common;

            @Parameters(index = "0", paramLabel = "DEVICE")
            String id;

            @Override
            public Integer call() throws Exception {
                try (MedSyncServer server = MedSyncServer.open(common.load())) {
                    if (server.archive().devices().find(id).isEmpty()) {
                        throw new IllegalArgumentException("there is no device '" + id + "'");
                    }
                    boolean now = server.archive().devices().revoke(id, actor());
                    System.out.println(now ? "Revoked " + id : id + " was already revoked");
                    return 0;
                }
            }
        }
    }
}
