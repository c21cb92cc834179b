package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.medsync.rtp.RtpPacket;

/**
 * RFC 4175 / ST 2110-20 payloader, general packing mode (2110GPM). The layout of a frame into
 * packets depends only on the format and options, so it is computed once here; per packet the
 * work is a 12-byte RTP header, up to three 6-byte row headers and one copy per segment.
 *
 * <p>Packing: each packet is filled with as many whole pgroups as fit in
 * {@code maxUdpPayload - 12 (RTP) - 2 (ext. seq.)} bytes, less 6 per row header; a segment ends at
 * the end of its line and the next line starts a new segment in the same packet, up to
 * {@code maxSegments}. The last packet of the frame has the marker bit. Sequence numbers are a
 * 32-bit counter: low 16 bits in the RTP header, high 16 bits in the payload header.
 *
 * <p>Not thread-safe: one payloader per flow, one sending thread.
 */
public final class Rfc4175Payloader {

    /**
     * @param maxUdpPayload UDP payload bytes, RTP header included (ST 2110-10 standard: 1460)
     * @param maxSegments   row headers per packet (ST 2110-20: at most 3)
     */
    public record Options(int maxUdpPayload, int payloadType, long ssrc, int maxSegments) {
        public static final int STANDARD_UDP_SIZE = 1460;
        public static final int EXTENDED_UDP_SIZE = 8960;

        public Options {
            if (maxUdpPayload < 12 + 2 + SampleRowData.SIZE + 5 || maxUdpPayload > 65507) {
                throw new IllegalArgumentException(
                        "maxUdpPayload must fit a header and one pgroup, was " + maxUdpPayload);
            }
            if (payloadType < 0 || payloadType > 127 || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("payload type 0..127, ssrc 32 bits");
            }
            if (maxSegments < 1) {
                throw new IllegalArgumentException("maxSegments >= 1");
            }
        }

        /** MAXUDP 1460, payload type 96, at most 3 segments. */
        public static Options standard(long ssrc) {
            return new Options(STANDARD_UDP_SIZE, 96, ssrc, 3);
        }
    }

    private final VideoFormat format;
    private final Options options;
    // the precomputed layout: packet p uses segments [packetFirst[p], packetFirst[p + 1])
    private final int[] packetFirst;
    private final short[] segLine;
    private final short[] segOffset;
    private final int[] segBytes;
    private final int[] segFramePos;
    private final int maxDatagram;
    private int sequence; // 32-bit extended sequence number of the next packet

    public Rfc4175Payloader(VideoFormat format, Options options, int initialSequence) {
        this.format = Objects.requireNonNull(format, "format");
        this.options = Objects.requireNonNull(options, "options");
        this.sequence = initialSequence;
        int pg = format.pgroupBytes();
        int budget = options.maxUdpPayload() - RtpPacket.FIXED_HEADER_SIZE - 2;
        // first pass counts, second fills
        int[] counts = layout(format, budget, options.maxSegments(), null, null, null, null, null);
        int packets = counts[0];
        int segments = counts[1];
        packetFirst = new int[packets + 1];
        segLine = new short[segments];
        segOffset = new short[segments];
        segBytes = new int[segments];
        segFramePos = new int[segments];
        layout(format, budget, options.maxSegments(), packetFirst, segLine, segOffset, segBytes, segFramePos);
        int largest = 0;
        for (int p = 0; p < packets; p++) {
            int size = 0;
            for (int s = packetFirst[p]; s < packetFirst[p + 1]; s++) {
                size += SampleRowData.SIZE + segBytes[s];
            }
            largest = Math.max(largest, size);
        }
        maxDatagram = RtpPacket.FIXED_HEADER_SIZE + 2 + largest;
        if (pg > budget - SampleRowData.SIZE) {
            throw new IllegalArgumentException("maxUdpPayload too small for one pgroup");
        }
    }

