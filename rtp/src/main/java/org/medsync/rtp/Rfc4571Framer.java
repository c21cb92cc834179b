package org.medsync.rtp;

import java.nio.ByteBuffer;
import org.medsync.rtp.RtpDecodeResult.Malformed;
import org.medsync.rtp.RtpDecodeResult.NeedMoreBytes;
import org.medsync.rtp.RtpDecodeResult.Reason;

/**
 * RTP over a byte stream (RFC 4571): each packet is preceded by its length as a 16-bit
 * big-endian number. Framing only; decoding is {@link RtpPacket#decode}, the same as for UDP.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             LENGTH            |  RTP packet (LENGTH bytes)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param maxPacket the largest packet accepted (a larger prefix is Malformed, the stream is lost)
 */
public record Rfc4571Framer(int maxPacket) {

    public Rfc4571Framer {
        if (maxPacket < RtpPacket.FIXED_HEADER_SIZE || maxPacket > 0xFFFF) {
            throw new IllegalArgumentException("maxPacket must be 12..65535, was " + maxPacket);
        }
    }

    public Rfc4571Framer() {
        this(0xFFFF);
    }

    /**
     * Takes the next packet from the stream buffer. On {@link NeedMoreBytes} the position is not
     * moved; on a decoded or malformed packet it moves past the frame. The packet's bytes are
     * copied, so the caller may compact or reuse its buffer.
     */
    public RtpDecodeResult next(ByteBuffer stream) {
        int avail = stream.remaining();
        if (avail < 2) {
            return new NeedMoreBytes(2 - avail);
        }
        int p = stream.position();
        int len = stream.getShort(p) & 0xFFFF;
        if (len == 0 || len > maxPacket) {
            return new Malformed(Reason.BAD_FRAME_LENGTH, "length prefix " + len + ", limit " + maxPacket);
        }
        if (avail < 2 + len) {
            return new NeedMoreBytes(2 + len - avail);
        }
        byte[] copy = new byte[len];
        stream.get(p + 2, copy);
        stream.position(p + 2 + len);
        return RtpPacket.decode(ByteBuffer.wrap(copy));
    }

    /** Writes the length prefix and the packet. */
    public static void writeTo(RtpPacket packet, ByteBuffer out) {
        out.putShort((short) packet.encodedSize());
        packet.writeTo(out);
    }
}
