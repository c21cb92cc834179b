package org.medsync.rtp;

import java.util.Objects;

/**
 * The outcome of decoding bytes as RTP. Garbage never throws: it is {@link Malformed} with a
 * {@link Reason} a test or a counter can switch on; the detail text is for humans only.
 */
public sealed interface RtpDecodeResult {

    /** A well-formed packet. Its payload is a read-only view of the decoded bytes, not a copy. */
    record Decoded(RtpPacket packet) implements RtpDecodeResult {
        public Decoded {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /**
     * Not enough bytes yet to decide. Only stream framers ({@link Rfc4571Framer}) return this; the
     * read position of the input is left where it was.
     */
    record NeedMoreBytes(int atLeast) implements RtpDecodeResult {}

    /** Bytes that are not an RTP packet, and why. */
    record Malformed(Reason reason, String detail) implements RtpDecodeResult {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why bytes are not an RTP packet. */
    enum Reason {
        /** Fewer than the 12 bytes of the fixed header. */
        TRUNCATED_HEADER,
        /** Version field is not 2. */
        BAD_VERSION,
        /** The CSRC count says more identifiers than there are bytes. */
        TRUNCATED_CSRC,
        /** The header extension header or its length (in 32-bit words) runs past the packet. */
        BAD_EXTENSION_LENGTH,
        /** An RFC 8285 element inside a one-byte or two-byte extension block runs past the block. */
        BAD_EXTENSION_ELEMENT,
        /** P bit set but the padding count is 0 or larger than what follows the header. */
        BAD_PADDING,
        /** An RFC 4571 length prefix of 0 or one above the framer's limit. */
        BAD_FRAME_LENGTH
    }

    /** The packet, or {@link RtpFormatException} carrying the reason. */
    default RtpPacket orThrow() {
        return switch (this) {
            case Decoded d -> d.packet();
            case Malformed m -> throw new RtpFormatException(m.reason(), m.detail());
            case NeedMoreBytes n ->
                throw new RtpFormatException(Reason.TRUNCATED_HEADER, "need at least " + n.atLeast() + " more bytes");
        };
    }
}
