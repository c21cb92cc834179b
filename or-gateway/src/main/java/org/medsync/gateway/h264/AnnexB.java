package org.medsync.gateway.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** H.264 byte streams (ITU-T H.264 Annex B): NAL units behind 00 00 01 or 00 00 00 01 start codes. */
public final class AnnexB {
    private AnnexB() {}

    /**
     * The NAL units of {@code stream}, without start codes or trailing zero bytes (a NAL unit never ends in a zero
     * byte, so zeros before a start code belong to the stream's padding or to a 4-byte start code). Bytes before the
     * first start code are not a NAL unit and are skipped.
     */
    public static List<ByteBuffer> split(byte[] stream) {
        List<ByteBuffer> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < stream.length) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                if (start >= 0) {
                    add(nals, stream, start, i);
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            add(nals, stream, start, stream.length);
        }
        return nals;
    }

    private static void add(List<ByteBuffer> nals, byte[] stream, int from, int to) {
        int end = to;
        while (end > from && stream[end - 1] == 0) {
            end--;
        }
        if (end > from) {
            nals.add(ByteBuffer.wrap(stream, from, end - from).slice());
        }
    }
}
