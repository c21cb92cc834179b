package org.medsync.gateway.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medsync.rtp.RtpPacket;

class H264PacketizerTest {
    private static byte[] nal(int header, int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        b[0] = (byte) header;
        return b;
    }

    @Test
    void smallNalsGoAlone_largeOnesInFuA_markerOnTheAccessUnitsLastPacket() {
        byte[] sps = nal(0x67, 20, 1);
        byte[] aud = {0x09, (byte) 0xF0};
        byte[] idr = nal(0x65, 3000, 2);
        H264Packetizer p = new H264Packetizer(96, 0xCAFEBABEL, 1200, 65534);
        List<byte[]> packets =
                p.packetize(List.of(ByteBuffer.wrap(aud), ByteBuffer.wrap(sps), ByteBuffer.wrap(idr)), 0x1_0000_0005L);

        // AUD dropped; SPS alone; 2999 bytes after the IDR's header in FU-A pieces of at most 1198
        assertEquals(1 + 3, packets.size());
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            RtpPacket r = RtpPacket.parse(ByteBuffer.wrap(packets.get(i)));
            assertEquals(96, r.payloadType());
            assertEquals(5, r.timestamp(), "32-bit RTP timestamp");
            assertEquals(0xCAFEBABEL, r.ssrc());
            assertEquals((65534 + i) & 0xFFFF, r.sequenceNumber(), "sequence wraps");
            assertEquals(i == packets.size() - 1, r.marker());
            assertTrue(r.payload().remaining() <= 1200);
            byte[] payload = new byte[r.payload().remaining()];
            r.payload().get(payload);
            if (i == 0) {
                assertArrayEquals(sps, payload);
                continue;
            }
            assertEquals(0x60 | H264Packetizer.FU_A, payload[0] & 0xFF, "FU indicator keeps NRI");
            assertEquals(i == 1, (payload[1] & 0x80) != 0, "start bit");
            assertEquals(i == 3, (payload[1] & 0x40) != 0, "end bit");
            assertEquals(5, payload[1] & 0x1F, "original type");
            if (i == 1) {
                reassembled.write((payload[0] & 0xE0) | (payload[1] & 0x1F));
            }
            reassembled.write(payload, 2, payload.length - 2);
        }
        assertArrayEquals(idr, reassembled.toByteArray());
    }

    @Test
    void aNalOfExactlyTheMaximumIsOnePacket() {
        H264Packetizer p = new H264Packetizer(100, 1, 1200, 0);
        List<byte[]> packets = p.packetize(List.of(ByteBuffer.wrap(nal(0x41, 1200, 3))), 90_000);
        assertEquals(1, packets.size());
        assertEquals(12 + 1200, packets.getFirst().length);
        assertFalse(p.packetize(List.of(ByteBuffer.wrap(nal(0x41, 1201, 4))), 90_000)
                        .size()
                == 1);
    }
}
