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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.medsync.rtp.RtpDecodeResult;
import org.medsync.rtp.RtpPacket;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.MetadataDepacketizer;
import org.medsync.rtv.metadata.MetadataGrain;
import org.medsync.rtv.metadata.RtvDatasets;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.Rfc4175Depacketizer;
import org.medsync.st2110.video.VideoFrame;

/**
 * Receives one sender's video flow and its metadata flow: one socket and one thread each,
 * SO_RCVBUF asked for 32 MB (the kernel caps it at net.core.rmem_max; {@link #receiveBufferBytes}
 * says what we got), multicast joined on the configured interface. Frames are reassembled by the
 * st2110 depacketizer and kept by RTP timestamp for the playout; metadata grains likewise.
 */
final class FlowReceiver implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FlowReceiver.class.getName());
    static final int REQUESTED_RCVBUF = 32 << 20;
    private static final int KEEP_FRAMES = 6;

    final FlowDescription description;
    final AtomicLong malformedPackets = new AtomicLong();
    final AtomicLong framesConcealed = new AtomicLong();
    final LatencyStats latency = new LatencyStats(4096);
    volatile long lastRtpTimestamp = -1;
    volatile int receiveBufferBytes;

    private final MediaClock clock;
    private final FrameClock frameClock;
    private final Consumer<VideoFrame> listener;
    private final Rfc4175Depacketizer video;
    private final MetadataDepacketizer metadata;
    private final Map<Long, VideoFrame> frames = new LinkedHashMap<>();
    private final Map<Long, Dataset> dynamic = new LinkedHashMap<>();
    private volatile Dataset staticPart;
    private DatagramChannel videoChannel;
    private DatagramChannel metadataChannel;
    private Thread videoThread;
    private Thread metadataThread;

    FlowReceiver(FlowDescription d, MediaClock clock, Consumer<VideoFrame> listener) {
        this.description = d;
        this.clock = clock;
        this.frameClock = FrameClock.video(d.format().rate());
        this.listener = listener;
        this.video = new Rfc4175Depacketizer(
                d.format(),
                new Rfc4175Depacketizer.Options(d.videoPayloadType(), 3, ByteBuffer::allocate),
                this::onFrame);
        this.metadata = d.metadata()
                .map(m -> new MetadataDepacketizer(
                        new MetadataDepacketizer.Options(m.payloadType(), m.ids(), 3, 1 << 20, 1024), this::onGrain))
                .orElse(null);
    }

    void start(String name, String multicastInterface) throws IOException {
        videoChannel = open(description.videoAddress(), description.videoPort(), multicastInterface);
        receiveBufferBytes = videoChannel.getOption(StandardSocketOptions.SO_RCVBUF);
        videoThread = Thread.ofPlatform().daemon().name(name + "-video-rx").start(() -> receive(videoChannel, true));
        if (metadata != null) {
            FlowDescription.Metadata m = description.metadata().get();
            metadataChannel = open(m.address(), m.port(), multicastInterface);
            metadataThread =
                    Thread.ofPlatform().daemon().name(name + "-meta-rx").start(() -> receive(metadataChannel, false));
        }
    }

    private static DatagramChannel open(String address, int port, String iface) throws IOException {
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
                ch.join(a, nif);
            } else {
                ch.bind(new InetSocketAddress(a, port));
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void receive(DatagramChannel ch, boolean isVideo) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try {
            while (ch.isOpen()) {
                buf.clear();
                ch.receive(buf);
                buf.flip();
                switch (RtpPacket.decode(buf)) {
                    case RtpDecodeResult.Decoded d -> {
                        if (isVideo) {
                            synchronized (video) {
                                video.push(d.packet());
                            }
                        } else {
                            synchronized (metadata) {
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
            LOG.log(System.Logger.Level.ERROR, "receive loop of " + description.sessionName() + " ended", e);
        }
    }

    private void onFrame(VideoFrame f) {
        if (f.complete()) {
            long ticks = (frameClock.mediaClockAt(clock.taiNanos()) - f.rtpTimestamp()) & 0xFFFF_FFFFL;
            if (ticks < 90_000L * 10) {
                latency.add(ticks * 1_000_000_000L / 90_000);
            }
            lastRtpTimestamp = f.rtpTimestamp();
        }
        synchronized (frames) {
            frames.put(f.rtpTimestamp(), f);
            while (frames.size() > KEEP_FRAMES) {
                frames.remove(frames.keySet().iterator().next());
            }
        }
        if (listener != null) {
            listener.accept(f);
        }
    }

    private void onGrain(MetadataGrain g) {
        Dataset ds = g.metadata().dataset();
        if (RtvDatasets.hasStaticPart(ds)) {
            staticPart = RtvDatasets.withoutDynamicPart(ds);
        }
        try {
            Dataset item = RtvDatasets.currentFrame(ds);
            synchronized (dynamic) {
                dynamic.put(g.rtpTimestamp(), item);
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
            return Optional.ofNullable(frames.get(rtpTimestamp));
        }
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

    @Override
    public void close() {
        for (DatagramChannel ch : new DatagramChannel[] {videoChannel, metadataChannel}) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Thread t : new Thread[] {videoThread, metadataThread}) {
            try {
                if (t != null) {
                    t.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
