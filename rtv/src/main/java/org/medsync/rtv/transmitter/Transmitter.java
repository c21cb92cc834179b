package org.medsync.rtv.transmitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.ptp.clock.PtpStatus;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMetadata;
import org.medsync.rtv.time.PtpClock;
import org.medsync.st2110.pacing.PacingAnalyzer;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * A DICOM-RTV transmitter device: one video flow and its metadata flow. Configure, start, stop,
 * post dynamic metadata; read status and SDP. Thread-safe (the control API calls it).
 */
public final class Transmitter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Transmitter.class.getName());

    /** A problem worth an operator's attention. */
    public record Alert(Instant time, String code, String message) {}

    /** GET /status. */
    public record Status(
            String state,
            String source,
            VideoFormat format,
            long framesSent,
            long packetsSent,
            long framesSkipped,
            List<Alert> alerts,
            Optional<PacingAnalyzer.Report> pacing,
            int sendBufferBytes,
            Optional<PtpStatus> ptp,
            Optional<String> ptpAlert,
            List<PathStatus> paths) {}

    /**
     * One path of a redundant (SMPTE ST 2022-7) sender; none listed with one path.
     *
     * @param packetsSent datagrams written on this path (video and metadata) by the running configuration
     * @param sendErrors writes that failed on this path while the other went on
     */
    public record PathStatus(String path, String videoDestination, long packetsSent, long sendErrors) {}

    private final String name;
    private final Function<VideoFormat, VideoSource> sources;
    private final MediaClock clock;
    private final String sourceAddress;
    private final String multicastInterface;
    private final FrameSynchronizer sync = new FrameSynchronizer();
    private final Sender.Ids ids;
    private final List<Alert> alerts = new ArrayList<>();
    private final long sessionId = System.currentTimeMillis() / 1000;
    private final AtomicLong sdpVersion = new AtomicLong(1);
    // the SDP names the clock, so a lock change is a new SDP version
    private final PtpClock ptp = new PtpClock(this::alert, sdpVersion::incrementAndGet);
    private TransmitterConfig config;
    private SendPacing pacing = SendPacing.NARROW_LINEAR;
    private VideoSource source;
    private Sender sender;
    private long sentBefore;
    private long packetsBefore;

    /**
     * @param sources         makes the frame source for a configured format
     * @param sourceAddress   our address as the SDP names it (origin, source filter)
     * @param multicastInterface the interface multicast leaves by ("lo" on a single host)
     */
    public Transmitter(
            String name,
            Function<VideoFormat, VideoSource> sources,
            MediaClock clock,
            String sourceAddress,
            String multicastInterface) {
        this.name = Objects.requireNonNull(name, "name");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sourceAddress = sourceAddress;
        this.multicastInterface = multicastInterface;
        UUID src = UUID.randomUUID();
        this.ids = new Sender.Ids(
                src,
                UUID.randomUUID(),
                UUID.randomUUID(),
                "2.25." + new BigInteger(1, RtvMetadata.uuidBytes(UUID.randomUUID())));
    }

    /** Applies a configuration, free-running (no PTP); a running transmitter restarts with it. */
    public TransmitterConfig configure(TransmitterConfig c) {
        return configure(c, Optional.empty());
    }

    /**
     * Applies a configuration and the ptp4l to watch (empty: free-running); a running transmitter
     * restarts with it.
     */
    public synchronized TransmitterConfig configure(TransmitterConfig c, Optional<PtpMonitor.Settings> ptpSettings) {
        Objects.requireNonNull(c, "config");
        // Open the new source before letting go of the old one: a source that cannot open (a missing file,
        // a busy device) refuses the configuration and the transmitter goes on as it was.
        VideoSource next = sources.apply(c.video());
        boolean wasRunning = sender != null;
        stopSending();
        if (source != null) {
            source.close();
        }
        config = c;
        source = next;
        ptp.use(ptpSettings);
        sdpVersion.incrementAndGet();
        source.mismatch().ifPresent(m -> alert("format-mismatch", m));
        if (wasRunning) {
            startSending();
        }
        return c;
    }

    /**
     * How frames are paced from the next start on (a running transmitter restarts with it); a new SDP version, whose
     * {@code TP=} names the sender type. Narrow linear unless set.
     */
    public synchronized void pacing(SendPacing p) {
        Objects.requireNonNull(p, "pacing");
        if (p == pacing) {
            return;
        }
        boolean wasRunning = sender != null;
        stopSending();
        pacing = p;
        sdpVersion.incrementAndGet();
        if (wasRunning) {
            startSending();
        }
    }

    public synchronized SendPacing pacing() {
        return pacing;
    }

    /** How the running sender hands video datagrams to the socket ("sendmmsg+gso", "write"); empty when idle. */
    public synchronized Optional<String> datagramIo() {
        return Optional.ofNullable(sender).map(s -> s.datagramIo);
    }

    public synchronized Optional<TransmitterConfig> config() {
        return Optional.ofNullable(config);
    }

    /** @throws IllegalStateException when not configured */
    public synchronized void start() {
        if (config == null) {
            throw new IllegalStateException("not configured: PUT /config first");
        }
        if (sender == null) {
            startSending();
        }
    }

    public synchronized void stop() {
        stopSending();
    }

    private void startSending() {
        Sender s = new Sender(config, pacing, source, clock, sync, ids, multicastInterface);
        try {
            s.start(name);
        } catch (IOException e) {
            s.stop();
            alert("socket", "cannot open the sending socket: " + e.getMessage());
            throw new UncheckedIOException(e);
        }
        sender = s;
        LOG.log(
                System.Logger.Level.INFO,
                "{0}: sending {1} to {2} and metadata to {3}, SO_SNDBUF {4}, {5} pacing, {6}",
                name,
                config.video(),
                config.videoDestination(),
                config.metadataDestination(),
                s.sendBufferBytes,
                pacing,
                s.datagramIo);
    }

    private void stopSending() {
        if (sender != null) {
            sender.stop();
            sentBefore += sender.framesSent.get();
            packetsBefore += sender.packetsSent.get();
            sender = null;
        }
    }

    /** Dynamic attributes sent with every frame from the next alignment point on. */
    public void postDynamic(Dataset attributes) {
        sync.post(clock.taiNanos(), attributes);
    }

    /** @throws IllegalStateException when not configured */
    public synchronized String sdp() {
        if (config == null) {
            throw new IllegalStateException("not configured: no flows to describe");
        }
        return TransmitterSdp.of(
                        config,
                        name,
                        sourceAddress,
                        sessionId,
                        sdpVersion.get(),
                        ptp.refClk(sourceAddress, multicastInterface),
                        pacing.senderType())
                .generate();
    }

    /** The ptp4l watched, if any. */
    public synchronized Optional<PtpMonitor.Settings> ptpSettings() {
        return ptp.settings();
    }

    public synchronized Status status() {
        Sender s = sender;
        return new Status(
                s != null ? "sending" : "idle",
                source != null ? source.describe() : "none",
                config != null ? config.video() : null,
                sentBefore + (s != null ? s.framesSent.get() : 0),
                packetsBefore + (s != null ? s.packetsSent.get() : 0),
                s != null ? s.framesSkipped.get() : 0,
                alertsSoFar(),
                Optional.ofNullable(s != null ? s.pacing.get() : null),
                s != null ? s.sendBufferBytes : 0,
                ptp.status(),
                ptp.activeAlert(),
                paths(s));
    }

    private List<PathStatus> paths(Sender s) {
        if (config == null || config.redundancy().isEmpty()) {
            return List.of();
        }
        TransmitterConfig.Endpoint[] video = {
            config.videoDestination(), config.redundancy().get().video()
        };
        List<PathStatus> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            out.add(new PathStatus(
                    i == 0 ? "primary" : "secondary",
                    video[i].address() + ":" + video[i].port(),
                    s == null ? 0 : s.pathPackets[i].get(),
                    s == null ? 0 : s.pathErrors[i].get()));
        }
        return out;
    }

    private List<Alert> alertsSoFar() {
        synchronized (alerts) {
            return List.copyOf(alerts);
        }
    }

    // called from the PTP monitor's thread too: guarded by the list, not by the device
    private void alert(String code, String message) {
        synchronized (alerts) {
            alerts.add(new Alert(Instant.now(), code, message));
            while (alerts.size() > 50) {
                alerts.removeFirst();
            }
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}: {2}", name, code, message);
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        ptp.close();
        stopSending();
        if (source != null) {
            source.close();
        }
    }
}
