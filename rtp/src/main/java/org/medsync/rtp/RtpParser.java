package org.medsync.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medsync.rtp.RtpDecodeResult.Malformed;
import org.medsync.rtp.RtpDecodeResult.Reason;

/** RFC 3550 section 5.1 / 5.3.1 decoding. See {@link RtpPacket} for the diagram. */
final class RtpParser {

    private RtpParser() {}

    static RtpDecodeResult parse(ByteBuffer in) {
        ByteBuffer b = in.slice();
        int n = b.remaining();
        if (n < RtpPacket.FIXED_HEADER_SIZE) {
            return new Malformed(Reason.TRUNCATED_HEADER, n + " bytes, the fixed header needs 12");
        }
        int b0 = b.get(0) & 0xFF;
        int version = b0 >>> 6;
        if (version != 2) {
            return new Malformed(Reason.BAD_VERSION, "version " + version + ", expected 2");
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean hasExtension = (b0 & 0x10) != 0;
        int cc = b0 & 0x0F;
        int b1 = b.get(1) & 0xFF;
        boolean marker = (b1 & 0x80) != 0;
        int pt = b1 & 0x7F;
        int seq = b.getShort(2) & 0xFFFF;
        long ts = b.getInt(4) & 0xFFFF_FFFFL;
        long ssrc = b.getInt(8) & 0xFFFF_FFFFL;
        int pos = RtpPacket.FIXED_HEADER_SIZE;
        if (pos + 4 * cc > n) {
            return new Malformed(Reason.TRUNCATED_CSRC, "CC=" + cc + " needs " + (pos + 4 * cc) + " bytes, have " + n);
        }
        List<Long> csrcs = cc == 0 ? List.of() : new ArrayList<>(cc);
        for (int i = 0; i < cc; i++) {
            csrcs.add(b.getInt(pos) & 0xFFFF_FFFFL);
            pos += 4;
        }
        Optional<HeaderExtension> extension = Optional.empty();
        if (hasExtension) {
            if (pos + 4 > n) {
                return new Malformed(
                        Reason.BAD_EXTENSION_LENGTH,
                        "X=1 but only " + (n - pos) + " bytes left for the 4-byte extension header");
            }
            int profile = b.getShort(pos) & 0xFFFF;
            int words = b.getShort(pos + 2) & 0xFFFF;
            int dataLen = 4 * words;
            if (pos + 4 + dataLen > n) {
                return new Malformed(
                        Reason.BAD_EXTENSION_LENGTH,
                        "extension length " + words + " words (" + dataLen + " bytes) but only " + (n - pos - 4)
                                + " bytes left");
            }
            ByteBuffer data = b.slice(pos + 4, dataLen);
            String bad = HeaderExtension.readElements(profile, data, null);
            if (bad != null) {
                return new Malformed(Reason.BAD_EXTENSION_ELEMENT, bad);
            }
            extension = Optional.of(new HeaderExtension(profile, data));
            pos += 4 + dataLen;
        }
        int end = n;
        int paddingLength = 0;
        if (padding) {
            if (end == pos) {
                return new Malformed(Reason.BAD_PADDING, "P=1 but no byte after the header");
            }
            paddingLength = b.get(n - 1) & 0xFF;
            if (paddingLength == 0 || paddingLength > n - pos) {
                return new Malformed(
                        Reason.BAD_PADDING,
                        "padding count " + paddingLength + " with " + (n - pos) + " bytes after the header");
            }
            end = n - paddingLength;
        }
        return new RtpDecodeResult.Decoded(
                new RtpPacket(marker, pt, seq, ts, ssrc, csrcs, extension, b.slice(pos, end - pos), paddingLength));
    }
}
