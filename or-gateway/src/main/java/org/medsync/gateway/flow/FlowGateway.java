package org.medsync.gateway.flow;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.medsync.gateway.h264.EncodedFrame;
import org.medsync.gateway.h264.EncoderException;
import org.medsync.gateway.h264.EncoderSettings;
import org.medsync.gateway.h264.H264Encoder;
import org.medsync.gateway.h264.H264Packetizer;
import org.medsync.gateway.h264.TimestampSei;
import org.medsync.gateway.video.I420Picture;
import org.medsync.gateway.video.PgroupToI420;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.TaiTimestamp;
import org.medsync.rtv.receiver.ComposedFrame;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.st2110.timing.MediaClock;

/**
 * One RTV flow out of the OR: a {@link Receiver} subscribed to the flow's SDP plays it out (concealing late or broken
 * frames), and this gateway's own thread converts each played frame to I420, encodes it ONCE with x264 and sends the
 * access unit as H.264 RTP to one destination (an SFU's ingest port, which fans it out to every viewer). The RTP
 * timestamp of each H.264 access unit IS the RTV frame's RTP timestamp (same 90 kHz clock, same value), so the
 * frame's PS3.22 metadata (which carries that timestamp too) can be matched to the picture downstream.
 *
 * <p>When the encoder is behind, frames are dropped before encoding (the newest is kept), never queued: latency
 * matters more than completeness for a live view. Stopped by {@link #close()}.
 */
