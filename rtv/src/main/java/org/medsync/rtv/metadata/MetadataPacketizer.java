package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.medsync.rtp.RtpPacket;

/**
 * Cuts one metadata payload (a grain) into RTP packets of at most {@code maxUdpPayload} bytes.
 * PS3.22 defines no fragmentation; we do what NMOS grains do:
 *
 * <pre>
 *  packet 1:  RTP (X=1, M=0 or 1, PT 104, ts = the video frame's) | NMOS ext: sync, origin, flow, source,
 *             flags S (and E if alone) | payload bytes 0..k
 *  packet i:  RTP (X=0, M=0, same ts)                                | payload bytes ...
 *  packet n:  RTP (X=1, M=1, same ts) | NMOS ext: flags E            | last payload bytes
 * </pre>
 *
 * Consecutive sequence numbers; the receiver reassembles by sequence number between S and M.
 * Not thread-safe: one per flow.
 */
public final class MetadataPacketizer {

    /**
     * @param maxUdpPayload UDP payload per packet, RTP header included (ST 2110-10: 1460)
     */
    public record Options(int maxUdpPayload, int payloadType, long ssrc, NmosHeader.Ids ids) {
        public static final int STANDARD_UDP_SIZE = 1460;

        public Options {
            if (maxUdpPayload < 100 || maxUdpPayload > 65507) {
                throw new IllegalArgumentException("maxUdpPayload must be 100..65507, was " + maxUdpPayload);
            }
            if (payloadType < 0 || payloadType > 127 || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("payload type 0..127, ssrc 32 bits");
            }
            Objects.requireNonNull(ids, "ids");
        }

        /** 1460 bytes, payload type 104, extmap ids 1..5. */
        public static Options standard(long ssrc) {
            return new Options(STANDARD_UDP_SIZE, 104, ssrc, NmosHeader.Ids.STANDARD);
        }
    }

    private final Options options;
    private int sequence;

    public MetadataPacketizer(Options options, int initialSequence) {
        this.options = Objects.requireNonNull(options, "options");
        this.sequence = initialSequence & 0xFFFF;
    }

    public Options options() {
        return options;
    }

    /** The datagrams of one grain, in sending order. */
    public List<ByteBuffer> packetize(
            byte[] payload, long rtpTimestamp, TaiTimestamp sync, TaiTimestamp origin, UUID flowId, UUID sourceId) {
        int max = options.maxUdpPayload() - RtpPacket.FIXED_HEADER_SIZE;
        int alone = max - NmosHeader.first(sync, origin, flowId, sourceId, true).encodedSize(options.ids());
        List<ByteBuffer> out = new ArrayList<>();
        if (payload.length <= alone) {
            out.add(packet(
                    true,
                    NmosHeader.first(sync, origin, flowId, sourceId, true),
                    rtpTimestamp,
                    payload,
                    0,
                    payload.length));
            return out;
        }
        NmosHeader first = NmosHeader.first(sync, origin, flowId, sourceId, false);
        NmosHeader last = NmosHeader.last();
        int firstRoom = max - first.encodedSize(options.ids());
        int lastRoom = max - last.encodedSize(options.ids());
        out.add(packet(false, first, rtpTimestamp, payload, 0, firstRoom));
        int at = firstRoom;
        while (payload.length - at > lastRoom) {
            int n = Math.min(max, payload.length - at - 1);
            out.add(packet(false, null, rtpTimestamp, payload, at, n));
            at += n;
        }
        out.add(packet(true, last, rtpTimestamp, payload, at, payload.length - at));
        return out;
    }

    private ByteBuffer packet(boolean marker, NmosHeader header, long ts, byte[] payload, int from, int length) {
        RtpPacket p = RtpPacket.of(
                marker, options.payloadType(), sequence, ts, options.ssrc(), ByteBuffer.wrap(payload, from, length));
        sequence = (sequence + 1) & 0xFFFF;
        if (header != null) {
            p = p.withExtension(header.toExtension(options.ids()));
        }
        return ByteBuffer.wrap(p.toBytes());
    }
}
