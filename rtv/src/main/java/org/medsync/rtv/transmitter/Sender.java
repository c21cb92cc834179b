package org.medsync.rtv.transmitter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.MetadataPacketizer;
import org.medsync.rtv.metadata.RtvDatasets;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.metadata.RtvMetadata;
import org.medsync.rtv.metadata.TaiTimestamp;
import org.medsync.rtv.net.DatagramBatchSender;
import org.medsync.rtv.net.DatagramIo;
import org.medsync.rtv.net.PacketBatch;
import org.medsync.st2110.pacing.PacingAnalyzer;
import org.medsync.st2110.pacing.PacingModel;
import org.medsync.st2110.pacing.PacketScheduler;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.Rfc4175Payloader;
import org.medsync.st2110.video.VideoFormat;

/**
 * The sending loop of one running configuration: a producer thread renders frames ahead into a
 * small pool, the sender thread sends frame N's metadata grain at its alignment point and its
 * video packets paced narrow-linear (ST 2110-21) from alignment + TROFFSET, both with frame N's
 * RTP timestamp. A frame the sender cannot start before its period is over is skipped; one
 * started late inside its period is sent at once, without pacing gaps, until it catches up. Video leaves in batches
 * ({@link SendPacing#batch}: CMAX packets for the ST 2110-21 types) from one pooled off-heap {@link PacketBatch}, one
 * sendmmsg (with UDP GSO) per batch where the natives are available ({@link DatagramIo}); a wake-up sends the packets
 * due within {@value #SPIN_LIMIT_NANOS} ns, then parks until the next one is.
 */
final class Sender {

    private static final System.Logger LOG = System.getLogger(Sender.class.getName());
    private static final long SPIN_LIMIT_NANOS = 60_000;
    private static final int SELF_CHECK_FRAMES = 4;
    private static final int SEND_BUFFER = 32 << 20;
    private static final int MAX_BATCH = 64;

    record Ids(UUID source, UUID videoFlow, UUID metadataFlow, String sopInstanceUid) {}

    private record Prepared(long frame, ByteBuffer data) {}

    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong framesSkipped = new AtomicLong();
    final AtomicLong grainsSent = new AtomicLong();
    final AtomicLong unreachable = new AtomicLong();
    final AtomicReference<PacingAnalyzer.Report> pacing = new AtomicReference<>();
    volatile int sendBufferBytes;
    volatile String datagramIo = "none";

    private final TransmitterConfig config;
    private final SendPacing pacingType;
    private final VideoSource source;
    private final MediaClock clock;
    private final FrameSynchronizer sync;
    private final Ids ids;
    private final String multicastInterface;
    private final VideoFormat fmt;
    private final FrameClock frameClock;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(3);
    private final BlockingQueue<Prepared> ready = new ArrayBlockingQueue<>(3);
    private volatile boolean running = true;
    private Thread producer;
    private Thread sender;
    private DatagramChannel channel;
    private DatagramChannel metadataChannel;
    /** The secondary path's sockets (ST 2022-7); null with one path. */
    private DatagramChannel channel2;

    private DatagramChannel metadataChannel2;
    /** Per path (0 primary, 1 secondary): datagrams written, and writes that failed (the other path goes on). */
    final AtomicLong[] pathPackets = {new AtomicLong(), new AtomicLong()};

    final AtomicLong[] pathErrors = {new AtomicLong(), new AtomicLong()};
    /** Video datagrams in batches, per path; videoOut2 null with one path. */
    private DatagramBatchSender videoOut;

    private DatagramBatchSender videoOut2;

    Sender(
            TransmitterConfig config,
            SendPacing pacingType,
            VideoSource source,
            MediaClock clock,
            FrameSynchronizer sync,
            Ids ids,
            String multicastInterface) {
        this.config = config;
        this.pacingType = pacingType;
        this.source = source;
        this.clock = clock;
        this.sync = sync;
        this.ids = ids;
        this.multicastInterface = multicastInterface;
        this.fmt = config.video();
        this.frameClock = FrameClock.video(fmt.rate());
        for (int i = 0; i < 3; i++) {
            free.add(ByteBuffer.allocateDirect(fmt.frameBytes()));
        }
    }