public final class FlowGateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FlowGateway.class.getName());
    /** Payload type of the H.264 stream. */
    public static final int PAYLOAD_TYPE = 96;
    /** Largest RTP payload sent. */
    public static final int MAX_PAYLOAD = 1200;

    /**
     * @param latencyMs the receiver's playout latency (alignment point to composition)
     * @param multicastInterface where the receiver joins multicast flows ({@code lo} on one host)
     */
    public record Settings(EncoderSettings encoder, int latencyMs, String multicastInterface) {
        public static final Settings DEFAULT = new Settings(EncoderSettings.DEFAULT, 40, "lo");

        public Settings {
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(multicastInterface, "multicastInterface");
            if (latencyMs < 0 || latencyMs > 2000) {
                throw new IllegalArgumentException("latencyMs must be 0..2000, was " + latencyMs);
            }
        }
    }

    /**
     * @param framesIn        frames the receiver played out to the gateway
     * @param framesDropped   frames dropped because the encoder was behind
     * @param framesConcealed frames encoded from a concealed (repeated) RTV frame
     * @param framesEncoded   access units sent
     * @param keyframes       of which keyframes
     * @param packetsSent     RTP packets sent
     * @param bytesSent       RTP bytes sent
     * @param cpuNanos        CPU time of the gateway's thread: conversion, encode (x264 runs on it with one thread) and
     *                        sending
     * @param lastRtpTimestamp the last access unit's RTP timestamp
     * @param error           why the gateway stopped encoding, or null
     */
    public record Status(
            long framesIn,
            long framesDropped,
            long framesConcealed,
            long framesEncoded,
            long keyframes,
            long packetsSent,
            long bytesSent,
            long cpuNanos,
            long lastRtpTimestamp,
            String error) {}

    private final String name;
    private final FlowDescription flow;
    private final Receiver receiver;
    private final DatagramChannel channel;
    private final H264Encoder encoder;
    private final H264Packetizer packetizer;
    private final PgroupToI420 converter;
    private final BlockingQueue<ComposedFrame> queue = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile long framesConcealed;
    private volatile long framesEncoded;
    private volatile long keyframes;
    private volatile long packetsSent;
    private volatile long bytesSent;
    private volatile long cpuNanos;
    private volatile long lastRtpTimestamp = -1;
    private volatile String error;
    private volatile boolean keyframeWanted;
    private volatile boolean running = true;
    private Flow.Subscription subscription;
    private volatile FrameListener frameListener;
    private volatile List<InetSocketAddress> destinations = List.of();

    /** What a flow's metadata consumer gets for every frame encoded: its RTP timestamp and the frame's metadata. */
    @FunctionalInterface
    public interface FrameListener {
        /**
         * Called on the gateway's thread just before the frame is encoded and sent, so it must return quickly. Both are empty
         * before the flow's first static part.
         *
         * @param staticPart the flow's static part as last received
         * @param frame      this frame's own attributes: those of its dynamic item (PS3.22's Current Frame
         *                   Functional Groups Sequence item) that the static part does not hold with equal value
         */
        void sent(long rtpTimestamp, Optional<Dataset> staticPart, Optional<Dataset> frame);
    }

    private FlowGateway(
            String name,
            FlowDescription flow,
            Receiver receiver,
            DatagramChannel channel,
            H264Encoder encoder,
            H264Packetizer packetizer) {
        this.name = name;
        this.flow = flow;
        this.receiver = receiver;
        this.channel = channel;
        this.encoder = encoder;
        this.packetizer = packetizer;
        this.converter = new PgroupToI420(flow.format());
        this.thread = Thread.ofPlatform().name("or-gateway-" + name).daemon().unstarted(this::run);
    }

    /**
     * Subscribes to the flow {@code sdp} describes and starts sending H.264 RTP to {@code destination}.
     *
     * @throws IllegalArgumentException when the SDP is no RTV flow we take (FlowDescription's message)
     * @throws IOException              when a socket cannot be opened
     * @throws EncoderException         when the encoder cannot be opened for the flow's format
     */
    public static FlowGateway start(
            String name, String sdp, InetSocketAddress destination, Settings settings, MediaClock clock)
            throws IOException, EncoderException {
        FlowDescription flow = FlowDescription.parse(sdp);
        H264Encoder encoder = H264Encoder.open(flow.format(), settings.encoder());
        DatagramChannel channel = null;
        Receiver receiver = null;
        try {
            // Not connected: in a cluster the one encode goes to every node's SFU that has viewers (destinations).
            channel = DatagramChannel.open();
            SecureRandom random = new SecureRandom();
            H264Packetizer packetizer = new H264Packetizer(
                    PAYLOAD_TYPE, random.nextInt() & 0xFFFF_FFFFL, MAX_PAYLOAD, random.nextInt(0x10000));
            receiver = new Receiver("gateway-" + name, clock, settings.multicastInterface());
            FlowGateway g = new FlowGateway(name, flow, receiver, channel, encoder, packetizer);
            g.destinations = List.of(destination);
            receiver.configure(new ReceiverConfig(
                    List.of(flow),
                    ReceiverConfig.SIDE_BY_SIDE,
                    // no overlay attributes: the picture leaves clean, the metadata travels beside it
                    9,
                    List.of(),
                    settings.latencyMs()));
            g.thread.start();
            receiver.frames().subscribe(g.new Subscriber());
            LOG.log(
                    System.Logger.Level.INFO,
                    "gateway {0}: {1} -> H.264 {2} RTP to {3}",
                    name,
                    flow.format(),
                    encoder.fmtp(),
                    destination);
            return g;
        } catch (IOException | RuntimeException e) {
            encoder.close();
            if (receiver != null) {
                receiver.close();
            }
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    /**
     * The fmtp a gateway of the flow {@code sdp} describes will send with, known before it starts (the SFU's
     * mountpoint is made first, and the gateway then sends to its port).
     *
     * @throws IllegalArgumentException when the SDP is no RTV flow we take
     */
    public static String fmtpFor(String sdp) {
        return H264Encoder.fmtp(FlowDescription.parse(sdp).format());
    }

    /** The SDP fmtp line of the H.264 stream (what the SFU's mountpoint must announce). */
    public String fmtp() {
        return encoder.fmtp();
    }

    public FlowDescription flow() {
        return flow;
    }

    /**
     * Who gets each sent frame's metadata (one listener: the server's metadata hub), null for nobody. The frame's RTP
     * timestamp is also in the access unit's SEI ({@link TimestampSei}), so a viewer can match the two.
     */
    public void onFrame(FrameListener listener) {
        this.frameListener = listener;
    }

    /**
     * Where the RTP goes from the next access unit on: one SFU ingest port per cluster node that has viewers of the
     * flow (docs/or-gateway.md "Several nodes"). Each destination costs a copy of the packets, never an encode.
     */
    public void destinations(Collection<InetSocketAddress> to) {
        this.destinations = List.copyOf(to);
    }

    public List<InetSocketAddress> destinations() {
        return destinations;
    }

    /** The next frame is encoded as an IDR picture with its parameter sets: a viewer that just joined starts there. */
    public void requestKeyframe() {
        keyframeWanted = true;
    }

    public Status status() {
        return new Status(
                framesIn.get(),
                framesDropped.get(),
                framesConcealed,
                framesEncoded,
                keyframes,
                packetsSent,
                bytesSent,
                cpuNanos,
                lastRtpTimestamp,
                error);
    }

    /**
     * The remote annotations layer of the gateway's receiver: strokes put there are drawn into the frames this
     * gateway encodes, so the OR display fed by it and every remote viewer see them (docs/rtv.md "Remote annotations").
     */
    public RemoteAnnotations annotations() {
        return receiver.annotations();
    }

    /** The receiver's composed output (what the gateway encodes, the remote annotations drawn in): for tests. */
    public Flow.Publisher<ComposedFrame> composedFrames() {
        return receiver.frames();
    }

    /** The RTV receiver's own status (loss, concealment, latency to the gateway). */
    public Receiver.Status receiverStatus() {
        return receiver.status();
    }

    private final class Subscriber implements Flow.Subscriber<ComposedFrame> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ComposedFrame f) {
            framesIn.incrementAndGet();
            while (!queue.offer(f)) {
                if (queue.poll() != null) {
                    framesDropped.incrementAndGet();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "gateway {0}: receiver failed: {1}", name, t.toString());
        }

        @Override
        public void onComplete() {
            // the receiver closed: close() follows
        }
    }

    private void run() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long lastPts = Long.MIN_VALUE;
        while (running) {
            ComposedFrame f;
            try {
                f = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (f == null) {
                continue;
            }
            long pts = extend(lastPts, f.rtpTimestamp());
            if (pts <= lastPts) {
                continue; // the flow restarted behind us: x264 needs increasing time
            }
            lastPts = pts;
            try {
                // The metadata first, before conversion and encode: its path to the page (a socket) must not lag the
                // picture's (encode, SFU, jitter buffer), or the overlay would wait for it.
                FrameListener l = frameListener;
                if (l != null) {
                    Optional<Dataset> s = receiver.staticMetadata(0);
                    l.sent(f.rtpTimestamp(), s, ownPart(f, s));
                }
                I420Picture picture = converter.convert(f.frame());
                if (keyframeWanted) {
                    keyframeWanted = false;
                    encoder.requestKeyframe();
                }
                for (EncodedFrame au : encoder.encode(picture, pts)) {
                    send(au, f.rtpTimestamp());
                }
                if (f.concealed().getFirst()) {
                    framesConcealed++;
                }
            } catch (EncoderException | RuntimeException e) {
                error = e.getMessage();
                LOG.log(System.Logger.Level.ERROR, "gateway {0}: encoding stopped: {1}", name, e.toString());
                return;
            } finally {
                cpuNanos = mx.getCurrentThreadCpuTime() - cpuStart;
            }
        }
    }

    /**
     * The frame's own part, or empty when the receiver had none of THIS frame: for a frame whose metadata grain was
     * late or lost, rtv's receiver merges the latest dynamic item, another frame's, recognisable by its Frame Origin
     * Timestamp (the alignment point of the frame it describes). A viewer then shows the static part alone rather
     * than another frame's attributes.
     */
    static Optional<Dataset> ownPart(ComposedFrame f, Optional<Dataset> staticPart) {
        if (f.metadata().isEmpty() || f.metadata().getFirst().isEmpty()) {
            return Optional.empty();
        }
        Dataset own = ownAttributes(f.metadata().getFirst().get(), staticPart);
        Optional<byte[]> origin = own.bytes(Tags.FRAME_ORIGIN_TIMESTAMP);
        if (origin.isPresent()) {
            try {
                long nanos = TaiTimestamp.fromBytes(origin.get()).toNanos();
                if (Math.abs(nanos - f.alignmentTaiNanos()) > ORIGIN_TOLERANCE_NANOS) {
                    return Optional.empty();
                }
            } catch (IllegalArgumentException notATimestamp) {
                return Optional.empty();
            }
        }
        return Optional.of(own);
    }

    /** Far below any frame period (at most 120 Hz here): only rounding separates a frame's origin from its alignment. */
    private static final long ORIGIN_TOLERANCE_NANOS = 1_000_000;

    /** The elements of {@code merged} the static part does not hold with the same value: the frame's own. */
    static Dataset ownAttributes(Dataset merged, Optional<Dataset> staticPart) {
        if (staticPart.isEmpty()) {
            return merged;
        }
        Dataset s = staticPart.get();
        return Dataset.of(merged.elements().values().stream()
                .filter(e -> !s.get(e.tag()).map(e::equals).orElse(false))
                .toList());
    }

    /** Extends the 32-bit RTP timestamp past wrap-arounds (every 13.25 h at 90 kHz) for the encoder's pts. */
    static long extend(long last, long rtpTimestamp) {
        if (last == Long.MIN_VALUE) {
            return rtpTimestamp;
        }
        int delta = (int) (rtpTimestamp - (last & 0xFFFF_FFFFL));
        return last + delta;
    }

    private void send(EncodedFrame au, long rtpTimestamp) {
        List<byte[]> packets = packetizer.packetize(TimestampSei.insert(au.nals(), rtpTimestamp), rtpTimestamp);
        long bytes = 0;
        List<InetSocketAddress> to = destinations;
        for (byte[] p : packets) {
            for (InetSocketAddress d : to) {
                try {
                    channel.send(ByteBuffer.wrap(p), d);
                    bytes += p.length;
                } catch (PortUnreachableException e) {
                    // nobody listens yet (the SFU's mountpoint is being made): a live stream just goes on
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "gateway {0}: send to {1} failed: {2}", name, d, e.toString());
                }
            }
        }
        framesEncoded++;
        if (au.keyframe()) {
            keyframes++;
        }
        packetsSent += packets.size();
        bytesSent += bytes;
        lastRtpTimestamp = rtpTimestamp;
    }

    @Override
    public void close() {
        running = false;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        receiver.close();
        try { // the thread sees running false within its 200 ms poll; an interrupt would close the channel under it
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            encoder.close(); // only once the thread that uses it has ended: freeing it under x264 would crash
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
