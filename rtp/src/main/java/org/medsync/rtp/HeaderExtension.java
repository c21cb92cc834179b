package org.medsync.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RTP header extension (RFC 3550 section 5.3.1), kept as its exact bytes so a decoded packet
 * re-encodes byte for byte, with the RFC 8285 elements read from it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |  length (32-bit words)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension data                  |
 * |                             ....                              |
 * </pre>
 *
 * RFC 8285 one-byte form, profile 0xBEDE: each element is a byte {@code ID(4) | L(4)} with
 * {@code L = length - 1} (1 to 16 data bytes), ID 1..14; a 0x00 byte is padding; ID 15 stops parsing.
 * <pre>
 * |       0xBE    |    0xDE       |           length=3            |
 * |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
 * </pre>
 * RFC 8285 two-byte form, profile {@code 0x100 << 4 | appbits}: each element is
 * {@code ID(8) | L(8)} then L data bytes (0 to 255), ID 1..255; a 0x00 byte is padding.
 *
 * @param profile the 16-bit "defined by profile" field
 * @param data    the extension data, a multiple of 4 bytes, read-only view
 */
public record HeaderExtension(int profile, ByteBuffer data) {

    /** RFC 8285 one-byte header profile. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 two-byte header profile with app bits 0 (the low 4 bits carry the app bits). */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    /** Which element syntax the profile selects. */
    public enum Form {
        ONE_BYTE,
        TWO_BYTE,
        OTHER
    }

    public HeaderExtension {
        if (profile < 0 || profile > 0xFFFF) {
            throw new IllegalArgumentException("profile must be 16 bits, was " + profile);
        }
        data = Objects.requireNonNull(data, "data").slice().asReadOnlyBuffer();
        if (data.remaining() % 4 != 0 || data.remaining() > 0xFFFF * 4) {
            throw new IllegalArgumentException(
                    "extension data must be a multiple of 4 bytes up to 262140, was " + data.remaining());
        }
        String bad = readElements(profile, data, null);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /** Canonical one-byte form: elements in order, zero padding only at the end. */
    public static HeaderExtension oneByte(List<ExtensionElement> elements) {
        int size = 0;
        for (ExtensionElement e : elements) {
            if (e.id() > 14) {
                throw new IllegalArgumentException("one-byte form ids are 1..14, was " + e.id());
            }
            if (e.length() < 1 || e.length() > 16) {
                throw new IllegalArgumentException("one-byte form carries 1..16 bytes, was " + e.length());
            }
            size += 1 + e.length();
        }
        ByteBuffer out = ByteBuffer.allocate(pad4(size));
        for (ExtensionElement e : elements) {
            out.put((byte) (e.id() << 4 | (e.length() - 1))).put(e.data());
        }
        return new HeaderExtension(ONE_BYTE_PROFILE, out.clear());
    }

    /** Canonical two-byte form with the given 4 app bits. */
    public static HeaderExtension twoByte(int appBits, List<ExtensionElement> elements) {
        if (appBits < 0 || appBits > 15) {
            throw new IllegalArgumentException("app bits are 4 bits, was " + appBits);
        }
        int size = 0;
        for (ExtensionElement e : elements) {
            size += 2 + e.length();
        }
        ByteBuffer out = ByteBuffer.allocate(pad4(size));
        for (ExtensionElement e : elements) {
            out.put((byte) e.id()).put((byte) e.length()).put(e.data());
        }
        return new HeaderExtension(TWO_BYTE_PROFILE | appBits, out.clear());
    }

    public Form form() {
        return formOf(profile);
    }

    /** The extension data as a fresh view. */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** Bytes this extension takes on the wire: 4-byte header plus data. */
    public int encodedSize() {
        return 4 + data.remaining();
    }

    /** RFC 8285 elements in wire order; empty for {@link Form#OTHER}. */
    public List<ExtensionElement> elements() {
        List<ExtensionElement> out = new ArrayList<>();
        readElements(profile, data, out);
        return List.copyOf(out);
    }

    /** The first element with this id, if any. */
    public Optional<ExtensionElement> element(int id) {
        return elements().stream().filter(e -> e.id() == id).findFirst();
    }

    static Form formOf(int profile) {
        if (profile == ONE_BYTE_PROFILE) {
            return Form.ONE_BYTE;
        }
        return (profile & 0xFFF0) == TWO_BYTE_PROFILE ? Form.TWO_BYTE : Form.OTHER;
    }

    /**
     * Walks the RFC 8285 elements; adds them to {@code sink} when not null. Returns null when the
     * block is well formed, else what is wrong. Never throws on any bytes.
     */
    static String readElements(int profile, ByteBuffer block, List<ExtensionElement> sink) {
        Form form = formOf(profile);
        if (form == Form.OTHER) {
            return null;
        }
        int i = block.position();
        int end = block.limit();
        while (i < end) {
            int b = block.get(i) & 0xFF;
            if (b == 0 || (form == Form.ONE_BYTE && b >>> 4 == 0)) {
                // padding: 0x00 in both forms; in the one-byte form ID 0 is padding whatever its
                // L nibble says (RFC 8285 4.2; libwebrtc skips the byte the same way)
                i++;
                continue;
            }
            int id;
            int len;
            int header;
            if (form == Form.ONE_BYTE) {
                id = b >>> 4;
                if (id == 15) { // RFC 8285 4.2: stop processing here
                    return null;
                }
                len = (b & 0x0F) + 1;
                header = 1;
            } else {
                if (i + 1 >= end) {
                    return "two-byte element header at offset " + (i - block.position()) + " cut by end of block";
                }
                id = b;
                len = block.get(i + 1) & 0xFF;
                header = 2;
            }
            if (i + header + len > end) {
                return "element id " + id + " of " + len + " bytes at offset " + (i - block.position())
                        + " runs past the " + (end - block.position()) + "-byte block";
            }
            if (sink != null) {
                sink.add(new ExtensionElement(id, block.slice(i + header, len)));
            }
            i += header + len;
        }
        return null;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }
}
