package org.medsync.gateway.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.medsync.rtp.RtpPacket;

/**
 * RTP payload format for H.264 (RFC 6184), packetization-mode 1 (non-interleaved): a NAL unit that fits one packet
 * is sent as it is (Single NAL Unit packet), a larger one in FU-A fragments. The marker bit is set on the last packet
 * of an access unit (RFC 6184 5.1), every packet of an access unit carries its timestamp. Access-unit delimiters
 * are dropped (optional, and they cost a packet each). Not thread-safe: one flow's thread owns its sequence.
 */
public final class H264Packetizer {
    /** FU-A's NAL unit type (RFC 6184 5.8). */
    public static final int FU_A = 28;

    private static final int AUD = 9;

    private final int payloadType;
    private final long ssrc;
    private final int maxPayload;
    private int sequence;

    /**
     * @param maxPayload largest RTP payload: 1200 keeps packet + IP/UDP/SRTP overhead under every path's MTU,
     *                   which is what WebRTC stacks assume
     */
    public H264Packetizer(int payloadType, long ssrc, int maxPayload, int firstSequence) {
        if (payloadType < 96 || payloadType > 127) {
            throw new IllegalArgumentException("a dynamic payload type is 96..127, was " + payloadType);
        }
        if (maxPayload < 100 || maxPayload > 65_000) {
            throw new IllegalArgumentException("max payload must be 100..65000 bytes, was " + maxPayload);
        }
        this.payloadType = payloadType;
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.maxPayload = maxPayload;
        this.sequence = firstSequence & 0xFFFF;
    }

    /** The RTP packets of one access unit, in sending order. */
    public List<byte[]> packetize(List<ByteBuffer> nals, long rtpTimestamp) {
        List<ByteBuffer> sent = new ArrayList<>(nals.size());
        for (ByteBuffer n : nals) {
            if (n.remaining() > 0 && (n.get(n.position()) & 0x1F) != AUD) {
                sent.add(n.duplicate());
            }
        }
        List<byte[]> packets = new ArrayList<>();
        long ts = rtpTimestamp & 0xFFFF_FFFFL;
        for (int i = 0; i < sent.size(); i++) {
            ByteBuffer nal = sent.get(i);
            boolean lastNal = i == sent.size() - 1;
            if (nal.remaining() <= maxPayload) {
                packets.add(packet(lastNal, ts, nal));
                continue;
            }
            int header = nal.get(nal.position()) & 0xFF;
            int indicator = header & 0xE0 | FU_A;
            int type = header & 0x1F;
            ByteBuffer rest = nal.duplicate().position(nal.position() + 1);
            boolean first = true;
            while (rest.hasRemaining()) {
                int n = Math.min(maxPayload - 2, rest.remaining());
                boolean end = n == rest.remaining();
                ByteBuffer p = ByteBuffer.allocate(n + 2);
                p.put((byte) indicator);
                p.put((byte) ((first ? 0x80 : 0) | (end ? 0x40 : 0) | type));
                p.put(rest.slice(rest.position(), n));
                rest.position(rest.position() + n);
                packets.add(packet(lastNal && end, ts, p.flip()));
                first = false;
            }
        }
        return packets;
    }

    private byte[] packet(boolean marker, long ts, ByteBuffer payload) {
        byte[] b =
                RtpPacket.of(marker, payloadType, sequence, ts, ssrc, payload).toBytes();
        sequence = (sequence + 1) & 0xFFFF;
        return b;
    }
}
