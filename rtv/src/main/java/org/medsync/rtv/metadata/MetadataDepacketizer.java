package org.medsync.rtv.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.medsync.rtp.RtpPacket;
import org.medsync.rtp.SequenceTracker;

/**
 * Reassembles metadata grains (see {@link MetadataPacketizer}) by RTP timestamp and sequence
 * number: a grain is complete when its start packet (grain flag S), its marker packet and every
 * sequence number between them arrived, in any order. A grain with a hole is never emitted: it is
 * dropped and counted ({@link Reason#GAP}) as soon as a later grain completes, or when more than
 * {@code maxPendingGrains} are open. Never throws on any packet.
 *
 * <p>Not thread-safe: one receive thread.
 */
public final class MetadataDepacketizer {

    /** Why packets or grains were not used. */
    public enum Reason {
        WRONG_PAYLOAD_TYPE,
        /** A packet of a grain already emitted or dropped. */
        LATE_PACKET,
        /** A grain with missing packets (or without its start / marker packet), dropped. */
        GAP,
        /** A grain whose reassembled payload is not a valid PS3.22 payload. */
        BAD_PAYLOAD,
        /** A grain larger than {@code maxGrainBytes} or with more than {@code maxPackets} packets. */
        TOO_LARGE
    }

    public record Options(
            int payloadType, NmosHeader.Ids ids, int maxPendingGrains, int maxGrainBytes, int maxPackets) {
        public static Options standard() {
            return new Options(104, NmosHeader.Ids.STANDARD, 3, 1 << 20, 1024);
        }
    }

    public record Stats(
            long packets,
            long grains,
            long packetsLost,
            Map<Reason, Long> problems,
            Map<MetadataFormatException.Reason, Long> payloadProblems) {
        public long problems(Reason r) {
            return problems.getOrDefault(r, 0L);
        }
    }

    private static final class Pending {
        final long ts;
        final TreeMap<Long, RtpPacket> packets = new TreeMap<>();
        long startSeq = -1;
        long endSeq = -1;
        NmosHeader header;
        int bytes;

        Pending(long ts) {
            this.ts = ts;
        }
    }

    private final Options options;
    private final Consumer<MetadataGrain> sink;
    private final SequenceTracker sequences = new SequenceTracker();
    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    private final ArrayDeque<Long> done = new ArrayDeque<>();
    private final EnumMap<Reason, Long> problems = new EnumMap<>(Reason.class);
    private final EnumMap<MetadataFormatException.Reason, Long> payloadProblems =
            new EnumMap<>(MetadataFormatException.Reason.class);
    private long packets;
    private long grains;

    public MetadataDepacketizer(Options options, Consumer<MetadataGrain> sink) {
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public void push(RtpPacket p) {
        packets++;
        if (p.payloadType() != options.payloadType()) {
            count(Reason.WRONG_PAYLOAD_TYPE);
            return;
        }
        sequences.update(p.sequenceNumber());
        long ext = sequences.lastExtended();
        long ts = p.timestamp();
        if (ext < 0 || done.contains(ts)) {
            count(Reason.LATE_PACKET);
            return;
        }
        Pending g = pending.computeIfAbsent(ts, Pending::new);
        if (g.packets.putIfAbsent(ext, p) != null) {
            count(Reason.LATE_PACKET);
            return;
        }
        g.bytes += p.payload().remaining();
        NmosHeader h = NmosHeader.from(p.extension(), options.ids());
        if (h.start()) {
            g.startSeq = ext;
            g.header = h;
        }
        if (p.marker()) {
            g.endSeq = ext;
        }
        if (g.bytes > options.maxGrainBytes() || g.packets.size() > options.maxPackets()) {
            drop(g, Reason.TOO_LARGE);
            return;
        }
        if (g.startSeq >= 0
                && g.endSeq >= g.startSeq
                && g.packets.firstKey() >= g.startSeq
                && g.packets.lastKey() <= g.endSeq
                && g.packets.size() == g.endSeq - g.startSeq + 1) {
            complete(g);
        } else if (pending.size() > options.maxPendingGrains()) {
            drop(pending.values().iterator().next(), Reason.GAP);
        }
    }

    private void complete(Pending g) {
        // everything opened before this grain cannot complete any more: its packets are lost
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending older = it.next();
            if (older == g) {
                break;
            }
            it.remove();
            finished(older.ts);
            count(Reason.GAP);
        }
        pending.remove(g.ts);
        finished(g.ts);
        ByteArrayOutputStream all = new ByteArrayOutputStream(g.bytes);
        for (RtpPacket p : g.packets.values()) {
            ByteBuffer b = p.payload();
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            all.writeBytes(chunk);
        }
        switch (RtvMetadata.decode(all.toByteArray())) {
            case MetadataDecodeResult.Decoded d -> {
                grains++;
                sink.accept(new MetadataGrain(g.ts, g.header, d.metadata()));
            }
            case MetadataDecodeResult.Malformed m -> {
                count(Reason.BAD_PAYLOAD);
                payloadProblems.merge(m.reason(), 1L, Long::sum);
            }
        }
    }

    private void drop(Pending g, Reason why) {
        pending.remove(g.ts);
        finished(g.ts);
        count(why);
    }

    private void finished(long ts) {
        done.addLast(ts);
        if (done.size() > 16) {
            done.removeFirst();
        }
    }

    /** Drops every open grain (end of stream): each counts as a GAP. */
    public void flush() {
        while (!pending.isEmpty()) {
            drop(pending.values().iterator().next(), Reason.GAP);
        }
    }

    private void count(Reason r) {
        problems.merge(r, 1L, Long::sum);
    }

    public Stats stats() {
        return new Stats(
                packets,
                grains,
                Math.max(0, sequences.stats().lost()),
                Map.copyOf(problems),
                Map.copyOf(payloadProblems));
    }
}
