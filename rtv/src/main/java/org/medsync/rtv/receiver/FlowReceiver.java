package org.medsync.rtv.receiver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.medsync.rtp.RtpDecodeResult;
import org.medsync.rtp.RtpPacket;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.MetadataDepacketizer;
import org.medsync.rtv.metadata.MetadataGrain;
import org.medsync.rtv.metadata.RtvDatasets;
import org.medsync.rtv.net.DatagramBatchReceiver;
import org.medsync.rtv.net.DatagramIo;
import org.medsync.rtv.net.PacketBatch;
import org.medsync.rtv.net.SocketBuffers;
import org.medsync.rtv.redundancy.ReorderBuffer;
import org.medsync.rtv.redundancy.SequenceMerger;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.Rfc4175Depacketizer;
import org.medsync.st2110.video.VideoFrame;

/**
 * Receives one sender's video flow and its metadata flow: one socket each with a 32 MB receive buffer
 * (forced past net.core.rmem_max where permitted, see {@link SocketBuffers}; {@link #receiveBufferBytes}
 * says what we got), multicast joined on the configured interface, source-specifically when the SDP has
 * an {@code a=source-filter}. Frames are kept by their place on the playout grid ({@link #timing}),
 * metadata grains likewise. A redundant flow (SDP {@code a=group:DUP}, SMPTE ST 2022-7) has a socket and a thread per
 * path for video and for metadata; their packets meet in a {@link SequenceMerger} (the first copy goes on to
 * reassembly, later ones are dropped), so frames are assembled from the merged stream.
 */
