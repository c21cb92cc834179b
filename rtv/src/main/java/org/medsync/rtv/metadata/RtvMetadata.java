package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Pattern;
import org.medsync.rtv.metadata.MetadataFormatException.Reason;

/**
 * One PS3.22 metadata payload (one grain: the metadata of one video frame): RTV Meta Information
 * and a data set. This is the whole RTP payload of a metadata grain, before fragmentation.
 *
 * <pre>
 *   0                                   128      132
 *   | 128 zero bytes (preamble)          | DICM   | group 0002, Explicit VR LE:
 *     (0002,0000) UL 4  group length: bytes of the 0002 elements that follow
 *     (0002,0010) UI    Transfer Syntax UID = the VIDEO flow's, 1.2.840.10008.1.2.7.1
 *     (0002,0031) OB 2  RTV Meta Information Version 00 01
 *     (0002,0032) UI    RTV Communication SOP Class UID   (1.2.840.10008.10.1 ...)
 *     (0002,0033) UI    RTV Communication SOP Instance UID
 *     (0002,0035) OB 16 RTV Source Identifier (UUID)
 *     (0002,0036) OB 16 RTV Flow Identifier (UUID)
 *     (0002,0037) UL 4  RTV Flow RTP Sampling Rate (90000)
 *     (0002,0038) FD 8  RTV Flow Actual Frame Duration, ms (optional)
 *   | data set: ALWAYS Explicit VR Little Endian, whatever (0002,0010) says |
 * </pre>
 *
 * The trap: an ordinary DICOM parser switches the data set's syntax on (0002,0010); fed this
 * payload as a file it must be told Explicit VR LE (e.g. {@link RtvMeta#withTransferSyntax}).
 */
public record RtvMetadata(RtvMeta meta, Dataset dataset) {

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    public static final int PREAMBLE = 128;
    private static final byte[] DICM = {'D', 'I', 'C', 'M'};

    public RtvMetadata {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(dataset, "dataset");
    }

    private Dataset metaGroup() {
        List<DataElement> m = new ArrayList<>();
        m.add(DataElement.text(Tags.TRANSFER_SYNTAX_UID, Vr.UI, meta.transferSyntaxUid()));
        m.add(DataElement.bytes(
                Tags.RTV_META_VERSION, new byte[] {(byte) (meta.version() >>> 8), (byte) meta.version()}));
        m.add(DataElement.text(Tags.RTV_SOP_CLASS_UID, Vr.UI, meta.sopClassUid()));
        m.add(DataElement.text(Tags.RTV_SOP_INSTANCE_UID, Vr.UI, meta.sopInstanceUid()));
        m.add(DataElement.bytes(Tags.RTV_SOURCE_IDENTIFIER, uuidBytes(meta.sourceId())));
        m.add(DataElement.bytes(Tags.RTV_FLOW_IDENTIFIER, uuidBytes(meta.flowId())));
        m.add(DataElement.ul(Tags.RTV_FLOW_RTP_SAMPLING_RATE, meta.samplingRate()));
        meta.frameDurationMs().ifPresent(d -> m.add(DataElement.fd(Tags.RTV_FLOW_ACTUAL_FRAME_DURATION, d)));
        return Dataset.of(m);
    }

    public int encodedSize() {
        return PREAMBLE + 4 + 12 + ExplicitVrLe.encodedSize(metaGroup()) + ExplicitVrLe.encodedSize(dataset);
    }

