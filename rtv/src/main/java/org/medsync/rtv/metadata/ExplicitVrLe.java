package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medsync.rtv.metadata.MetadataFormatException.Reason;

/**
 * Explicit VR Little Endian (PS3.5 7.1.2, transfer syntax 1.2.840.10008.1.2.1), the encoding of
 * every PS3.22 metadata data set whatever (0002,0010) says.
 *
 * <pre>
 *  short form:  | group(2) | element(2) | VR(2) | length(2) | value (even length) |
 *  long form:   | group(2) | element(2) | VR(2) | 00 00 | length(4) | value |      OB OW UN SQ UC UR UT
 *  SQ value:    | FFFE E000 | item length(4) | item data set | ...                 (we write defined lengths)
 *               undefined lengths (FFFFFFFF) end with FFFE E00D (item) / FFFE E0DD (sequence): read only
 * </pre>
 *
 * Text is UTF-8 (we always send Specific Character Set ISO_IR 192), multi-values joined by '\',
 * padded to even length with a space (UI and binary: a zero byte). The reader strips exactly one
 * trailing padding byte, so what it reads re-encodes to the same bytes.
 */
final class ExplicitVrLe {

    static final int MAX_DEPTH = 8;
    private static final int UNDEFINED = -1;

    private ExplicitVrLe() {}

    // ---- writing --------------------------------------------------------------------------------

    static int encodedSize(Dataset ds) {
        int n = 0;
        for (DataElement e : ds.elements().values()) {
            n += encodedSize(e);
        }
        return n;
    }

    static int encodedSize(DataElement e) {
        return (e.vr().longForm() ? 12 : 8) + valueSize(e);
    }

    private static int valueSize(DataElement e) {
        return switch (e.value()) {
            case ElementValue.Strings s -> pad2(text(s).length);
            case ElementValue.Bytes b -> pad2(b.data().remaining());
            case ElementValue.Decimals d -> d.values().size() * e.vr().numberSize();
            case ElementValue.Integers i -> i.values().size() * e.vr().numberSize();
            case ElementValue.Items items -> {
                int n = 0;
                for (Dataset item : items.items()) {
                    n += 8 + encodedSize(item);
                }
                yield n;
            }
        };
    }

    /** Writes the elements at the buffer's position (the buffer must be little endian). */
    static void write(ByteBuffer out, Dataset ds) {
        for (DataElement e : ds.elements().values()) {
            write(out, e);
        }
    }

    static void write(ByteBuffer out, DataElement e) {
        int len = valueSize(e);
        out.putShort((short) (e.tag() >>> 16)).putShort((short) e.tag());
        String vr = e.vr().name();
        out.put((byte) vr.charAt(0)).put((byte) vr.charAt(1));
        if (e.vr().longForm()) {
            out.putShort((short) 0).putInt(len);
        } else {
            if (len > 0xFFFF) {
                throw new IllegalArgumentException(Tags.text(e.tag()) + " " + vr + " value of " + len
                        + " bytes exceeds the 65535 of a short-form length");
            }
            out.putShort((short) len);
        }
        switch (e.value()) {
            case ElementValue.Strings s -> {
                byte[] b = text(s);
                out.put(b);
                if (b.length % 2 != 0) {
                    out.put(e.vr().paddingByte());
                }
            }
            case ElementValue.Bytes b -> {
                int n = b.data().remaining();
                out.put(b.data());
                if (n % 2 != 0) {
                    out.put((byte) 0);
                }
            }
            case ElementValue.Decimals d ->
                d.values().forEach(v -> {
                    if (e.vr() == Vr.FD) {
                        out.putDouble(v);
                    } else {
                        out.putFloat(v.floatValue());
                    }
                });
            case ElementValue.Integers i ->
                i.values().forEach(v -> {
                    if (e.vr().numberSize() == 2) {
                        out.putShort((short) (long) v);
                    } else {
                        out.putInt((int) (long) v);
                    }
                });
            case ElementValue.Items items -> {
                for (Dataset item : items.items()) {
                    out.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(encodedSize(item));
                    write(out, item);
                }
            }
        }
    }

