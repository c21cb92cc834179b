package org.medsync.rtv.receiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.MetadataDepacketizer;
import org.medsync.rtv.video.Snapshots;
import org.medsync.rtv.video.Y4m;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.VideoFormat;
import org.medsync.st2110.video.VideoFrame;

/**
 * A DICOM-RTV receiver device. Subscribes to the configured flows, plays out frame N at its
 * alignment point + the configured latency: composes the flows' frames with frame N's RTP
 * timestamp side by side (a late or broken frame is concealed by repeating that flow's last good
 * frame, never waited for), draws the first flow's metadata in the overlay zone, and hands the
 * result, with the {@linkplain #annotations() remote annotations} drawn over it, to the outputs: {@link #frames()} subscribers, the latest snapshot (PNG), and optionally a
 * Y4M file. Thread-safe.
 */
public final class Receiver implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Receiver.class.getName());

    /** GET /status, one entry per flow. */
    public record FlowStatus(
            String sdpSession,
            long framesComplete,
            long framesConcealed,
            long packetsLost,
            long lastRtpTimestamp,
            long framesIncomplete,
            long malformedPackets,
            long metadataGrains,
            long metadataProblems,
            int receiveBufferBytes,
            double latencyP50Ms,
            double latencyP99Ms,
            String timing,
            long timingReanchors,
            List<PathStatus> paths) {}

    /**
     * One path of a redundant flow (SMPTE ST 2022-7; empty list for a flow with one path): video and metadata
     * together.
     *
     * @param packets copies that arrived by this path
     * @param packetsUsed of those, the copies passed on to reassembly (they arrived before the other path's)
     * @param packetsLost sequence numbers this path did not deliver (the other path may have)
     * @param lastSeen when its last packet arrived, null before one
     * @param up whether packets arrived in the last second
     */
    public record PathStatus(
            String path,
            String destination,
            long packets,
            long packetsUsed,
            long packetsLost,
            Instant lastSeen,
            boolean up) {}

    /** Something the OR staff should know, like the transmitter's alerts. */
    public record Alert(Instant time, String code, String message) {}

    public record Status(
            List<FlowStatus> flows, int latencyMs, long framesPlayed, long y4mFramesDropped, List<Alert> alerts) {}

    /** Alert code: a flow is played by arrival time or against an unsynchronized clock (docs/rtv.md, Playout). */
    public static final String NOT_PTP_ALIGNED = "not-ptp-aligned";

    /** Alert code: one path of a redundant flow delivers nothing; the other carries the flow alone. */
    public static final String PATH_DOWN = "path-down";

    private final String name;
    private final MediaClock clock;
    private final String multicastInterface;
    private final SubmissionPublisher<ComposedFrame> publisher =
            new SubmissionPublisher<>(Executors.newVirtualThreadPerTaskExecutor(), 8);
    private final AtomicLong played = new AtomicLong();
    private final AtomicLong y4mDropped = new AtomicLong();
    private final RemoteAnnotations annotations = new RemoteAnnotations(System::nanoTime);
    private volatile BiConsumer<Integer, VideoFrame> frameListener;
    private volatile ComposedFrame latest;
    private ReceiverConfig config;
    private List<FlowReceiver> flows = List.of();
    private Thread playout;
    private volatile boolean playing;
    private Y4mOutput y4m;
    private Path y4mPending;
    private volatile boolean overlayOn = true;

    public Receiver(String name, MediaClock clock, String multicastInterface) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.multicastInterface = multicastInterface;
    }

    /** Per flow, how its video datagrams leave the socket ("recvmmsg", or "receive" on the JDK path). */
    public synchronized List<String> datagramIo() {
        return flows.stream().map(f -> f.datagramIo).toList();
    }

    /**
     * Every reassembled frame of every flow (flow index, frame), before playout: for tests and measurements. Frames
     * given to a listener are the listener's to keep (they leave the receiver's frame pool, which then allocates): a
     * benchmark of the receiver's own costs reads {@link #status()} instead.
     */
    public void onFlowFrame(BiConsumer<Integer, VideoFrame> listener) {
        this.frameListener = listener;
    }

    /**
     * Applies a configuration: opens the new subscriptions first; only when all of them opened are
     * the old ones closed (a configuration that cannot be applied leaves the receiver as it was).
     *
     * @throws IOException when a socket cannot be opened or a group joined
     */
    public synchronized void configure(ReceiverConfig c) throws IOException {
        List<FlowReceiver> next = new ArrayList<>();
        try {
            stopPlayout();
            for (FlowDescription d : c.flows()) {
                int index = next.size();
                FlowReceiver r = new FlowReceiver(
                        d,
                        clock,
                        c.latencyMs(),
                        f -> {
                            BiConsumer<Integer, VideoFrame> l = frameListener;
                            if (l != null) {
                                l.accept(index, f);
                            }
                        },
                        () -> frameListener != null);
                next.add(r);
            }
            flows.forEach(FlowReceiver::close);
            for (int i = 0; i < next.size(); i++) {
                next.get(i).start(name + "-" + i, multicastInterface);
            }
        } catch (IOException | RuntimeException e) {
            next.forEach(FlowReceiver::close);
            if (config != null) {
                List<FlowReceiver> old = new ArrayList<>();
                for (FlowDescription d : config.flows()) {
                    old.add(new FlowReceiver(d, clock, config.latencyMs(), null));
                }
                flows = old;
                for (int i = 0; i < old.size(); i++) {
                    old.get(i).start(name + "-" + i, multicastInterface);
                }
                startPlayout();
            }
            throw e;
        }
        flows = List.copyOf(next);
        VideoFormat before = config == null ? null : mosaic(config);
        config = c;
        if (y4m != null && !mosaic(c).equals(before)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: Y4M recording stopped: the composed format changed", name);
            y4m.close();
            y4m = null;
        } else if (y4m == null && y4mPending != null) {
            y4m = new Y4mOutput(y4mPending, mosaic(c));
            y4mPending = null;
        }
        startPlayout();
        LOG.log(
                System.Logger.Level.INFO,
                "{0}: receiving {1} flows, latency {2} ms, receive buffer {3} bytes",
                name,
                flows.size(),
                c.latencyMs(),
                flows.getFirst().receiveBufferBytes);
    }

    /**
     * Writes every composed frame to a Y4M file from now on (null stops); before the first configuration the file
     * is opened when one arrives (its size is the mosaic's). A reconfiguration that changes the composed format ends
     * the recording. Frames are dropped, not queued, when the disk is slow.
     */
    public synchronized void recordY4m(Path file) throws IOException {
        if (y4m != null) {
            y4m.close();
            y4m = null;
        }
        y4mPending = null;
        if (file != null) {
            if (config == null) {
                y4mPending = file;
            } else {
                y4m = new Y4mOutput(file, mosaic(config));
            }
        }
    }

    /** Device-wide overlay switch (CLI {@code --no-overlay}); a configuration can also switch it off per flow set. */
    public void overlay(boolean on) {
        overlayOn = on;
    }

    private static VideoFormat mosaic(ReceiverConfig c) {
        return Compositor.mosaic(c.flows().stream().map(FlowDescription::format).toList());
    }

    /** Composed frames as they are played out; slow subscribers lose frames rather than slow the playout. */
    public Flow.Publisher<ComposedFrame> frames() {
        return publisher;
    }

    /**
     * The remote expert's strokes, drawn over every composed frame from the next one played out (docs/rtv.md
     * "Remote annotations"): what the OR display and the gateway to remote viewers show alike.
     */
    public RemoteAnnotations annotations() {
        return annotations;
    }

    public Optional<ComposedFrame> latest() {
        return Optional.ofNullable(latest);
    }

    /** The latest composed frame as PNG, if one was played. */
    public Optional<byte[]> snapshotPng() {
        ComposedFrame f = latest;
        return f == null ? Optional.empty() : Optional.of(Snapshots.png(f.frame(), f.format()));
    }

    /**
     * Flow {@code index}'s static metadata as last received (everything but the Current Frame Functional Groups
     * Sequence); empty before one arrived. A consumer that sends metadata on (the OR gateway) sends it once and then
     * only each frame's dynamic part.
     */
    public synchronized Optional<Dataset> staticMetadata(int index) {
        return index < flows.size() ? Optional.ofNullable(flows.get(index).staticPart()) : Optional.empty();
    }

    public synchronized Optional<ReceiverConfig> config() {
        return Optional.ofNullable(config);
    }

    public synchronized Status status() {
        List<FlowStatus> out = new ArrayList<>();
        for (FlowReceiver r : flows) {
            var v = r.videoStats();
            var m = r.metadataStats();
            out.add(new FlowStatus(
                    r.description.sessionName(),
                    v.framesComplete(),
                    r.framesConcealed.get(),
                    v.packetsLost()
                            + m.map(MetadataDepacketizer.Stats::packetsLost).orElse(0L),
                    r.lastRtpTimestamp,
                    v.framesIncomplete(),
                    r.malformedPackets.get(),
                    m.map(s -> s.grains()).orElse(0L),
                    m.map(s -> s.problems().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum())
                            .orElse(0L),
                    r.receiveBufferBytes,
                    r.latency.percentile(50) / 1e6,
                    r.latency.percentile(99) / 1e6,
                    r.timing.name().toLowerCase(Locale.ROOT),
                    r.reanchors.get(),
                    paths(r)));
        }
        return new Status(out, config != null ? config.latencyMs() : 0, played.get(), y4mDropped.get(), alerts(flows));
    }

    private static List<PathStatus> paths(FlowReceiver r) {
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        List<PathStatus> out = new ArrayList<>();
        for (FlowReceiver.Path p : r.paths()) {
            out.add(new PathStatus(
                    p.name(),
                    p.destination(),
                    p.packets(),
                    p.used(),
                    p.lost(),
                    p.packets() == 0 ? null : now.minusNanos(nowNanos - p.lastSeenNanos()),
                    p.up()));
        }
        return out;
    }

    private static List<Alert> alerts(List<FlowReceiver> flows) {
        List<Alert> out = new ArrayList<>();
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < flows.size(); i++) {
            FlowReceiver r = flows.get(i);
            List<FlowReceiver.Path> paths = r.paths();
            for (int p = 0; p < paths.size(); p++) {
                if (!paths.get(p).up()) {
                    String other = p == 0 ? "secondary" : "primary";
                    out.add(new Alert(
                            now.minusNanos(nowNanos - r.downSinceNanos(p)),
                            PATH_DOWN,
                            "flow " + i + ": the " + paths.get(p).name() + " path ("
                                    + paths.get(p).destination() + ") delivers nothing; the flow depends on the "
                                    + other + " path alone"));
                }
            }
            Instant since = r.notAlignedSince;
            if (since == null) {
                continue;
            }
            String what = switch (r.timing) {
                case ARRIVAL ->
                    "its RTP timestamps do not follow a reference clock (no a=mediaclk:direct, or not matching"
                            + " it): played by arrival time, not frame-exact with other flows";
                default -> "its SDP names no PTP reference (a=ts-refclk): timestamps follow the sender's own clock";
            };
            out.add(new Alert(since, NOT_PTP_ALIGNED, "flow " + i + " is not PTP-aligned: " + what));
        }
        return out;
    }

    /** The per-flow latency from alignment point to complete frame (nanoseconds), p-th percentile. */
    public synchronized long latencyNanos(int flow, double percentile) {
        return flows.get(flow).latency.percentile(percentile);
    }

    private void startPlayout() {
        playing = true;
        ReceiverConfig c = config;
        List<FlowReceiver> fs = flows;
        playout = Thread.ofPlatform().daemon().name(name + "-playout").start(() -> play(c, fs));
    }

    private void stopPlayout() {
        playing = false;
        if (playout != null) {
            playout.interrupt();
            try {
                playout.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            playout = null;
        }
    }

    private void play(ReceiverConfig c, List<FlowReceiver> fs) {
        List<VideoFormat> inputs = fs.stream().map(r -> r.description.format()).toList();
        VideoFormat out = Compositor.mosaic(inputs);
        FrameClock fc = FrameClock.video(out.rate());
        long latency = c.latencyMs() * 1_000_000L;
        ByteBuffer[] lastGood = new ByteBuffer[fs.size()];
        long n = fc.frameAtOrAfter(clock.taiNanos() - latency) + 1;
        while (playing) {
            long playAt = fc.alignmentNanos(n) + latency;
            long wait = playAt - clock.taiNanos();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted() || !playing) {
                    return;
                }
                continue;
            }
            if (-wait > out.rate().approximatePeriodNanos()) {
                n = fc.frameAtOrBefore(clock.taiNanos() - latency); // fell behind: skip to now
                continue;
            }
            long ts = fc.rtpTimestamp(n);
            List<ByteBuffer> frames = new ArrayList<>();
            List<Boolean> concealed = new ArrayList<>();
            List<Optional<Dataset>> meta = new ArrayList<>();
            for (int i = 0; i < fs.size(); i++) {
                FlowReceiver r = fs.get(i);
                Optional<VideoFrame> f = r.holdCompleteFrameAt(ts);
                if (f.isPresent()) {
                    lastGood[i] = f.get().data();
                    concealed.add(false);
                } else {
                    if (lastGood[i] != null) {
                        r.framesConcealed.incrementAndGet();
                    }
                    concealed.add(true); // repeated last good frame, or black before the first one
                }
                frames.add(lastGood[i]);
                meta.add(r.metadataAt(ts));
            }
            ByteBuffer composed = Compositor.compose(out, inputs, frames);
            if (c.overlayEnabled() && overlayOn) {
                Compositor.overlay(
                        composed, out, c.overlayZone(), Compositor.lines(meta.getFirst(), c.overlayAttributes()));
            }
            annotations.draw(composed, out);
            ComposedFrame cf = new ComposedFrame(ts, fc.alignmentNanos(n), out, composed, meta, concealed);
            latest = cf;
            played.incrementAndGet();
            publisher.offer(cf, (sub, item) -> false);
            Y4mOutput y = y4m;
            if (y != null && !y.offer(cf)) {
                y4mDropped.incrementAndGet();
            }
            n++;
        }
    }

    @Override
    public synchronized void close() {
        stopPlayout();
        flows.forEach(FlowReceiver::close);
        flows = List.of();
        if (y4m != null) {
            y4m.close();
        }
        publisher.close();
    }

    /** A writer thread with a short queue: the playout never waits for the disk. */
    private static final class Y4mOutput {
        private final BlockingQueue<ComposedFrame> queue = new ArrayBlockingQueue<>(4);
        private final Y4m.Writer writer;
        private final Thread thread;

        Y4mOutput(Path file, VideoFormat f) throws IOException {
            writer = new Y4m.Writer(file, f);
            thread = Thread.ofPlatform().daemon().name("y4m-writer").start(() -> {
                try {
                    while (true) {
                        ComposedFrame cf = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (cf != null) {
                            writer.write(cf.frame());
                        } else if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    // drain below
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "writing Y4M failed", e);
                }
            });
        }

        boolean offer(ComposedFrame f) {
            return queue.offer(f);
        }

        void close() {
            thread.interrupt();
            try {
                thread.join(5000);
                ComposedFrame cf;
                while ((cf = queue.poll()) != null) {
                    writer.write(cf.frame());
                }
                writer.close();
            } catch (InterruptedException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing Y4M output", e);
            }
        }
    }
}
