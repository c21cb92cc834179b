package org.medsync.server.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlTls;
import org.medsync.rtv.control.ControlToken;
import org.medsync.rtv.control.ReceiverControl;
import org.medsync.rtv.control.TransmitterControl;
import org.medsync.rtv.ffmpeg.FfmpegVideoSource;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.receiver.ReceiverWindow;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.VideoSource;
import org.medsync.rtv.transmitter.Y4mSource;
import org.medsync.sdp.SdpException;
import org.medsync.server.record.RtvRecorder;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code medsync rtv tx} and {@code medsync rtv rx}: a DICOM-RTV transmitter or receiver device, idle until the
 * configurator (or anyone speaking docs/rtv-control.md) configures it over its control port.
 */
final class RtvDeviceCommands {
    private RtvDeviceCommands() {}

    /** Patient's Name, Patient ID, Scheduled Procedure Step ID: the configurator's default overlay. */
    static final List<Integer> DEFAULT_OVERLAY = List.of(0x00100010, 0x00100020, 0x00400009);

    /** host:port of a control API; loopback unless the OR network is named explicitly. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--control must be HOST:PORT, not '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * The credential and Host names of a control API (docs/rtv-control.md "Authentication"). The token file is
     * read if it exists (it must be 0600), else created with a random token; its path is printed, never the
     * token.
     */
    static final class AccessOptions {
        @Option(
                names = "--token-file",
                paramLabel = "PATH",
                description = "Bearer token of the control API (mode 0600); created with a random token if absent."
                        + " Default: <state dir>/<device>-<port>.token.")
        Path tokenFile;

        @Option(
                names = "--state-dir",
                defaultValue = "medsync-rtv",
                paramLabel = "DIR",
                description = "Where a generated token file goes (default ${DEFAULT-VALUE}, created 0700).")
        Path stateDir;

        @Option(
                names = "--allowed-host",
                paramLabel = "NAME",
                description = "A host name clients use for this API (accepted in the Host header besides the bound"
                        + " address); repeat for several.")
        List<String> allowedHosts = new ArrayList<>();

        @Option(
                names = "--tls-keystore",
                paramLabel = "FILE.p12",
                description = "Serve the API over HTTPS with this PKCS#12 key and certificate (mode 0600).")
        Path tlsKeystore;

        @Option(
                names = "--tls-password-file",
                paramLabel = "PATH",
                description = "File (mode 0600) holding the password of --tls-keystore.")
        Path tlsPasswordFile;

        ControlAccess load(String device, InetSocketAddress bound) throws IOException {
            if ((tlsKeystore == null) != (tlsPasswordFile == null)) {
                throw new IllegalArgumentException("--tls-keystore and --tls-password-file go together");
            }
            Path file = tokenFile != null ? tokenFile : stateDir.resolve(device + "-" + bound.getPort() + ".token");
            ControlToken.Loaded t = ControlToken.loadOrCreate(file);
            System.out.println("  control token " + (t.created() ? "created in " : "read from ") + file.toAbsolutePath()
                    + " (send it as Authorization: Bearer <token>)");
            return new ControlAccess(
                    t.token(),
                    allowedHosts,
                    tlsKeystore == null ? null : ControlTls.server(tlsKeystore, tlsPasswordFile));
        }

        String scheme() {
            return tlsKeystore == null ? "http" : "https";
        }
    }