    private static byte[] text(ElementValue.Strings s) {
        return String.join("\\", s.values()).getBytes(StandardCharsets.UTF_8);
    }

    private static int pad2(int n) {
        return n + (n & 1);
    }

    // ---- reading --------------------------------------------------------------------------------

    /** Reads elements from {@code from} to {@code to} of a little-endian buffer. */
    static Dataset read(ByteBuffer in, int from, int to, int depth) {
        return new Cursor(in, to).dataset(from, to, depth, false);
    }

    private static final class Cursor {
        private final ByteBuffer in;
        private final int hardEnd;
        private int pos;

        Cursor(ByteBuffer in, int hardEnd) {
            this.in = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.hardEnd = hardEnd;
        }

        /** Elements until {@code to}, or until an item delimiter when {@code undefinedItem}. */
        Dataset dataset(int from, int to, int depth, boolean undefinedItem) {
            if (depth > MAX_DEPTH) {
                throw new MetadataFormatException(Reason.TOO_DEEP, "sequences nested deeper than " + MAX_DEPTH);
            }
            pos = from;
            List<DataElement> out = new ArrayList<>();
            long last = -1;
            while (pos < to) {
                need(8, to);
                int tag = (in.getShort(pos) & 0xFFFF) << 16 | in.getShort(pos + 2) & 0xFFFF;
                if (undefinedItem && tag == Tags.ITEM_DELIMITATION) {
                    pos += 8;
                    return Dataset.of(out);
                }
                long unsigned = tag & 0xFFFF_FFFFL;
                if (unsigned <= last) {
                    throw new MetadataFormatException(
                            Reason.TAGS_OUT_OF_ORDER,
                            Tags.text(tag) + " at offset " + pos + " after " + Tags.text((int) last));
                }
                last = unsigned;
                out.add(element(tag, to, depth));
            }
            if (undefinedItem) {
                throw new MetadataFormatException(Reason.TRUNCATED, "item without its delimiter");
            }
            return Dataset.of(out);
        }

        private DataElement element(int tag, int to, int depth) {
            int start = pos;
            Vr vr = Vr.of(in.get(pos + 4) & 0xFF, in.get(pos + 5) & 0xFF);
            if (vr == null) {
                throw new MetadataFormatException(
                        Reason.BAD_VR,
                        Tags.text(tag) + " at offset " + start + ": bytes " + (in.get(pos + 4) & 0xFF) + ","
                                + (in.get(pos + 5) & 0xFF) + " are no VR");
            }
            int len;
            if (vr.longForm()) {
                need(12, to);
                len = in.getInt(pos + 8);
                pos += 12;
            } else {
                len = in.getShort(pos + 6) & 0xFFFF;
                pos += 8;
            }
            if (len == UNDEFINED) {
                if (vr != Vr.SQ) {
                    throw new MetadataFormatException(
                            Reason.UNDEFINED_LENGTH, Tags.text(tag) + " " + vr + " with undefined length");
                }
                return new DataElement(tag, vr, new ElementValue.Items(items(-1, to, depth)));
            }
            if (len < 0 || len > to - pos) {
                throw new MetadataFormatException(
                        Reason.LENGTH_BEYOND_END,
                        Tags.text(tag) + " length " + Integer.toUnsignedString(len) + " at offset " + start + ", "
                                + (to - pos) + " bytes left");
            }
            if (len % 2 != 0) {
                throw new MetadataFormatException(Reason.BAD_LENGTH, Tags.text(tag) + " odd length " + len);
            }
            int vstart = pos;
            pos += len;
            ElementValue value;
            if (vr == Vr.SQ) {
                value = new ElementValue.Items(items(vstart + len, vstart + len, depth, vstart));
            } else if (vr.text()) {
                value = new ElementValue.Strings(strings(tag, vstart, len, vr));
            } else if (vr.binary()) {
                byte[] b = new byte[len];
                in.get(vstart, b);
                value = new ElementValue.Bytes(ByteBuffer.wrap(b));
            } else {
                int size = vr.numberSize();
                if (len % size != 0) {
                    throw new MetadataFormatException(
                            Reason.BAD_LENGTH,
                            Tags.text(tag) + " " + vr + " length " + len + " is not a multiple of " + size);
                }
                if (vr == Vr.FD || vr == Vr.FL) {
                    List<Double> d = new ArrayList<>();
                    for (int i = vstart; i < vstart + len; i += size) {
                        d.add(vr == Vr.FD ? in.getDouble(i) : (double) in.getFloat(i));
                    }
                    value = new ElementValue.Decimals(d);
                } else {
                    List<Long> d = new ArrayList<>();
                    for (int i = vstart; i < vstart + len; i += size) {
                        d.add(
                                switch (vr) {
                                    case US -> (long) (in.getShort(i) & 0xFFFF);
                                    case SS -> (long) in.getShort(i);
                                    case UL -> in.getInt(i) & 0xFFFF_FFFFL;
                                    default -> (long) in.getInt(i);
                                });
                    }
                    value = new ElementValue.Integers(d);
                }
            }
            return new DataElement(tag, vr, value);
        }

