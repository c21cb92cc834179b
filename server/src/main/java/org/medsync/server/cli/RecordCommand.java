package org.medsync.server.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.server.record.LiveEncoder;
import org.medsync.server.record.OrRecordingClient;
import org.medsync.server.record.RecordingSinks;
import org.medsync.server.record.RtvRecorder;
import org.medsync.st2110.timing.SystemMediaClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsync record}: records DICOM-RTV flows (by SDP) into the archive, encoded as they arrive, with the
 * procedure's metadata from the PS3.22 flow (docs/archive-recording.md). With {@code --or}, the server records one of
 * its OR's flows (its {@code /api/archive/or-recordings}), signed in as a user: for a workstation that cannot
 * receive the OR network's multicast.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = "Record DICOM-RTV flows (by SDP, or an OR's flow through the server with --or) into the video"
                + " archive, H.264 4:2:2 encoded as they arrive.")
final class RecordCommand implements Callable<Integer> {

    @Option(
            names = "--sdp",
            paramLabel = "FILE",
            description = "SDP of a flow (a transmitter's GET /SDP); repeat to record several side by side.")
    List<Path> sdps = new ArrayList<>();

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: until interrupted, e.g. Ctrl-C).")
    Double duration;

    @Mixin
    ArchiveTarget target;

    @Option(
            names = "--or",
            paramLabel = "OR",
            description = "Have the server record this OR's --flow (instead of --sdp): --server, --user,"
                    + " --password-file, --hospital and --duration go with it.")
    String or;

    @Option(names = "--flow", paramLabel = "NAME", description = "The OR's flow to record (with --or).")
    String flow;

    @Option(names = "--server", paramLabel = "URL", description = "The MedSync server (with --or).")
    URI server;

    @Option(names = "--user", description = "The user who records (with --or): an attending, resident or admin.")
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "A file holding the user's password (with --or).")
    Path passwordFile;

    @Option(
            names = "--multicast-interface",
            defaultValue = "lo",
            description = "Interface multicast groups are joined on.")
    String multicastInterface;

    @Option(
            names = "--latency-ms",
            defaultValue = "200",
            description = "Playout latency (default ${DEFAULT-VALUE} ms): a recorder can wait for late packets.")
    int latencyMs;

    /** Where the recording goes and how it is encoded; shared with {@code rtv rx --record-to}. */
    static final class ArchiveTarget {
        @Option(
                names = {"--archive", "--record-to"},
                paramLabel = "URL",
                description = "The archive (https://host/, with --credential-file) or an outbox directory (file:/dir).")
        String archive;

        @Option(
                names = "--credential-file",
                paramLabel = "FILE",
                description = "The recorder device's credential (msd_...), as an admin issued it.")
        Path credentialFile;

        @Option(names = "--hospital", description = "Hospital id (default: the device's).")
        String hospital;

        @Option(
                names = "--operating-room",
                paramLabel = "ROOM",
                description = "Operating room (default: the flow's Station Name).")
        String operatingRoom;

        @Option(
                names = "--preset",
                defaultValue = "superfast",
                description = "x264 preset (default ${DEFAULT-VALUE}; it must keep up with the flow: see"
                        + " docs/archive-recording.md).")
        String preset;

        @Option(names = "--crf", defaultValue = "18", description = "x264 CRF (default ${DEFAULT-VALUE}).")
        int crf;

        @Option(
                names = "--live",
                defaultValue = "auto",
                paramLabel = "auto|master|mezzanine",
                description = "Encode the master live, or a lossless FFV1 mezzanine the archive transcodes; auto (the"
                        + " default): the master when x264 at the preset keeps up with the flow's format on this"
                        + " machine (docs/archive-recording.md).")
        String live;

        @Option(
                names = "--work-dir",
                defaultValue = "medsync-recordings",
                paramLabel = "DIR",
                description = "Where recordings are encoded and kept until delivered (default ${DEFAULT-VALUE}).")
        Path workDir;

        private static LiveEncoder.Live live(String value) {
            return switch (value) {
                case "auto" -> LiveEncoder.Live.AUTO;
                case "master" -> LiveEncoder.Live.MASTER;
                case "mezzanine" -> LiveEncoder.Live.MEZZANINE;
                default ->
                    throw new IllegalArgumentException("--live must be auto, master or mezzanine, was '" + value + "'");
            };
        }

        RtvRecorder recorder() throws Exception {
            if (archive == null) {
                throw new IllegalArgumentException("--archive URL is required to record");
            }
            return new RtvRecorder(
                    workDir,
                    new LiveEncoder.Settings(preset, crf, 1, live(live)),
                    hospital,
                    operatingRoom,
                    RecordingSinks.open(archive, credentialFile),
                    Clock.systemUTC());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (or != null) {
            return recordOnServer();
        }
        if (sdps.isEmpty()) {
            throw new IllegalArgumentException("say what to record: --sdp FILE, or --or OR --flow NAME");
        }
        List<FlowDescription> flows = new ArrayList<>();
        for (Path p : sdps) {
            flows.add(FlowDescription.parse(Files.readString(p, StandardCharsets.UTF_8)));
        }
        // No overlay attributes: the archive keeps the picture, the metadata travels beside it.
        ReceiverConfig config = new ReceiverConfig(flows, ReceiverConfig.SIDE_BY_SIDE, 7, List.of(), latencyMs);
        RtvRecorder recorder = target.recorder();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    recorder.stop();
                    try {
                        done.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Receiver rx = new Receiver("medsync record", new SystemMediaClock(), multicastInterface)) {
            rx.configure(config);
            rx.frames().subscribe(recorder);
            System.out.println("Recording " + flows.size() + " flow(s) into " + target.archive
                    + (duration == null ? " until interrupted" : " for " + duration + " s"));
            if (duration != null) {
                Thread.sleep(Duration.ofMillis(Math.round(duration * 1000)));
            } else {
                new CountDownLatch(1).await(); // the shutdown hook stops the recorder
            }
            List<RtvRecorder.Recorded> recorded = recorder.stop();
            recorder.close();
            int failures = 0;
            for (RtvRecorder.Recorded r : recorded) {
                if (r.delivery().isPresent()) {
                    System.out.printf(
                            "  %s: %d frames (%d repeated, %d lost), delivered as %s%n",
                            r.file().getFileName(),
                            r.framesEncoded(),
                            r.framesRepeated(),
                            r.framesLost(),
                            r.delivery().get().id());
                } else {
                    failures++;
                    System.out.printf(
                            "  %s: NOT delivered (%s), kept in %s%n",
                            r.file().getFileName(), r.failure().orElse("?"), target.workDir);
                }
            }
            return failures == 0 ? 0 : 1;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
        }
    }

    /** {@code --or}: the server records, this command starts, waits and stops (also on Ctrl-C). */
    private int recordOnServer() throws Exception {
        String name = "[a-z0-9-]{1,32}";
        if (!or.matches(name) || flow == null || !flow.matches(name)) {
            throw new IllegalArgumentException(
                    "--or and --flow are an OR id and one of its flows (1-32 of a-z, 0-9, '-')");
        }
        if (!sdps.isEmpty()) {
            throw new IllegalArgumentException("--or records through the server: no --sdp with it");
        }
        if (server == null || user == null || passwordFile == null || target.hospital == null || duration == null) {
            throw new IllegalArgumentException(
                    "--or needs --server URL, --user NAME, --password-file FILE, --hospital ID and --duration S");
        }
        if (duration <= 0 || duration > 24 * 3600) {
            throw new IllegalArgumentException("--duration is between 0 and 86400 seconds");
        }
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        OrRecordingClient client = OrRecordingClient.signIn(server, user, password);
        client.start(or, flow, target.hospital);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C stops the server's recording too (else it runs on until someone stops it there).
        Thread hook = new Thread(
                () -> {
                    if (stopped.getCount() > 0) {
                        try {
                            client.stop(or, flow);
                        } catch (IOException | InterruptedException e) {
                            System.err.println("The server's recording of " + or + "/" + flow + " could not be"
                                    + " stopped: " + e.getMessage());
                        }
                    }
                },
                "record-or-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        OrRecordingClient.Stopped s;
        try {
            System.out.println("The server records " + or + "/" + flow + " for " + duration + " s");
            Thread.sleep(Duration.ofMillis(Math.round(duration * 1000)));
            s = client.stop(or, flow);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the recording
            }
        }
        s.recordings().forEach(id -> System.out.println("  delivered as recording " + id));
        s.failures().forEach(f -> System.out.println("  NOT delivered: " + f));
        return s.failures().isEmpty() && !s.recordings().isEmpty() ? 0 : 1;
    }
}