final class FlowReceiver implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FlowReceiver.class.getName());
    static final int REQUESTED_RCVBUF = 32 << 20;
    private static final int KEEP_FRAMES = 6;
    /** Datagrams per recvmmsg: 64 slots of 9216 bytes (an ST 2110-20 extended-size datagram fits) = 576 KB. */
    static final int RECEIVE_BATCH = 64;

    private static final int SLOT_BYTES = 9216;
    private static final int POLL_MILLIS = 100;
    private static final long MASK = 0xFFFF_FFFFL;
    /** A path without packets for this long is down: a frame period is 16.7-40 ms, packets flow all the time. */
    static final long PATH_DOWN_AFTER_NANOS = 1_000_000_000L;
    /**
     * Behind how many packets a hole in the merged video is waited for (the other path may still fill it); held
     * packets are copied into slots allocated as needed. How long: see {@link #reorderHoldNanos}.
     */
    static final int REORDER_PACKETS = 16_384;

    /** The shortest wait for a hole, whatever the playout latency. */
    static final long MIN_REORDER_HOLD_NANOS = 20_000_000L;

    /** How this flow's RTP timestamps are placed on the receiver's frame grid. */
    enum Timing {
        /** Not yet known: no complete frame so far. */
        NONE,
        /** {@code mediaclk:direct} against a PTP reference, and the timestamps follow it. */
        PTP,
        /** {@code mediaclk:direct} and the timestamps follow our clock, but the SDP names no PTP reference. */
        DIRECT,
        /** Free-running or unaligned sender: timestamps mapped to the arrival time of the frames. */
        ARRIVAL
    }

    final FlowDescription description;
    final AtomicLong malformedPackets = new AtomicLong();
    final AtomicLong framesConcealed = new AtomicLong();
    final LatencyStats latency = new LatencyStats(4096);
    final AtomicLong reanchors = new AtomicLong();
    volatile long lastRtpTimestamp = -1;
    volatile int receiveBufferBytes;
    volatile Timing timing = Timing.NONE;
    /** When the flow was first found not PTP-aligned; null while it is (or before the first frame). */
    volatile Instant notAlignedSince;

    private final MediaClock clock;
    private final FrameClock frameClock;
    private final Consumer<VideoFrame> listener;
    private final Rfc4175Depacketizer video;
    private final MetadataDepacketizer metadata;
    private final Map<Long, Kept> frames = new LinkedHashMap<>();
    private final FramePool pool;
    /** Set while frames go to a listener outside this package, which may keep them: those are never recycled. */
    private final BooleanSupplier framesLeave;
    /** The buffer of the frame playout holds for concealment (guarded by frames): never recycled while held. */
    private ByteBuffer held;
    /** The buffer of the frame in assembly (receive thread only). */
    private ByteBuffer assembling;

    private final Map<Long, Dataset> dynamic = new LinkedHashMap<>();
    private final long ticksPerFrame;
    private final long lateLimit;
    private volatile Dataset staticPart;
    /** RTP timestamp minus grid timestamp, as last used for video; metadata grains follow it. */
    private volatile long offset;

    private boolean anchored;
    /** Per path (0 primary, 1 secondary): null when the flow has one path. Guarded by the depacketizer's lock. */
    private final SequenceMerger videoMerge;

    private final SequenceMerger metadataMerge;
    /** Video only: the metadata depacketizer takes a grain's packets in any order. */
    private final ReorderBuffer videoOrder;

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The video paths' threads: they end before their sockets close (the native receiver uses the descriptor). */
    private final List<Thread> videoThreads = new ArrayList<>();

    private volatile long startedNanos;
    private volatile boolean running;
    volatile String datagramIo = "none";

    /** A frame kept for playout, and its writable buffer (the frame's is a read-only view): null if not recyclable. */
    private record Kept(VideoFrame frame, ByteBuffer buffer) {}

    FlowReceiver(FlowDescription d, MediaClock clock, int latencyMs, Consumer<VideoFrame> listener) {
        this(d, clock, latencyMs, listener, () -> listener != null);
    }

    /**
     * @param framesLeave whether, at the time a frame completes, {@code listener} passes it on to code that may keep
     *                    it (such frames are left to the garbage collector; all others are recycled)
     */
    FlowReceiver(
            FlowDescription d,
            MediaClock clock,
            int latencyMs,
            Consumer<VideoFrame> listener,
            BooleanSupplier framesLeave) {
        this.description = d;
        this.clock = clock;
        this.frameClock = FrameClock.video(d.format().rate());
        this.listener = listener;
        this.framesLeave = framesLeave;
        this.pool = new FramePool(d.format().frameBytes(), KEEP_FRAMES + 3);
        this.ticksPerFrame = FrameClock.VIDEO_CLOCK_RATE
                * d.format().rate().denominator()
                / d.format().rate().numerator();
        this.offset = d.clocking().directOffset().orElse(0);
        // an arrival-mapped frame is still played when it completes up to a frame before its playout
        this.lateLimit = Math.max(ticksPerFrame, latencyMs * FrameClock.VIDEO_CLOCK_RATE / 1000 - ticksPerFrame);
        this.video = new Rfc4175Depacketizer(
                d.format(),
                new Rfc4175Depacketizer.Options(d.videoPayloadType(), 3, this::takeFrameBuffer),
                this::onFrame);
        this.metadata = d.metadata()
                .map(m -> new MetadataDepacketizer(
                        new MetadataDepacketizer.Options(m.payloadType(), m.ids(), 3, 1 << 20, 1024), this::onGrain))
                .orElse(null);
        this.videoMerge = d.secondaryVideo().isPresent() ? new SequenceMerger(2) : null;
        this.videoOrder = videoMerge == null
                ? null
                : new ReorderBuffer(REORDER_PACKETS, reorderHoldNanos(latencyMs, d), this::pushInOrder);
        this.metadataMerge =
                d.metadata().flatMap(FlowDescription.Metadata::secondary).isPresent() ? new SequenceMerger(2) : null;
    }

    void start(String name, String multicastInterface) throws IOException {
        running = true;
        startedNanos = System.nanoTime();
        DatagramChannel video0 = open(
                description.videoAddress(), description.videoPort(), multicastInterface, description.videoSources());
        channels.add(video0);
        receiveBufferBytes = SocketBuffers.requestReceiveBuffer(video0, REQUESTED_RCVBUF);
        listen(name + "-video-rx", video0, 0, true);
        if (description.secondaryVideo().isPresent()) {
            FlowDescription.Leg leg = description.secondaryVideo().get();
            DatagramChannel video1 = open(leg.address(), leg.port(), multicastInterface, leg.sources());
            channels.add(video1);
            SocketBuffers.requestReceiveBuffer(video1, REQUESTED_RCVBUF);
            listen(name + "-video-rx-2", video1, 1, true);
        }
        if (metadata != null) {
            FlowDescription.Metadata m = description.metadata().get();
            DatagramChannel meta0 = open(m.address(), m.port(), multicastInterface, m.sources());
            channels.add(meta0);
            listen(name + "-meta-rx", meta0, 0, false);
            if (m.secondary().isPresent()) {
                FlowDescription.Leg leg = m.secondary().get();
                DatagramChannel meta1 = open(leg.address(), leg.port(), multicastInterface, leg.sources());
                channels.add(meta1);
                listen(name + "-meta-rx-2", meta1, 1, false);
            }
        }
    }

    private void listen(String threadName, DatagramChannel ch, int path, boolean isVideo) throws IOException {
        if (isVideo) {
            DatagramBatchReceiver in = DatagramIo.receiver(ch, DatagramIo.Mode.configured(), RECEIVE_BATCH);
            if (path == 0) {
                datagramIo = in.method();
            }
            Thread t = Thread.ofPlatform().daemon().name(threadName).start(() -> receiveVideo(in, path));
            videoThreads.add(t);
            threads.add(t);
        } else {
            threads.add(Thread.ofPlatform().daemon().name(threadName).start(() -> receiveMetadata(ch, path)));
        }
    }

    /** Binds, and joins a multicast group: for each listed source only (IGMPv3), or any source without a list. */
    private static DatagramChannel open(String address, int port, String iface, List<String> sources)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, REQUESTED_RCVBUF);
            InetAddress a = InetAddress.getByName(address);
            if (a.isMulticastAddress()) {
                ch.bind(new InetSocketAddress(port));
                NetworkInterface nif = NetworkInterface.getByName(iface);
                if (nif == null) {
                    throw new IOException("no network interface '" + iface + "' to join " + address + " on");
                }
                if (sources.isEmpty()) {
                    ch.join(a, nif);
                } else {
                    for (String src : sources) {
                        ch.join(a, nif, InetAddress.getByName(src));
                    }
                }
            } else {
                ch.bind(new InetSocketAddress(a, port));
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Takes every datagram waiting on one path (up to a batch) per call and reassembles them in place: with one path
     * the payload is copied once, from the batch slot into the pooled frame buffer; with two, the merge keeps the
     * first copy of each packet and the reorder buffer copies only what it must hold. No hand-off to another thread:
     * the socket's buffer is the queue (see docs/rtv.md "Sockets and threads").
     */
    private void receiveVideo(DatagramBatchReceiver in, int path) {
        PacketBatch batch = new PacketBatch(RECEIVE_BATCH, SLOT_BYTES);
        try {
            long truncated = 0;
            while (running) {
                int n = in.receive(batch, POLL_MILLIS);
                if (in.truncated() != truncated) {
                    malformedPackets.addAndGet(in.truncated() - truncated);
                    truncated = in.truncated();
                }
                synchronized (video) {
                    for (int i = 0; i < n; i++) {
                        ByteBuffer datagram = batch.slot(i);
                        switch (RtpPacket.decode(datagram.duplicate())) {
                            case RtpDecodeResult.Decoded d -> {
                                if (videoMerge == null) {
                                    video.push(d.packet());
                                } else {
                                    long now = System.nanoTime();
                                    if (videoMerge.accept(
                                            path, d.packet().ssrc(), d.packet().sequenceNumber(), now)) {
                                        videoOrder.offer(videoMerge.lastExtended(), datagram, now);
                                    } else {
                                        videoOrder.expire(now);
                                    }
                                }
                            }
                            default -> malformedPackets.incrementAndGet();
                        }
                    }
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "receive loop of " + description.sessionName() + " ended", e);
        }
    }

    /**
     * How long a hole in the merged video is waited for: as long as the frame it belongs to can still be played on
     * time - the playout latency minus one frame period (the frame's own sending time), at least 20 ms. That is the
     * skew between the two paths tolerated hitlessly (together with {@value #REORDER_PACKETS} packets: 92 ms at
     * 1080p50 10-bit, ~177,500 packets/s): at the default 40 ms latency and 50 Hz, 20 ms.
     */
    static long reorderHoldNanos(int latencyMs, FlowDescription d) {
        return Math.max(
                MIN_REORDER_HOLD_NANOS,
                latencyMs * 1_000_000L - d.format().rate().approximatePeriodNanos());
    }

    /** A merged video datagram, in sequence order: decoded again (it was valid when it arrived). */
    private void pushInOrder(ByteBuffer datagram) {
        if (RtpPacket.decode(datagram) instanceof RtpDecodeResult.Decoded d) {
            video.push(d.packet());
        }
    }

    private void receiveMetadata(DatagramChannel channel, int path) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            while (running) {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                switch (RtpPacket.decode(buf)) {
                    case RtpDecodeResult.Decoded d -> {
                        synchronized (metadata) {
                            if (metadataMerge == null
                                    || metadataMerge.accept(
                                            path, d.packet().ssrc(), d.packet().sequenceNumber(), System.nanoTime())) {
                                metadata.push(d.packet());
                            }
                        }
                    }
                    default -> malformedPackets.incrementAndGet();
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close()
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "metadata loop of " + description.sessionName() + " ended", e);
        }
    }

    private void onFrame(VideoFrame f) {
        long grid = -1;
        if (f.complete()) {
            long now = clock.taiNanos();
            grid = place(f.rtpTimestamp(), now);
            if (timing == Timing.PTP || timing == Timing.DIRECT) {
                long ticks = (frameClock.mediaClockAt(now) - grid) & MASK;
                if (ticks < 90_000L * 10) {
                    latency.add(ticks * 1_000_000_000L / 90_000);
                }
            }
            lastRtpTimestamp = f.rtpTimestamp();
        }
        ByteBuffer buffer = framesLeave.getAsBoolean() ? null : assembling;
        synchronized (frames) {
            Kept before = frames.put(grid >= 0 ? grid : (f.rtpTimestamp() - offset) & MASK, new Kept(f, buffer));
            if (before != null) {
                recycle(before);
            }
            while (frames.size() > KEEP_FRAMES) {
                Long oldest = frames.keySet().iterator().next();
                recycle(frames.remove(oldest));
            }
        }
        if (listener != null) {
            listener.accept(f);
        }
    }

    /**
     * The grid RTP timestamp (frame N's {@link FrameClock#rtpTimestamp}) a complete frame is played at. A flow whose
     * SDP gives {@code mediaclk:direct=<offset>} and whose timestamps minus that offset fall on the grid and at most
     * 1 s before their arrival is aligned; any other frame is mapped by arrival: the first one to the next grid
     * point after it arrived, later ones by their RTP distance from it (so frame spacing is the sender's), anchored
     * again when one would complete less than a frame before its playout, or so early that it would leave the
     * buffer of {@value #KEEP_FRAMES} frames first (sender restart, a sender slower or faster than its rate).
     */
    private long place(long ts, long arrivalTai) {
        long m = frameClock.mediaClockAt(arrivalTai);
        var direct = description.clocking().directOffset();
        if (direct.isPresent()) {
            long g = (ts - direct.getAsLong()) & MASK;
            long late = signed(m - g);
            if (late >= -ticksPerFrame / 2 && late < FrameClock.VIDEO_CLOCK_RATE && onGrid(g, arrivalTai, late)) {
                offset = direct.getAsLong();
                anchored = false;
                setTiming(description.clocking().ptp() ? Timing.PTP : Timing.DIRECT);
                return g;
            }
        }
        if (anchored) {
            long g = (ts - offset) & MASK;
            long late = signed(m - g);
            if (late > -(KEEP_FRAMES - 2) * ticksPerFrame && late <= lateLimit) {
                long snapped = nearestGrid(g, arrivalTai, late);
                setTiming(Timing.ARRIVAL);
                return snapped;
            }
            reanchors.incrementAndGet();
        }
        long grid = frameClock.rtpTimestamp(frameClock.frameAtOrAfter(arrivalTai));
        offset = (ts - grid) & MASK;
        anchored = true;
        setTiming(Timing.ARRIVAL);
        return grid;
    }

    private void setTiming(Timing t) {
        if (t != timing) {
            if (t != Timing.PTP && notAlignedSince == null) {
                notAlignedSince = Instant.now();
            } else if (t == Timing.PTP) {
                notAlignedSince = null;
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "flow {0}: timing {1}",
                    description.sessionName(),
                    t.name().toLowerCase(Locale.ROOT));
            timing = t;
        }
    }

    /** Whether media clock value g is a grid point: frame k near (arrival - late) has exactly that timestamp. */
    private boolean onGrid(long g, long arrivalTai, long late) {
        return nearestGrid(g, arrivalTai, late) == g;
    }

    private long nearestGrid(long g, long arrivalTai, long late) {
        long k = frameClock.frameAtOrBefore(arrivalTai - late * 1_000_000_000L / FrameClock.VIDEO_CLOCK_RATE);
        long best = frameClock.rtpTimestamp(k);
        for (long j = k - 1; j <= k + 1; j++) {
            long t = frameClock.rtpTimestamp(j);
            if (Math.abs(signed(t - g)) < Math.abs(signed(best - g))) {
                best = t;
            }
        }
        return best;
    }

    private static long signed(long diff) {
        return (int) diff;
    }

    private void onGrain(MetadataGrain g) {
        Dataset ds = g.metadata().dataset();
        if (RtvDatasets.hasStaticPart(ds)) {
            staticPart = RtvDatasets.withoutDynamicPart(ds);
        }
        try {
            Dataset item = RtvDatasets.currentFrame(ds);
            synchronized (dynamic) {
                dynamic.put((g.rtpTimestamp() - offset) & MASK, item);
                while (dynamic.size() > 16) {
                    dynamic.remove(dynamic.keySet().iterator().next());
                }
            }
        } catch (RuntimeException notRtv) {
            malformedPackets.incrementAndGet();
        }
    }

    Optional<VideoFrame> frameAt(long rtpTimestamp) {
        synchronized (frames) {
            return Optional.ofNullable(frames.get(rtpTimestamp)).map(Kept::frame);
        }
    }

    /**
     * The complete frame at a grid timestamp, held for concealment: its buffer is not recycled until another frame is
     * held in its place (playout shows the held frame again while later ones are missing).
     */
    Optional<VideoFrame> holdCompleteFrameAt(long rtpTimestamp) {
        synchronized (frames) {
            Kept k = frames.get(rtpTimestamp);
            if (k == null || !k.frame().complete()) {
                return Optional.empty();
            }
            held = k.buffer();
            return Optional.of(k.frame());
        }
    }

    /** Frame buffers taken from the pool so far (allocated when it was empty); a steady flow stops allocating. */
    long frameBuffersAllocated() {
        return pool.allocated();
    }

    /** Guarded by frames. */
    private void recycle(Kept k) {
        if (k.buffer() != null && k.buffer() != held) {
            pool.recycle(k.buffer());
        }
    }

    /** The depacketizer assembles one frame at a time and emits it before it takes the next buffer. */
    private ByteBuffer takeFrameBuffer(int bytes) {
        assembling = pool.take(bytes);
        return assembling;
    }

    /** The static part as last received (everything but the dynamic part), null before one. */
    Dataset staticPart() {
        return staticPart;
    }

    /** Static part merged with the dynamic item of this frame (or the latest one); empty before a static part. */
    Optional<Dataset> metadataAt(long rtpTimestamp) {
        Dataset s = staticPart;
        if (s == null) {
            return Optional.empty();
        }
        Dataset d;
        synchronized (dynamic) {
            d = dynamic.get(rtpTimestamp);
            if (d == null && !dynamic.isEmpty()) {
                d = dynamic.values().stream().reduce((a, b) -> b).orElse(Dataset.EMPTY);
            }
        }
        return Optional.of(d == null ? s : s.merge(d));
    }

    Rfc4175Depacketizer.Stats videoStats() {
        synchronized (video) {
            return video.stats();
        }
    }

    Optional<MetadataDepacketizer.Stats> metadataStats() {
        if (metadata == null) {
            return Optional.empty();
        }
        synchronized (metadata) {
            return Optional.of(metadata.stats());
        }
    }

    /** One path of a redundant flow, as GET /status shows it. */
    record Path(String name, String destination, long packets, long used, long lost, long lastSeenNanos, boolean up) {}

    /** The paths of a redundant flow (primary, secondary), video and metadata together; empty for one path. */
    List<Path> paths() {
        if (videoMerge == null) {
            return List.of();
        }
        long now = System.nanoTime();
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SequenceMerger.PathCounters v;
            synchronized (video) {
                v = videoMerge.path(i);
            }
            SequenceMerger.PathCounters m = null;
            if (metadataMerge != null) {
                synchronized (metadata) {
                    m = metadataMerge.path(i);
                }
            }
            String dest = i == 0
                    ? description.videoAddress() + ":" + description.videoPort()
                    : description.secondaryVideo().get().address() + ":"
                            + description.secondaryVideo().get().port();
            // down when either flow of the path has been silent too long (or never arrived since we started)
            long videoSeen = v.packets() > 0 ? v.lastSeenNanos() : startedNanos;
            long seen = videoSeen;
            if (m != null) {
                long metaSeen = m.packets() > 0 ? m.lastSeenNanos() : startedNanos;
                seen = Math.min(videoSeen, metaSeen);
            }
            out.add(new Path(
                    i == 0 ? "primary" : "secondary",
                    dest,
                    v.packets() + (m == null ? 0 : m.packets()),
                    v.firstCopies() + (m == null ? 0 : m.firstCopies()),
                    v.lost() + (m == null ? 0 : m.lost()),
                    Math.max(v.lastSeenNanos(), m == null ? Long.MIN_VALUE : m.lastSeenNanos()),
                    now - seen < PATH_DOWN_AFTER_NANOS));
        }
        return out;
    }

    /** Since when (nanoTime) path {@code i} has been down: its older flow's last packet + the down delay. */
    long downSinceNanos(int i) {
        long seen;
        synchronized (video) {
            var v = videoMerge.path(i);
            seen = v.packets() > 0 ? v.lastSeenNanos() : startedNanos;
        }
        if (metadataMerge != null) {
            synchronized (metadata) {
                var m = metadataMerge.path(i);
                seen = Math.min(seen, m.packets() > 0 ? m.lastSeenNanos() : startedNanos);
            }
        }
        return seen + PATH_DOWN_AFTER_NANOS;
    }

    /**
     * Stops the video threads before their sockets close (the native receiver uses the descriptor by number, see
     * {@link DatagramIo}), then closes; the metadata threads, blocked in the JDK's receive, end with their sockets.
     */
    @Override
    public void close() {
        running = false;
        videoThreads.forEach(FlowReceiver::join);
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        threads.forEach(FlowReceiver::join);
    }

    private static void join(Thread t) {
        try {
            if (t != null) {
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
