package org.medsync.rtp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RTP data packet (RFC 3550 section 5.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....  (CC of them)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  header extension (if X), see {@link HeaderExtension}        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           payload ...                         |
 * |                               +-------------------------------+
 * |                               | padding (if P) ...  | count   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Unsigned 32-bit fields are held in {@code long}s. The payload is a read-only view (no copy on
 * decode: it aliases the decoded buffer). Padding is kept as its length; on encode the padding
 * bytes are zero except the final count (RFC 3550 says their content is ignored).
 *
 * @param paddingLength 0 for no padding, else 1..255 bytes including the count byte
 */
public record RtpPacket(
        boolean marker,
        int payloadType,
        int sequenceNumber,
        long timestamp,
        long ssrc,
        List<Long> csrcs,
        Optional<HeaderExtension> extension,
        ByteBuffer payload,
        int paddingLength) {

    /** Bytes of the fixed header. */
    public static final int FIXED_HEADER_SIZE = 12;

    public RtpPacket {
        check(payloadType, 0, 127, "payload type");
        check(sequenceNumber, 0, 0xFFFF, "sequence number");
        check(timestamp, 0, 0xFFFF_FFFFL, "timestamp");
        check(ssrc, 0, 0xFFFF_FFFFL, "ssrc");
        check(paddingLength, 0, 255, "padding length");
        csrcs = List.copyOf(csrcs);
        if (csrcs.size() > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs, was " + csrcs.size());
        }
        for (long c : csrcs) {
            check(c, 0, 0xFFFF_FFFFL, "csrc");
        }
        Objects.requireNonNull(extension, "extension");
        payload = Objects.requireNonNull(payload, "payload").slice().asReadOnlyBuffer();
    }

    /** A packet without CSRCs, extension or padding. */
    public static RtpPacket of(
            boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc, ByteBuffer payload) {
        return new RtpPacket(
                marker, payloadType, sequenceNumber, timestamp, ssrc, List.of(), Optional.empty(), payload, 0);
    }

    public RtpPacket withExtension(HeaderExtension ext) {
        return new RtpPacket(
                marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, Optional.of(ext), payload, paddingLength);
    }

    /** The payload as a fresh read-only view; reading it does not change this packet. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public int headerSize() {
        return FIXED_HEADER_SIZE
                + 4 * csrcs.size()
                + extension.map(HeaderExtension::encodedSize).orElse(0);
    }

    public int encodedSize() {
        return headerSize() + payload.remaining() + paddingLength;
    }

    /**
     * Writes the packet at the buffer's position and advances it.
     *
     * @throws java.nio.BufferOverflowException if fewer than {@link #encodedSize()} bytes remain
     */
    public void writeTo(ByteBuffer out) {
        if (out.remaining() < encodedSize()) {
            throw new BufferOverflowException();
        }
        int b0 = 2 << 6 | (paddingLength > 0 ? 0x20 : 0) | (extension.isPresent() ? 0x10 : 0) | csrcs.size();
        out.put((byte) b0);
        out.put((byte) ((marker ? 0x80 : 0) | payloadType));
        out.putShort((short) sequenceNumber);
        out.putInt((int) timestamp);
        out.putInt((int) ssrc);
        for (long c : csrcs) {
            out.putInt((int) c);
        }
        if (extension.isPresent()) {
            HeaderExtension ext = extension.get();
            ByteBuffer data = ext.data();
            out.putShort((short) ext.profile());
            out.putShort((short) (data.remaining() / 4));
            out.put(data);
        }
        out.put(payload.duplicate());
        if (paddingLength > 0) {
            for (int i = 1; i < paddingLength; i++) {
                out.put((byte) 0);
            }
            out.put((byte) paddingLength);
        }
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(encodedSize());
        writeTo(out);
        return out.array();
    }

    /**
     * Writes just the 12-byte fixed header (V=2, no P/X/CC) at the buffer's position: the
     * allocation-free path for payloaders that write their payload in place right after it.
     */
    public static void writeFixedHeader(
            ByteBuffer out, boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc) {
        out.put((byte) 0x80);
        out.put((byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F)));
        out.putShort((short) sequenceNumber);
        out.putInt((int) timestamp);
        out.putInt((int) ssrc);
    }

    /** Decodes one datagram: its bytes from position to limit. Never throws on any bytes. */
    public static RtpDecodeResult decode(ByteBuffer datagram) {
        return RtpParser.parse(datagram);
    }

    public static RtpDecodeResult decode(byte[] datagram) {
        return RtpParser.parse(ByteBuffer.wrap(datagram));
    }

    /** Decodes one datagram or throws {@link RtpFormatException} with the reason. */
    public static RtpPacket parse(ByteBuffer datagram) {
        return decode(datagram).orThrow();
    }

    private static void check(long v, long min, long max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + v);
        }
    }
}