        private List<Dataset> items(int end, int to, int depth) {
            return items(end, to, depth, pos);
        }

        /** Items from {@code from}; {@code end} < 0 means undefined length (until the sequence delimiter). */
        private List<Dataset> items(int end, int to, int depth, int from) {
            pos = from;
            List<Dataset> items = new ArrayList<>();
            int limit = end < 0 ? to : end;
            while (end < 0 || pos < end) {
                need(8, limit);
                int tag = (in.getShort(pos) & 0xFFFF) << 16 | in.getShort(pos + 2) & 0xFFFF;
                int len = in.getInt(pos + 4);
                if (end < 0 && tag == Tags.SEQUENCE_DELIMITATION) {
                    pos += 8;
                    return items;
                }
                if (tag != Tags.ITEM) {
                    throw new MetadataFormatException(
                            Reason.BAD_ITEM, Tags.text(tag) + " at offset " + pos + " where an item belongs");
                }
                pos += 8;
                if (len == UNDEFINED) {
                    items.add(dataset(pos, limit, depth + 1, true));
                } else {
                    if (len < 0 || len > limit - pos) {
                        throw new MetadataFormatException(
                                Reason.LENGTH_BEYOND_END,
                                "item length " + Integer.toUnsignedString(len) + " at offset " + (pos - 8));
                    }
                    int itemEnd = pos + len;
                    items.add(dataset(pos, itemEnd, depth + 1, false));
                    pos = itemEnd;
                }
            }
            return items;
        }

        private List<String> strings(int tag, int at, int len, Vr vr) {
            int n = len;
            if (n > 0 && in.get(at + n - 1) == vr.paddingByte()) {
                n--;
            }
            byte[] b = new byte[n];
            in.get(at, b);
            String s;
            try {
                CharBuffer cb = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b));
                s = cb.toString();
            } catch (CharacterCodingException e) {
                throw new MetadataFormatException(Reason.BAD_TEXT, Tags.text(tag) + " is not UTF-8");
            }
            return n == 0 ? List.of() : Arrays.asList(s.split("\\\\", -1));
        }

        private void need(int bytes, int to) {
            if (pos + bytes > Math.min(to, hardEnd)) {
                throw new MetadataFormatException(
                        Reason.TRUNCATED,
                        bytes + " bytes needed at offset " + pos + ", " + (Math.min(to, hardEnd) - pos) + " left");
            }
        }
    }
}
