package org.medsync.gateway.h264;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The RTV frame's RTP timestamp inside the access unit itself: one SEI NAL unit (type 6) with a
 * user_data_unregistered message (payload type 5, H.264 D.1.6) under MedSync's UUID, whose 4 payload bytes after the
 * UUID are the 32-bit RTV RTP timestamp, big-endian. An SFU may rewrite the RTP header's timestamp per viewer (Janus's
 * Streaming plugin does); it forwards the payload untouched, so a viewer that reads this NAL next to the rewritten
 * header timestamp knows exactly which RTV frame each picture is (docs/or-gateway.md "Metadata messages").
 */
public final class TimestampSei {
    /** MedSync's user_data_unregistered UUID, the ASCII of "medsyncRTV-ts-v1" (no zero byte: nothing to escape). */
    static final byte[] UUID = {
        0x6d, 0x65, 0x64, 0x73, 0x79, 0x6e, 0x63, 0x52, 0x54, 0x56, 0x2d, 0x74, 0x73, 0x2d, 0x76, 0x31
    };

    private static final int NAL_SEI = 6;
    private static final int USER_DATA_UNREGISTERED = 5;

    private TimestampSei() {}

    /** The SEI NAL unit (header byte first, emulation prevention applied, no start code) for {@code rtpTimestamp}. */
    public static ByteBuffer nal(long rtpTimestamp) {
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream(24);
        rbsp.write(USER_DATA_UNREGISTERED);
        rbsp.write(UUID.length + 4);
        rbsp.writeBytes(UUID);
        rbsp.write((int) (rtpTimestamp >>> 24) & 0xFF);
        rbsp.write((int) (rtpTimestamp >>> 16) & 0xFF);
        rbsp.write((int) (rtpTimestamp >>> 8) & 0xFF);
        rbsp.write((int) rtpTimestamp & 0xFF);
        rbsp.write(0x80); // rbsp_trailing_bits
        byte[] body = escape(rbsp.toByteArray());
        ByteBuffer out = ByteBuffer.allocate(1 + body.length);
        out.put((byte) NAL_SEI).put(body).flip();
        return out;
    }

    /**
     * The access unit's NAL units with the timestamp SEI placed before its first slice (H.264 7.4.1.2.3: SEI precedes
     * the primary coded picture; parameter sets may come first).
     */
    public static List<ByteBuffer> insert(List<ByteBuffer> nals, long rtpTimestamp) {
        List<ByteBuffer> out = new ArrayList<>(nals.size() + 1);
        boolean placed = false;
        for (ByteBuffer n : nals) {
            int type = n.remaining() > 0 ? n.get(n.position()) & 0x1F : 0;
            if (!placed && type >= 1 && type <= 5) {
                out.add(nal(rtpTimestamp));
                placed = true;
            }
            out.add(n);
        }
        if (!placed) {
            out.add(nal(rtpTimestamp));
        }
        return out;
    }

    /** Reads our timestamp back from one NAL unit (header byte first); empty when it is not our SEI. */
    public static OptionalLong read(ByteBuffer nal) {
        if (nal.remaining() < 2 || (nal.get(nal.position()) & 0x1F) != NAL_SEI) {
            return OptionalLong.empty();
        }
        byte[] raw = new byte[nal.remaining() - 1];
        nal.duplicate().position(nal.position() + 1).get(raw);
        byte[] p = unescape(raw);
        int i = 0;
        while (i < p.length && (p[i] & 0xFF) != 0x80) {
            int type = 0;
            while (i < p.length && (p[i] & 0xFF) == 0xFF) {
                type += 255;
                i++;
            }
            if (i >= p.length) {
                break;
            }
            type += p[i++] & 0xFF;
            int size = 0;
            while (i < p.length && (p[i] & 0xFF) == 0xFF) {
                size += 255;
                i++;
            }
            if (i >= p.length) {
                break;
            }
            size += p[i++] & 0xFF;
            if (i + size > p.length) {
                break;
            }
            if (type == USER_DATA_UNREGISTERED && size == UUID.length + 4 && matchesUuid(p, i)) {
                int t = i + UUID.length;
                return OptionalLong.of(((p[t] & 0xFFL) << 24)
                        | ((p[t + 1] & 0xFFL) << 16)
                        | ((p[t + 2] & 0xFFL) << 8)
                        | (p[t + 3] & 0xFFL));
            }
            i += size;
        }
        return OptionalLong.empty();
    }

    private static boolean matchesUuid(byte[] p, int at) {
        for (int k = 0; k < UUID.length; k++) {
            if (p[at + k] != UUID[k]) {
                return false;
            }
        }
        return true;
    }

    /** Emulation prevention (H.264 7.4.1): 0x03 after two zero bytes when the next byte is 0..3. */
    static byte[] escape(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + 4);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros == 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    static byte[] unescape(byte[] ebsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ebsp.length);
        int zeros = 0;
        for (byte b : ebsp) {
            if (zeros == 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
