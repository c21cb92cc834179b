package org.medsync.st2110.video;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 4175 payload header (section 4.3) as ST 2110-20 uses it: the high 16 bits of the
 * extended sequence number, then one to {@code maxSegments} Sample Row Data headers, then the
 * segments' sample data in the same order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Extended Sequence Number    |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |F|          Line No            |C|           Offset            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |F|          Line No            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|           Offset            |                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               .
 * .                 sample data of segment 1, then 2               .
 * </pre>
 */
public final class Rfc4175Payload {

    /** Why a packet, or one segment of it, was not used. */
    public enum Reason {
        /** Packet-level: fewer bytes than the extended sequence number and one header, or a header cut off. */
        TRUNCATED_HEADER,
        /** Packet-level: more Sample Row Data headers than allowed (ST 2110-20: 3). */
        TOO_MANY_SEGMENTS,
        /** Packet-level: the segment lengths add up to more than the data after the headers. */
        LENGTH_BEYOND_PAYLOAD,
        /** Packet-level: an RTP payload type other than the negotiated one. */
        WRONG_PAYLOAD_TYPE,
        /** Packet-level: a packet of a frame already emitted (arrived after its marker). */
        LATE_PACKET,
        /** Segment-level: line number at or beyond the height. */
        LINE_OUT_OF_RANGE,
        /** Segment-level: offset at or beyond the width. */
        OFFSET_BEYOND_WIDTH,
        /** Segment-level: offset not at a pgroup boundary (a multiple of 2 pixels for 4:2:2). */
        OFFSET_NOT_PGROUP_ALIGNED,
        /** Segment-level: length not a whole number of pgroups. */
        LENGTH_NOT_PGROUP_MULTIPLE,
        /** Segment-level: the segment runs past the end of its line. */
        SEGMENT_BEYOND_LINE_END,
        /** Segment-level: F bit set in progressive video. */
        FIELD_IN_PROGRESSIVE
    }

    /** A decoded header: the high 16 bits of the extended sequence number and the segments. */
    public sealed interface Decoded {}

    /**
     * @param dataOffset position in the payload where the first segment's data starts
     */
    public record Segments(int extendedSequenceHigh, List<SampleRowData> segments, int dataOffset) implements Decoded {
        public Segments {
            segments = List.copyOf(segments);
        }
    }

    public record Malformed(Reason reason, String detail) implements Decoded {}

    private Rfc4175Payload() {}

    /** Reads the payload header; never throws on any bytes. Segment contents are not checked here. */
    public static Decoded decode(ByteBuffer payload, int maxSegments) {
        int base = payload.position();
        int n = payload.remaining();
        if (n < 2 + SampleRowData.SIZE) {
            return new Malformed(
                    Reason.TRUNCATED_HEADER,
                    n + " bytes, need 8 for the extended sequence number and" + " one row header");
        }
        int extHigh = payload.getShort(base) & 0xFFFF;
        List<SampleRowData> segs = new ArrayList<>(3);
        int pos = 2;
        boolean more = true;
        while (more) {
            if (segs.size() == maxSegments) {
                return new Malformed(Reason.TOO_MANY_SEGMENTS, "more than " + maxSegments + " row headers");
            }
            if (pos + SampleRowData.SIZE > n) {
                return new Malformed(
                        Reason.TRUNCATED_HEADER, "row header " + (segs.size() + 1) + " cut off at byte " + n);
            }
            int length = payload.getShort(base + pos) & 0xFFFF;
            int fl = payload.getShort(base + pos + 2) & 0xFFFF;
            int co = payload.getShort(base + pos + 4) & 0xFFFF;
            more = (co & 0x8000) != 0;
            segs.add(new SampleRowData(length, (fl & 0x8000) != 0, fl & 0x7FFF, more, co & 0x7FFF));
            pos += SampleRowData.SIZE;
        }
        long total = 0;
        for (SampleRowData s : segs) {
            total += s.length();
        }
        if (total > n - pos) {
            return new Malformed(
                    Reason.LENGTH_BEYOND_PAYLOAD,
                    "segments need " + total + " bytes, " + (n - pos) + " follow the headers");
        }
        return new Segments(extHigh, segs, pos);
    }

    /** Whether a segment fits the format; null when it does. */
    public static Reason check(SampleRowData s, VideoFormat f) {
        if (s.field()) {
            return Reason.FIELD_IN_PROGRESSIVE;
        }
        if (s.line() >= f.height()) {
            return Reason.LINE_OUT_OF_RANGE;
        }
        if (s.offset() >= f.width()) {
            return Reason.OFFSET_BEYOND_WIDTH;
        }
        if (s.offset() % VideoFormat.PIXELS_PER_PGROUP != 0) {
            return Reason.OFFSET_NOT_PGROUP_ALIGNED;
        }
        if (s.length() % f.pgroupBytes() != 0) {
            return Reason.LENGTH_NOT_PGROUP_MULTIPLE;
        }
        if (s.offset() + s.length() / f.pgroupBytes() * VideoFormat.PIXELS_PER_PGROUP > f.width()) {
            return Reason.SEGMENT_BEYOND_LINE_END;
        }
        return null;
    }

    /** The first problem of a whole payload against a format, or null: for diagnostics and tests. */
    public static Reason firstProblem(ByteBuffer payload, VideoFormat f, int maxSegments) {
        return switch (decode(payload, maxSegments)) {
            case Malformed m -> m.reason();
            case Segments s ->
                s.segments().stream()
                        .map(x -> check(x, f))
                        .filter(r -> r != null)
                        .findFirst()
                        .orElse(null);
        };
    }

    /** Writes the header for the given segments (continuation bits set here). Returns bytes written. */
    public static int writeHeader(ByteBuffer out, int extendedSequenceHigh, List<SampleRowData> segments) {
        int start = out.position();
        out.putShort((short) extendedSequenceHigh);
        for (int i = 0; i < segments.size(); i++) {
            SampleRowData s = segments.get(i);
            boolean c = i < segments.size() - 1;
            out.putShort((short) s.length());
            out.putShort((short) ((s.field() ? 0x8000 : 0) | s.line()));
            out.putShort((short) ((c ? 0x8000 : 0) | s.offset()));
        }
        return out.position() - start;
    }
}