    static void runUntilStopped(AutoCloseable... devices) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (AutoCloseable d : devices) {
                                try {
                                    d.close();
                                } catch (Exception ignored) {
                                    // shutting down: nothing left to tell
                                }
                            }
                            stopped.countDown();
                        },
                        "rtv-shutdown"));
        stopped.await();
    }

    @Command(
            name = "tx",
            mixinStandardHelpOptions = true,
            description = "A DICOM-RTV transmitter: video (ST 2110-20) and its PS3.22 metadata flow; SDP at GET /SDP.")
    static final class Tx implements Callable<Integer> {
        @Option(
                names = "--name",
                defaultValue = "MedSync transmitter",
                description = "Shown in the SDP and the test pattern.")
        String name;

        @Option(
                names = "--control",
                defaultValue = "127.0.0.1:9001",
                description = "HOST:PORT of the control API (default ${DEFAULT-VALUE}).")
        String control;

        @Option(
                names = "--source",
                defaultValue = "pattern",
                description =
                        "'pattern' (test pattern with frame counter and time), a .y4m file (4:2:2, 8 or 10 bit), or"
                                + " ffmpeg:INPUT for anything FFmpeg decodes, scaled to the configured format (ffmpeg:/path/video.mp4,"
                                + " ffmpeg:/dev/video0 for a V4L2 device).")
        String source;

        @Option(names = "--address", defaultValue = "127.0.0.1", description = "Our address as the SDP names it.")
        String address;

        @Option(names = "--multicast-interface", defaultValue = "lo", description = "Interface multicast leaves by.")
        String multicastInterface;

        @Mixin
        AccessOptions access;

        @Override
        public Integer call() throws Exception {
            Function<VideoFormat, VideoSource> sources = source.equals("pattern")
                    ? f -> new TestPatternSource(name.toUpperCase(Locale.ROOT), f)
                    : source.startsWith("ffmpeg:")
                            ? f -> new FfmpegVideoSource(source.substring("ffmpeg:".length()), f)
                            : f -> new Y4mSource(Path.of(source), f);
            Transmitter tx = new Transmitter(name, sources, new SystemMediaClock(), address, multicastInterface);
            InetSocketAddress bound = address(control);
            TransmitterControl ctl = new TransmitterControl(tx, bound, access.load("tx", bound));
            System.out.println("Transmitter '" + name + "' idle; control API and SDP at " + access.scheme() + "://"
                    + control + "/ (docs/rtv-control.md)");
            runUntilStopped(ctl, tx);
            return 0;
        }
    }

    @Command(
            name = "rx",
            mixinStandardHelpOptions = true,
            description =
                    "A DICOM-RTV receiver: subscribes by SDP, composes flows side by side with the metadata overlay.")
    static final class Rx implements Callable<Integer> {
        @Option(names = "--name", defaultValue = "MedSync receiver")
        String name;

        @Option(
                names = "--control",
                defaultValue = "127.0.0.1:9101",
                description = "HOST:PORT of the control API (default ${DEFAULT-VALUE}).")
        String control;

        @Option(
                names = "--multicast-interface",
                defaultValue = "lo",
                description = "Interface multicast groups are joined on.")
        String multicastInterface;

        @Option(
                names = "--y4m",
                description = "Also record the composed output to this Y4M file (opened at the first configuration:"
                        + " its size is the composed one).")
        Path y4m;

        @Option(
                names = "--sdp",
                paramLabel = "FILE",
                description = "Receive the flow this SDP file describes (repeat for up to 4 flows side by side)"
                        + " right away, without a configurator; the control API can replace it later.")
        List<Path> sdp = new ArrayList<>();

        @Option(
                names = "--latency-ms",
                defaultValue = "40",
                description = "Playout latency for --sdp flows (default ${DEFAULT-VALUE}).")
        int latencyMs;

        @Option(
                names = "--no-overlay",
                description = "Compose the pictures only: no metadata overlay, whatever a configuration asks.")
        boolean noOverlay;

        @Option(
                names = "--window",
                description = "Show the composed output in a desktop window (needs a display, e.g. Xvfb).")
        boolean window;

        @Mixin
        AccessOptions access;

        @Mixin
        RecordCommand.ArchiveTarget record;

        /** The receiver with the command line applied: SDP flows received, Y4M recording armed, overlay switch. */
        Receiver open() throws IOException {
            Receiver rx = new Receiver(name, new SystemMediaClock(), multicastInterface);
            try {
                rx.overlay(!noOverlay);
                if (y4m != null) {
                    rx.recordY4m(y4m);
                }
                if (!sdp.isEmpty()) {
                    List<FlowDescription> flows = new ArrayList<>();
                    for (Path p : sdp) {
                        try {
                            flows.add(FlowDescription.parse(Files.readString(p)));
                        } catch (SdpException | IllegalArgumentException e) {
                            throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
                        }
                    }
                    rx.configure(new ReceiverConfig(
                            flows, ReceiverConfig.SIDE_BY_SIDE, 7, DEFAULT_OVERLAY, latencyMs, !noOverlay));
                }
                return rx;
            } catch (IOException | RuntimeException e) {
                rx.close();
                throw e;
            }
        }

        @Override
        public Integer call() throws Exception {
            Receiver rx = open();
            // Every procedure the configurator sets up becomes one recording (split on a new Study Instance UID).
            RtvRecorder recorder = record.archive == null ? null : record.recorder();
            if (recorder != null) {
                rx.frames().subscribe(recorder);
                System.out.println("  recording every procedure into " + record.archive);
            }
            InetSocketAddress bound = address(control);
            ReceiverControl ctl = new ReceiverControl(rx, bound, access.load("rx", bound));
            AutoCloseable shown = window ? ReceiverWindow.open(rx, name, 25) : () -> {};
            System.out.println("Receiver '" + name + "' " + (sdp.isEmpty() ? "idle" : "receiving " + sdp)
                    + "; control API at " + access.scheme() + "://" + control
                    + "/ (docs/rtv-control.md)");
            runUntilStopped(shown, ctl, recorder == null ? () -> {} : recorder, rx);
            return 0;
        }
    }
}
