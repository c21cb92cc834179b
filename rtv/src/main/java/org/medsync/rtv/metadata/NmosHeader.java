package org.medsync.rtv.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.medsync.rtp.ExtensionElement;
import org.medsync.rtp.HeaderExtension;

/**
 * The NMOS in-stream identity and timing header extensions (RFC 8285 one-byte form, profile
 * 0xBEDE) a PS3.22 metadata grain carries: on its first packet sync and origin timestamps (10
 * bytes each), flow and source ids (16-byte UUIDs) and grain flags; on its last packet the grain
 * flags again.
 *
 * <pre>
 *  | 0xBE 0xDE | length=15 words |
 *  | id1 L=9 | sync timestamp 10 bytes | id2 L=9 | origin timestamp 10 bytes |
 *  | id3 L=15 | flow id 16 bytes | id4 L=15 | source id 16 bytes | id5 L=0 | flags | 00 pad |
 *  grain flags byte: bit 7 S (start of grain), bit 6 E (end of grain), rest 0
 * </pre>
 *
 * @param syncTimestamp  the alignment point of the frame (PTP time)
 * @param originTimestamp the capture time of the frame
 */
public record NmosHeader(
        Optional<TaiTimestamp> syncTimestamp,
        Optional<TaiTimestamp> originTimestamp,
        Optional<UUID> flowId,
        Optional<UUID> sourceId,
        boolean start,
        boolean end) {

    public static final int FLAG_START = 0x80;
    public static final int FLAG_END = 0x40;

    /** Local ids of the five extensions, from the SDP's {@code a=extmap} lines (0 = not mapped). */
    public record Ids(int sync, int origin, int flowId, int sourceId, int grainFlags) {
        /** Ids 1..5 in the order {@link org.medsync.sdp.St2110Media#dicomMetadata} maps them. */
        public static final Ids STANDARD = new Ids(1, 2, 3, 4, 5);

        public Ids {
            for (int id : new int[] {sync, origin, flowId, sourceId, grainFlags}) {
                if (id < 0 || id > 14) {
                    throw new IllegalArgumentException("one-byte extension ids are 1..14 (0 = unmapped), was " + id);
                }
            }
        }
    }

    /** The extension of a grain's first packet (flags: start, and end when the grain is one packet). */
    public static NmosHeader first(
            TaiTimestamp sync, TaiTimestamp origin, UUID flowId, UUID sourceId, boolean alsoEnd) {
        return new NmosHeader(
                Optional.of(sync), Optional.of(origin), Optional.of(flowId), Optional.of(sourceId), true, alsoEnd);
    }

    /** The extension of a grain's last packet: end flag only. */
    public static NmosHeader last() {
        return new NmosHeader(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, true);
    }

    public HeaderExtension toExtension(Ids ids) {
        List<ExtensionElement> e = new ArrayList<>(5);
        if (ids.sync() > 0) {
            syncTimestamp.ifPresent(t -> e.add(ExtensionElement.of(ids.sync(), t.toBytes())));
        }
        if (ids.origin() > 0) {
            originTimestamp.ifPresent(t -> e.add(ExtensionElement.of(ids.origin(), t.toBytes())));
        }
        if (ids.flowId() > 0) {
            flowId.ifPresent(u -> e.add(ExtensionElement.of(ids.flowId(), RtvMetadata.uuidBytes(u))));
        }
        if (ids.sourceId() > 0) {
            sourceId.ifPresent(u -> e.add(ExtensionElement.of(ids.sourceId(), RtvMetadata.uuidBytes(u))));
        }
        if (ids.grainFlags() > 0 && (start || end)) {
            e.add(ExtensionElement.of(ids.grainFlags(), (byte) ((start ? FLAG_START : 0) | (end ? FLAG_END : 0))));
        }
        return HeaderExtension.oneByte(e);
    }

    /** Reads what it can; elements of the wrong size are ignored (counted by the caller as absent). */
    public static NmosHeader from(Optional<HeaderExtension> ext, Ids ids) {
        if (ext.isEmpty() || ext.get().form() != HeaderExtension.Form.ONE_BYTE) {
            return new NmosHeader(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false);
        }
        HeaderExtension x = ext.get();
        int flags = bytes(x, ids.grainFlags(), 1).map(b -> b[0] & 0xFF).orElse(0);
        return new NmosHeader(
                bytes(x, ids.sync(), 10).flatMap(NmosHeader::time),
                bytes(x, ids.origin(), 10).flatMap(NmosHeader::time),
                bytes(x, ids.flowId(), 16).map(RtvMetadata::uuid),
                bytes(x, ids.sourceId(), 16).map(RtvMetadata::uuid),
                (flags & FLAG_START) != 0,
                (flags & FLAG_END) != 0);
    }

    private static Optional<byte[]> bytes(HeaderExtension x, int id, int size) {
        if (id <= 0) {
            return Optional.empty();
        }
        return x.element(id).filter(e -> e.length() == size).map(ExtensionElement::toByteArray);
    }

    private static Optional<TaiTimestamp> time(byte[] b) {
        try {
            return Optional.of(TaiTimestamp.fromBytes(b));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Size of the header extension on the wire for these ids. */
    public int encodedSize(Ids ids) {
        return toExtension(ids).encodedSize();
    }
}
