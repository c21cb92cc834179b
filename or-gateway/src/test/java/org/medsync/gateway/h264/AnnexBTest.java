package org.medsync.gateway.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBTest {
    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void splitsAtThreeAndFourByteStartCodes_andDropsTrailingZeros() {
        byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0};
        List<ByteBuffer> nals = AnnexB.split(stream);
        assertEquals(3, nals.size());
        assertArrayEquals(new byte[] {0x67, 1, 2}, bytes(nals.get(0)));
        assertArrayEquals(new byte[] {0x68, 3}, bytes(nals.get(1)));
        assertArrayEquals(new byte[] {0x65, 4, 5}, bytes(nals.get(2)));
    }

    @Test
    void bytesBeforeTheFirstStartCode_andAStreamWithoutOne_areNoNalUnits() {
        assertEquals(List.of(), AnnexB.split(new byte[] {7, 7, 7, 0, 0}));
        assertEquals(1, AnnexB.split(new byte[] {9, 0, 0, 1, 0x41, 9}).size());
        assertEquals(List.of(), AnnexB.split(new byte[0]));
    }
}
