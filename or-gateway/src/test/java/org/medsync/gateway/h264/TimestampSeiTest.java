package org.medsync.gateway.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TimestampSeiTest {
    @Test
    void everyTimestampRoundTrips_includingOnesThatNeedEmulationPrevention() {
        for (long ts : new long[] {0, 1, 2, 3, 0x00000300L, 0x00000003L, 0xFFFF_FFFFL, 0x0000_0100L, 123_456_789L}) {
            ByteBuffer nal = TimestampSei.nal(ts);
            assertEquals(6, nal.get(0) & 0x1F, "an SEI NAL unit");
            assertEquals(OptionalLong.of(ts), TimestampSei.read(nal), "timestamp " + ts);
            byte[] b = new byte[nal.remaining()];
            nal.duplicate().get(b);
            for (int i = 2; i < b.length; i++) {
                assertFalse(
                        b[i - 2] == 0 && b[i - 1] == 0 && (b[i] & 0xFF) <= 3 && b[i] != 3,
                        "no start code emulation at " + i + " for " + ts);
            }
        }
    }

    @Test
    void zeroTimestampIsEscaped() {
        // 0x00000000 ends the payload with four zero bytes before 0x80: the escape must appear.
        ByteBuffer nal = TimestampSei.nal(0);
        assertEquals(1 + 2 + 16 + 4 + 1 + 1, nal.remaining(), "one emulation prevention byte");
    }

    @Test
    void insertedBeforeTheFirstSlice_afterParameterSets() {
        ByteBuffer sps = ByteBuffer.wrap(new byte[] {0x67, 1});
        ByteBuffer pps = ByteBuffer.wrap(new byte[] {0x68, 1});
        ByteBuffer idr = ByteBuffer.wrap(new byte[] {0x65, 1});
        List<ByteBuffer> out = TimestampSei.insert(List.of(sps, pps, idr), 42);
        assertEquals(4, out.size());
        assertEquals(0x67, out.get(0).get(0));
        assertEquals(0x68, out.get(1).get(0));
        assertEquals(6, out.get(2).get(0) & 0x1F);
        assertEquals(0x65, out.get(3).get(0));
        assertEquals(OptionalLong.of(42), TimestampSei.read(out.get(2)));
    }

    @Test
    void otherSeiAndOtherNalsAreNotOurs() {
        assertTrue(TimestampSei.read(ByteBuffer.wrap(new byte[] {0x65, 1, 2})).isEmpty());
        // x264's own user_data_unregistered with another UUID
        byte[] other = new byte[1 + 2 + 20 + 1];
        other[0] = 6;
        other[1] = 5;
        other[2] = 20;
        other[3] = 0x11;
        other[other.length - 1] = (byte) 0x80;
        assertTrue(TimestampSei.read(ByteBuffer.wrap(other)).isEmpty());
        // truncated
        ByteBuffer ours = TimestampSei.nal(7);
        ByteBuffer cut = ours.duplicate().limit(10);
        assertTrue(TimestampSei.read(cut).isEmpty());
        assertArrayEquals(new byte[] {0, 0, 3, 1}, TimestampSei.escape(new byte[] {0, 0, 1}));
        assertArrayEquals(new byte[] {0, 0, 1}, TimestampSei.unescape(new byte[] {0, 0, 3, 1}));
    }
}
