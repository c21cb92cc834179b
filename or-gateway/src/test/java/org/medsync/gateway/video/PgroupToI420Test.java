package org.medsync.gateway.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.video.Raster;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.video.VideoFormat;

class PgroupToI420Test {
    private static VideoFormat format(int depth, int w, int h) {
        return new VideoFormat(depth, w, h, new FrameRate(25, 1), VideoFormat.Colorimetry.BT709);
    }

    @Test
    void tenBit_lumaRoundedToEight_chromaAveragedOverLinePairs() {
        VideoFormat f = format(10, 8, 3);
        ByteBuffer b = ByteBuffer.allocate(f.frameBytes());
        // line 0: Y 64/941, Cb 100 Cr 900; line 1: Y 502/1023, Cb 301 Cr 0; line 2 (odd height): Cb 1023 Cr 513
        for (int x = 0; x < 8; x += 2) {
            Raster.putPgroup(b, f, x, 0, 100, 64, 900, 941);
            Raster.putPgroup(b, f, x, 1, 301, 502, 0, 1023);
            Raster.putPgroup(b, f, x, 2, 1023, 0, 513, 3);
        }
        I420Picture p = new PgroupToI420(f).convert(b);
        assertEquals(16, p.y()[0] & 0xFF);
        assertEquals(235, p.y()[1] & 0xFF); // 941 + 2 >> 2
        assertEquals(126, p.y()[8] & 0xFF); // 502 + 2 >> 2 = 126
        assertEquals(255, p.y()[9] & 0xFF); // 1023 clamps
        assertEquals(0, p.y()[16] & 0xFF);
        assertEquals(1, p.y()[17] & 0xFF); // 3 + 2 >> 2
        assertEquals(4 * 2, p.u().length);
        // (100 + 301 + 1) >> 1 = 201 -> 201 + 2 >> 2 = 50; (900 + 0 + 1) >> 1 = 450 -> 113
        assertEquals(50, p.u()[0] & 0xFF);
        assertEquals(113, p.v()[0] & 0xFF);
        // the last, unpaired line keeps its own chroma
        assertEquals(255, p.u()[4] & 0xFF);
        assertEquals(128, p.v()[4] & 0xFF); // 513 + 2 >> 2
    }

    @Test
    void eightBit_isCopiedExactly() {
        VideoFormat f = format(8, 4, 2);
        ByteBuffer b = ByteBuffer.wrap(new byte[] {
            10,
            20,
            30,
            40,
            11,
            21,
            31,
            41, //
            50,
            60,
            70,
            80,
            51,
            61,
            71,
            (byte) 200
        });
        I420Picture p = new PgroupToI420(f).convert(b);
        assertEquals(20, p.y()[0]);
        assertEquals(40, p.y()[1]);
        assertEquals(21, p.y()[2]);
        assertEquals(60, p.y()[4]);
        assertEquals(200, p.y()[7] & 0xFF);
        assertEquals(30, p.u()[0]); // (10 + 50) / 2
        assertEquals(50, p.v()[0]); // (30 + 70) / 2
        assertEquals(31, p.u()[1]);
        assertEquals(51, p.v()[1]); // (31 + 71) / 2
    }

    @Test
    void aFrameOfTheWrongSize_isRefused() {
        VideoFormat f = format(10, 8, 2);
        assertThrows(IllegalArgumentException.class, () -> new PgroupToI420(f).convert(ByteBuffer.allocate(7)));
    }
}