    void start(String name) throws IOException {
        var red = config.redundancy();
        String src1 = red.flatMap(TransmitterConfig.Redundancy::primarySource).orElse(null);
        channel = open(config.videoDestination(), src1, multicastInterface);
        metadataChannel = open(config.metadataDestination(), src1, multicastInterface);
        if (red.isPresent()) {
            String src2 = red.get().secondarySource().orElse(null);
            String if2 = red.get().secondaryInterface().orElse(multicastInterface);
            channel2 = open(red.get().video(), src2, if2);
            metadataChannel2 = open(red.get().metadata(), src2, if2);
        }
        videoOut = DatagramIo.sender(channel, DatagramIo.Mode.configured(), MAX_BATCH, SEND_BUFFER);
        if (channel2 != null) {
            videoOut2 = DatagramIo.sender(channel2, DatagramIo.Mode.configured(), MAX_BATCH, SEND_BUFFER);
        }
        datagramIo = videoOut.method();
        sendBufferBytes = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        long first = frameClock.frameAtOrAfter(clock.taiNanos()) + 2;
        producer = Thread.ofPlatform().daemon().name(name + "-render").start(() -> produce(first));
        sender = Thread.ofPlatform().daemon().name(name + "-send").start(this::send);
    }

    /**
     * A connected socket per flow and path: write() skips the per-datagram address checks of send(). Bound to
     * {@code from} when given, so a path leaves from its own address (its own NIC).
     */
    private DatagramChannel open(TransmitterConfig.Endpoint to, String from, String iface) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            if (from != null) {
                ch.bind(new InetSocketAddress(from, 0));
            }
            if (to.multicast()) {
                NetworkInterface nif = NetworkInterface.getByName(iface);
                if (nif != null) {
                    ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                }
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, config.ttl());
            }
            ch.connect(new InetSocketAddress(to.address(), to.port()));
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    void stop() {
        running = false;
        for (Thread t : new Thread[] {producer, sender}) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : new Thread[] {producer, sender}) {
            try {
                if (t != null) {
                    t.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (DatagramChannel ch : new DatagramChannel[] {channel, metadataChannel, channel2, metadataChannel2}) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void produce(long first) {
        long n = first;
        try {
            while (running) {
                ByteBuffer b = free.take();
                // never render a frame whose period has already begun
                n = Math.max(n, frameClock.frameAtOrBefore(clock.taiNanos()) + 1);
                source.fill(n, frameClock.rtpTimestamp(n), frameClock.alignmentNanos(n), b);
                ready.put(new Prepared(n, b));
                n++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "frame source failed", e);
        }
    }

    private void send() {
        Rfc4175Payloader pay = new Rfc4175Payloader(
                fmt,
                Rfc4175Payloader.Options.standard(ssrc()),
                ThreadLocalRandom.current().nextInt());
        PacingModel model = new PacingModel(pacingType.senderType(), fmt.rate(), fmt.height(), pay.packetsPerFrame());
        PacketScheduler schedule = new PacketScheduler(model, frameClock);
        MetadataPacketizer meta = new MetadataPacketizer(
                MetadataPacketizer.Options.standard(ssrc()),
                ThreadLocalRandom.current().nextInt(0x10000));
        int batchSize = Math.min(MAX_BATCH, pacingType.batch(model));
        PacketBatch batch = new PacketBatch(batchSize, pay.maxDatagramSize());
        boolean burst = pacingType == SendPacing.BURST;
        int ppf = pay.packetsPerFrame();
        long[] times = new long[ppf * SELF_CHECK_FRAMES];
        long checkFrom = -1;
        long lastStatic = 0; // TAI 1970: the first grain carries the static part
        long frameNanos = fmt.rate().approximatePeriodNanos();
        StaticPart link = new StaticPart();
        try {
            while (running) {
                Prepared p = ready.poll(1, TimeUnit.SECONDS);
                if (p == null) {
                    continue;
                }
                long n = p.frame();
                long align = frameClock.alignmentNanos(n);
                try {
                    if (clock.taiNanos() > align + frameNanos) {
                        // its whole period has passed: the next frame is due, this one would only delay it
                        framesSkipped.incrementAndGet();
                        checkFrom = -1;
                        continue;
                    }
                    waitUntil(align);
                    long ts = frameClock.rtpTimestamp(n);
                    // metadata grain of frame n: same RTP timestamp, at the alignment point
                    Dataset dyn = sync.at(align);
                    TaiTimestamp origin = TaiTimestamp.ofNanos(align);
                    Dataset ds = Dataset.of(RtvDatasets.dynamicPart(origin, dyn));
                    if (align - lastStatic >= 500_000_000L) {
                        ds = ds.merge(link.staticPart());
                        lastStatic = align;
                    }
                    RtvMetadata grain = new RtvMetadata(
                            RtvMeta.video(
                                    config.sopClassUid(),
                                    ids.sopInstanceUid(),
                                    ids.source(),
                                    ids.videoFlow(),
                                    frameNanos / 1e6),
                            ds);
                    List<ByteBuffer> mp =
                            meta.packetize(grain.toBytes(), ts, origin, origin, ids.metadataFlow(), ids.source());
                    for (ByteBuffer b : mp) {
                        send(metadataChannel, metadataChannel2, b);
                    }
                    grainsSent.incrementAndGet();
                    // video, paced
                    if (checkFrom < 0 && framesSent.get() >= 3) {
                        checkFrom = n;
                    }
                    Rfc4175Payloader.FrameCursor c =
                            pay.frame(p.data().duplicate().clear(), ts);
                    while (c.hasNext()) {
                        int j = c.packetIndex();
                        long due = burst ? align : schedule.departureNanos(n, j);
                        long now = clock.taiNanos();
                        if (due - now > SPIN_LIMIT_NANOS) {
                            LockSupport.parkNanos(due - now - SPIN_LIMIT_NANOS / 2);
                            now = clock.taiNanos();
                        }
                        // this packet and the following ones due by the time a wake-up would come, up to a batch
                        long horizon = now + SPIN_LIMIT_NANOS;
                        batch.clear();
                        do {
                            c.writeNext(batch.next());
                        } while (c.hasNext()
                                && !batch.full()
                                && (burst || schedule.departureNanos(n, c.packetIndex()) <= horizon));
                        sendVideo(batch);
                        if (checkFrom >= 0 && n - checkFrom < SELF_CHECK_FRAMES) {
                            long sentAt = clock.taiNanos();
                            for (int k = j; k < c.packetIndex(); k++) {
                                times[(int) (n - checkFrom) * ppf + k] = sentAt;
                            }
                        }
                    }
                    packetsSent.addAndGet(ppf + mp.size());
                    framesSent.incrementAndGet();
                    if (checkFrom >= 0 && n - checkFrom == SELF_CHECK_FRAMES - 1) {
                        pacing.set(PacingAnalyzer.measure(model, frameClock, checkFrom, times));
                    }
                    if (checkFrom >= 0 && n - checkFrom >= 500) {
                        checkFrom = n + 1; // measure again every 10 s or so
                    }
                } finally {
                    free.put(p.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "sending failed", e);
            }
        }
    }

    /** The static part, built once per running configuration. */
    private final class StaticPart {
        private Dataset staticPart;

        Dataset staticPart() {
            if (staticPart == null) {
                staticPart = RtvDatasets.staticPart(
                        config.sopClassUid(),
                        ids.sopInstanceUid(),
                        fmt.height(),
                        fmt.width(),
                        fmt.depth(),
                        RtvDatasets.flowLink(ids.source(), ids.videoFlow(), RtvMeta.ST2110_20_PROGRESSIVE, 90_000),
                        config.staticMetadata());
            }
            return staticPart;
        }
    }

    /**
     * One datagram on every path: identical bytes (same SSRC, sequence number, timestamp), primary first. With two
     * paths a path's failure (its NIC down, no route) is counted and the other goes on: that is what the second
     * path is for. With one path it ends the flow as before.
     */
    private void send(DatagramChannel primary, DatagramChannel secondary, ByteBuffer b) throws IOException {
        if (secondary == null) {
            write(primary, b);
            pathPackets[0].incrementAndGet();
            return;
        }
        int at = b.position();
        for (int path = 0; path < 2; path++) {
            b.position(at);
            try {
                write(path == 0 ? primary : secondary, b);
                pathPackets[path].incrementAndGet();
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                pathFailed(path, e);
            }
        }
    }

    private void pathFailed(int path, IOException e) {
        if (pathErrors[path].getAndIncrement() == 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "sending on the {0} path failed (counted from now on): {1}",
                    path == 0 ? "primary" : "secondary",
                    e.getMessage());
        }
    }

    /** A batch of video datagrams on every path, with the same failure rule as {@link #send(DatagramChannel,
     * DatagramChannel, ByteBuffer)}. */
    private void sendVideo(PacketBatch batch) throws IOException {
        if (videoOut2 == null) {
            unreachable.addAndGet(videoOut.send(batch));
            pathPackets[0].addAndGet(batch.count());
            return;
        }
        for (int path = 0; path < 2; path++) {
            try {
                unreachable.addAndGet((path == 0 ? videoOut : videoOut2).send(batch));
                pathPackets[path].addAndGet(batch.count());
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                pathFailed(path, e);
            }
        }
    }

    /**
     * A connected UDP socket reports an earlier datagram's ICMP port-unreachable on a later write:
     * nobody listening is not our failure, the flow keeps going (counted).
     */
    private void write(DatagramChannel ch, ByteBuffer b) throws IOException {
        try {
            ch.write(b);
        } catch (PortUnreachableException e) {
            unreachable.incrementAndGet();
        }
    }

    private void waitUntil(long tai) {
        long wait = tai - clock.taiNanos();
        if (wait > SPIN_LIMIT_NANOS) {
            LockSupport.parkNanos(wait - SPIN_LIMIT_NANOS / 2);
        }
    }

    private static long ssrc() {
        return ThreadLocalRandom.current().nextLong(1, 0xFFFF_FFFFL);
    }
}
