package org.medsync.watermark.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void bitsRoundTrip() {
        Payload p = Payload.export("h-krakow", "rec-0001", "export-7", "Court of Kraków, case II C 12/26");
        assertEquals(88, p.bits().length);
        assertEquals(p, Payload.fromBits(p.bits()));
        assertTrue(p.pointsAt("h-krakow", "rec-0001"));
        assertEquals(Payload.KIND_EXPORT, p.kind());
    }

    @Test
    void crcRejectsEveryFlippedBit() {
        Payload p = Payload.playback("h-1", "rec-1");
        for (int i = 0; i < Payload.BITS; i++) {
            int[] bits = p.bits();
            bits[i] ^= 1;
            assertNull(Payload.fromBits(bits), "bit " + i + " flipped was accepted");
        }
    }

    @Test
    void recipientsOfTheSameRecordingDiffer() {
        Payload a = Payload.export("h", "r", "e1", "insurer A");
        Payload b = Payload.export("h", "r", "e2", "insurer B");
        assertEquals(a.recordingTag(), b.recordingTag());
        assertNotEquals(a.recipient(), b.recipient());
        assertEquals(0, Payload.playback("h", "r").recipient());
    }

    @Test
    void refusesFieldsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new Payload(16, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Payload(0, 0x10000, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Payload(0, 0, 1L << 32, 0));
        assertThrows(IllegalArgumentException.class, () -> Payload.fromBits(new int[10]));
    }
}
