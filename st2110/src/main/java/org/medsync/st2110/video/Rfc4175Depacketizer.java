package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.medsync.rtp.RtpPacket;
import org.medsync.rtp.SequenceTracker;
import org.medsync.st2110.video.Rfc4175Payload.Malformed;
import org.medsync.st2110.video.Rfc4175Payload.Reason;
import org.medsync.st2110.video.Rfc4175Payload.Segments;

/**
 * RFC 4175 / ST 2110-20 depacketizer. Frames are assembled by RTP timestamp; a frame is emitted
 * when its marker packet arrives, or, incomplete, when a packet with another timestamp arrives
 * first. Bad packets and bad segments are skipped and counted by {@link Reason}; a bad segment
 * does not spoil the good ones of the same packet.
 *
 * <p>Not thread-safe: feed it from one receive thread.
 */
public final class Rfc4175Depacketizer {

    /**
     * @param payloadType  the negotiated RTP payload type
     * @param maxSegments  row headers accepted per packet (ST 2110-20: 3)
     * @param frameBuffers where frame memory comes from (size in bytes); a pool may recycle
     *                     buffers the consumer is done with
     */
    public record Options(int payloadType, int maxSegments, IntFunction<ByteBuffer> frameBuffers) {
        public Options {
            if (payloadType < 0 || payloadType > 127 || maxSegments < 1) {
                throw new IllegalArgumentException("payload type 0..127, maxSegments >= 1");
            }
            Objects.requireNonNull(frameBuffers, "frameBuffers");
        }

        /** Payload type 96, at most 3 segments, a new heap buffer per frame. */
        public static Options standard() {
            return new Options(96, 3, ByteBuffer::allocate);
        }

        public Options withMaxSegments(int n) {
            return new Options(payloadType, n, frameBuffers);
        }
    }

    /** Counters since creation. */
    public record Stats(
            long packets, long framesComplete, long framesIncomplete, long packetsLost, Map<Reason, Long> problems) {
        public long problems(Reason r) {
            return problems.getOrDefault(r, 0L);
        }
    }

    private final VideoFormat format;
    private final Options options;
    private final Consumer<VideoFrame> sink;
    private final SequenceTracker sequences = new SequenceTracker();
    private final EnumMap<Reason, Long> problems = new EnumMap<>(Reason.class);
    private long packets;
    private long complete;
    private long incomplete;

    // the frame being assembled
    private ByteBuffer buffer;
    private long timestamp = -1;
    private long lastEmitted = -1;
    private long bytes;
    private int framePackets;
    private boolean gap;
    private int lastSeq;

    public Rfc4175Depacketizer(VideoFormat format, Options options, Consumer<VideoFrame> sink) {
        this.format = Objects.requireNonNull(format, "format");
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Takes one RTP packet; may call the sink (at most twice). */
    public void push(RtpPacket p) {
        packets++;
        if (p.payloadType() != options.payloadType()) {
            count(Reason.WRONG_PAYLOAD_TYPE);
            return;
        }
        ByteBuffer payload = p.payload();
        Rfc4175Payload.Decoded decoded = Rfc4175Payload.decode(payload, options.maxSegments());
        if (decoded instanceof Malformed m) {
            count(m.reason());
            return;
        }
        Segments s = (Segments) decoded;
        sequences.update(p.sequenceNumber());
        long ts = p.timestamp();
        if (ts == lastEmitted && buffer == null) {
            count(Reason.LATE_PACKET);
            return;
        }
        if (buffer != null && ts != timestamp) {
            emit(false);
        }
        // continuity on the 16-bit RTP sequence: not every sender fills the high 16 bits
        int seq = p.sequenceNumber();
        if (buffer == null) {
            buffer = options.frameBuffers().apply(format.frameBytes());
            timestamp = ts;
            bytes = 0;
            framePackets = 0;
            gap = false;
        } else if (((seq - lastSeq) & 0xFFFF) != 1) {
            gap = true;
        }
        lastSeq = seq;
        framePackets++;
        int data = payload.position() + s.dataOffset();
        int pg = format.pgroupBytes();
        for (SampleRowData seg : s.segments()) {
            Reason bad = Rfc4175Payload.check(seg, format);
            if (bad != null) {
                count(bad);
            } else if (seg.length() > 0) {
                int at = seg.line() * format.lineBytes() + seg.offset() / VideoFormat.PIXELS_PER_PGROUP * pg;
                buffer.put(at, payload, data, seg.length());
                bytes += seg.length();
            }
            data += seg.length();
        }
        if (p.marker()) {
            emit(true);
        }
    }

    /** Emits the frame in progress, if any, as it is (for end of stream). */
    public void flush() {
        if (buffer != null) {
            emit(false);
        }
    }

    private void emit(boolean marker) {
        // without its marker (timestamp change, flush) a frame is incomplete by definition
        boolean ok = marker && !gap && bytes == format.frameBytes();
        VideoFrame f = new VideoFrame(timestamp, buffer.clear(), ok, bytes, framePackets);
        if (ok) {
            complete++;
        } else {
            incomplete++;
        }
        lastEmitted = timestamp;
        buffer = null;
        sink.accept(f);
    }

    private void count(Reason r) {
        problems.merge(r, 1L, Long::sum);
    }

    public Stats stats() {
        return new Stats(
                packets, complete, incomplete, Math.max(0, sequences.stats().lost()), Map.copyOf(problems));
    }
}