    private static int[] layout(
            VideoFormat f, int budget, int maxSegs, int[] first, short[] line, short[] off, int[] bytes, int[] pos) {
        int pg = f.pgroupBytes();
        int packets = 0;
        int segs = 0;
        int l = 0;
        int x = 0; // pixel offset in line l
        while (l < f.height()) {
            if (first != null) {
                first[packets] = segs;
            }
            int room = budget;
            int inPacket = 0;
            while (l < f.height() && inPacket < maxSegs && room >= SampleRowData.SIZE + pg) {
                int fit = (room - SampleRowData.SIZE) / pg;
                int left = (f.width() - x) / VideoFormat.PIXELS_PER_PGROUP;
                int n = Math.min(fit, left);
                if (line != null) {
                    line[segs] = (short) l;
                    off[segs] = (short) x;
                    bytes[segs] = n * pg;
                    pos[segs] = l * f.lineBytes() + x / VideoFormat.PIXELS_PER_PGROUP * pg;
                }
                segs++;
                inPacket++;
                room -= SampleRowData.SIZE + n * pg;
                x += n * VideoFormat.PIXELS_PER_PGROUP;
                if (x == f.width()) {
                    x = 0;
                    l++;
                }
            }
            packets++;
        }
        if (first != null) {
            first[packets] = segs;
        }
        return new int[] {packets, segs};
    }

    public VideoFormat format() {
        return format;
    }

    public Options options() {
        return options;
    }

    public int packetsPerFrame() {
        return packetFirst.length - 1;
    }

    /** The largest datagram this payloader writes (<= maxUdpPayload). */
    public int maxDatagramSize() {
        return maxDatagram;
    }

    /** The extended (32-bit) sequence number the next packet will carry. */
    public int nextSequence() {
        return sequence;
    }

    /**
     * Starts a frame. {@code frame} holds the packed pgroups (see {@link VideoFormat}), exactly
     * {@link VideoFormat#frameBytes()} from its position; it is read, not copied, while the cursor
     * is in use.
     */
    public FrameCursor frame(ByteBuffer frame, long rtpTimestamp) {
        if (frame.remaining() != format.frameBytes()) {
            throw new IllegalArgumentException(
                    "frame has " + frame.remaining() + " bytes, format needs " + format.frameBytes());
        }
        if (rtpTimestamp < 0 || rtpTimestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("RTP timestamp is 32 bits");
        }
        return new FrameCursor(frame.slice(), rtpTimestamp);
    }

    /** Walks one frame's packets in order. */
    public final class FrameCursor {
        private final ByteBuffer frame;
        private final long timestamp;
        private int packet;

        private FrameCursor(ByteBuffer frame, long timestamp) {
            this.frame = frame;
            this.timestamp = timestamp;
        }

        public boolean hasNext() {
            return packet < packetsPerFrame();
        }

        /** Index in the frame of the packet {@link #writeNext} writes next. */
        public int packetIndex() {
            return packet;
        }

        /**
         * Writes the next datagram (RTP header and payload) at {@code out}'s position and
         * advances it. Returns the datagram length.
         */
        public int writeNext(ByteBuffer out) {
            if (!hasNext()) {
                throw new IllegalStateException("frame already sent");
            }
            int start = out.position();
            int p = packet++;
            boolean last = packet == packetsPerFrame();
            int seq = sequence++;
            RtpPacket.writeFixedHeader(out, last, options.payloadType(), seq & 0xFFFF, timestamp, options.ssrc());
            out.putShort((short) (seq >>> 16));
            int from = packetFirst[p];
            int to = packetFirst[p + 1];
            for (int s = from; s < to; s++) {
                out.putShort((short) segBytes[s]);
                out.putShort(segLine[s]);
                out.putShort((short) ((s < to - 1 ? 0x8000 : 0) | segOffset[s]));
            }
            for (int s = from; s < to; s++) {
                out.put(out.position(), frame, segFramePos[s], segBytes[s]);
                out.position(out.position() + segBytes[s]);
            }
            return out.position() - start;
        }
    }
}