    /** Writes the payload at the buffer's position (any byte order; restored afterwards). */
    public void writeTo(ByteBuffer out) {
        ByteOrder order = out.order();
        out.order(ByteOrder.LITTLE_ENDIAN);
        try {
            Dataset group = metaGroup();
            out.put(new byte[PREAMBLE]).put(DICM);
            ExplicitVrLe.write(out, DataElement.ul(Tags.FILE_META_GROUP_LENGTH, ExplicitVrLe.encodedSize(group)));
            ExplicitVrLe.write(out, group);
            ExplicitVrLe.write(out, dataset);
        } finally {
            out.order(order);
        }
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize());
        writeTo(b);
        return b.array();
    }

    /** Decodes one whole payload, from position to limit. Never throws on any bytes. */
    public static MetadataDecodeResult decode(ByteBuffer payload) {
        try {
            return new MetadataDecodeResult.Decoded(parse(payload));
        } catch (MetadataFormatException e) {
            return new MetadataDecodeResult.Malformed(e.reason(), e.getMessage());
        }
    }

    public static MetadataDecodeResult decode(byte[] payload) {
        return decode(ByteBuffer.wrap(payload));
    }

    private static RtvMetadata parse(ByteBuffer payload) {
        ByteBuffer in = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining();
        if (n < PREAMBLE + 4 + 12) {
            throw new MetadataFormatException(Reason.TRUNCATED, n + " bytes; preamble, DICM and group length need 144");
        }
        for (int i = 0; i < PREAMBLE; i++) {
            if (in.get(i) != 0) {
                throw new MetadataFormatException(Reason.BAD_PREAMBLE, "preamble byte " + i + " is not zero");
            }
        }
        for (int i = 0; i < 4; i++) {
            if (in.get(PREAMBLE + i) != DICM[i]) {
                throw new MetadataFormatException(Reason.NO_DICM_PREFIX, "no DICM at offset 128");
            }
        }
        int p = PREAMBLE + 4;
        if (in.getInt(p) != 0x0000_0002 || in.get(p + 4) != 'U' || in.get(p + 5) != 'L' || in.getShort(p + 6) != 4) {
            throw new MetadataFormatException(Reason.MISSING_GROUP_LENGTH, "(0002,0000) UL 4 must follow DICM");
        }
        long groupLength = in.getInt(p + 8) & 0xFFFF_FFFFL;
        int groupStart = p + 12;
        if (groupLength > n - groupStart) {
            throw new MetadataFormatException(
                    Reason.BAD_GROUP_LENGTH,
                    "group length " + groupLength + " but " + (n - groupStart) + " bytes follow");
        }
        int groupEnd = groupStart + (int) groupLength;
        if (groupEnd + 2 <= n && (in.getShort(groupEnd) & 0xFFFF) == 0x0002) {
            throw new MetadataFormatException(Reason.BAD_GROUP_LENGTH, "group 0002 continues after its group length");
        }
        Dataset group;
        try {
            group = ExplicitVrLe.read(in, groupStart, groupEnd, 0);
        } catch (MetadataFormatException e) {
            if (e.reason() == Reason.LENGTH_BEYOND_END || e.reason() == Reason.TRUNCATED) {
                throw new MetadataFormatException(
                        Reason.BAD_GROUP_LENGTH,
                        "an element crosses the end of group 0002" + " that (0002,0000) = " + groupLength + " sets: "
                                + e.getMessage());
            }
            throw e;
        }
        for (int tag : group.elements().keySet()) {
            if (tag >>> 16 != 0x0002) {
                throw new MetadataFormatException(Reason.BAD_GROUP_LENGTH, Tags.text(tag) + " inside the group length");
            }
        }
        RtvMeta meta = new RtvMeta(
                uid(group, Tags.TRANSFER_SYNTAX_UID),
                version(group),
                uid(group, Tags.RTV_SOP_CLASS_UID),
                uid(group, Tags.RTV_SOP_INSTANCE_UID),
                uuid(group, Tags.RTV_SOURCE_IDENTIFIER),
                uuid(group, Tags.RTV_FLOW_IDENTIFIER),
                samplingRate(group),
                frameDuration(group));
        // PS3.22: whatever (0002,0010) says, the data set is Explicit VR Little Endian
        Dataset ds = ExplicitVrLe.read(in, groupEnd, n, 0);
        return new RtvMetadata(meta, ds);
    }

    private static DataElement required(Dataset g, int tag, Vr vr) {
        DataElement e = g.get(tag)
                .orElseThrow(() ->
                        new MetadataFormatException(Reason.MISSING_META_ELEMENT, Tags.text(tag) + " is required"));
        if (e.vr() != vr) {
            throw new MetadataFormatException(
                    Reason.BAD_META_VALUE, Tags.text(tag) + " must be " + vr + ", was " + e.vr());
        }
        return e;
    }

    /**
     * A UID element of the meta group: one value of digits and dots, at most 64 characters (PS3.5 9.1). Anything else
     * is refused rather than cut down to a first value, so what decodes re-encodes to the bytes it came from.
     */
    private static String uid(Dataset g, int tag) {
        DataElement e = required(g, tag, Vr.UI);
        List<String> values = ((ElementValue.Strings) e.value()).values();
        if (values.isEmpty() || values.getFirst().isEmpty()) {
            throw new MetadataFormatException(Reason.BAD_META_VALUE, Tags.text(tag) + " is empty");
        }
        if (values.size() > 1) {
            throw new MetadataFormatException(
                    Reason.BAD_META_VALUE, Tags.text(tag) + " must be one UID, has " + values.size() + " values");
        }
        String s = values.getFirst();
        if (s.length() > 64 || !UID.matcher(s).matches()) {
            throw new MetadataFormatException(
                    Reason.BAD_META_VALUE, Tags.text(tag) + " is not a UID (digits and dots, at most 64 characters)");
        }
        return s;
    }

    private static int version(Dataset g) {
        byte[] b =
                ((ElementValue.Bytes) required(g, Tags.RTV_META_VERSION, Vr.OB).value()).toByteArray();
        if (b.length != 2) {
            throw new MetadataFormatException(Reason.BAD_META_VALUE, "(0002,0031) must be 2 bytes, was " + b.length);
        }
        return (b[0] & 0xFF) << 8 | b[1] & 0xFF;
    }

    private static UUID uuid(Dataset g, int tag) {
        byte[] b = ((ElementValue.Bytes) required(g, tag, Vr.OB).value()).toByteArray();
        if (b.length != 16) {
            throw new MetadataFormatException(
                    Reason.BAD_META_VALUE, Tags.text(tag) + " must be a 16-byte UUID, was " + b.length + " bytes");
        }
        return uuid(b);
    }

    private static long samplingRate(Dataset g) {
        List<Long> v = ((ElementValue.Integers)
                        required(g, Tags.RTV_FLOW_RTP_SAMPLING_RATE, Vr.UL).value())
                .values();
        if (v.size() != 1) {
            throw new MetadataFormatException(Reason.BAD_META_VALUE, "(0002,0037) must hold one value");
        }
        return v.getFirst();
    }

    private static OptionalDouble frameDuration(Dataset g) {
        if (!g.contains(Tags.RTV_FLOW_ACTUAL_FRAME_DURATION)) {
            return OptionalDouble.empty();
        }
        List<Double> v = ((ElementValue.Decimals)
                        required(g, Tags.RTV_FLOW_ACTUAL_FRAME_DURATION, Vr.FD).value())
                .values();
        if (v.size() != 1) {
            throw new MetadataFormatException(Reason.BAD_META_VALUE, "(0002,0038) must hold one value");
        }
        return OptionalDouble.of(v.getFirst());
    }

    public static byte[] uuidBytes(UUID u) {
        return ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
    }

    public static UUID uuid(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        return new UUID(in.getLong(), in.getLong());
    }
}
