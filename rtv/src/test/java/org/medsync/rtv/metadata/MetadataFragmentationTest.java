package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.medsync.rtp.RtpPacket;

class MetadataFragmentationTest {

    static final TaiTimestamp SYNC = TaiTimestamp.ofNanos(1_700_000_037_000_000_000L);
    static final TaiTimestamp ORIGIN = TaiTimestamp.ofNanos(1_700_000_036_995_000_000L);

    static List<RtpPacket> packets(MetadataPacketizer pay, RtvMetadata m, long ts) {
        List<RtpPacket> out = new ArrayList<>();
        for (ByteBuffer b : pay.packetize(m.toBytes(), ts, SYNC, ORIGIN, Samples.FLOW, Samples.SOURCE)) {
            out.add(RtpPacket.parse(b));
        }
        return out;
    }

    @Test
    void smallGrain_isOnePacketWithAllExtensionsAndBothFlags() {
        MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 100);
        List<RtpPacket> p = packets(pay, Samples.tiny(), 1800);
        assertEquals(1, p.size());
        assertTrue(p.getFirst().marker());
        assertEquals(104, p.getFirst().payloadType());
        NmosHeader h = NmosHeader.from(p.getFirst().extension(), NmosHeader.Ids.STANDARD);
        assertEquals(NmosHeader.first(SYNC, ORIGIN, Samples.FLOW, Samples.SOURCE, true), h);
    }

    @Test
    void largeGrain_isFragmentedWithinBudget_sameTimestamp_markerLast_flagsFirstAndLast() {
        MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 65534);
        RtvMetadata big = Samples.full(5000);
        List<RtpPacket> p = packets(pay, big, 123456);
        assertTrue(p.size() >= 4, "fragments: " + p.size());
        for (int i = 0; i < p.size(); i++) {
            RtpPacket x = p.get(i);
            assertTrue(x.encodedSize() <= 1460, "packet " + i + " is " + x.encodedSize());
            assertEquals(123456, x.timestamp());
            assertEquals((65534 + i) & 0xFFFF, x.sequenceNumber());
            assertEquals(i == p.size() - 1, x.marker());
            assertEquals(i == 0 || i == p.size() - 1, x.extension().isPresent());
        }
        NmosHeader first = NmosHeader.from(p.getFirst().extension(), NmosHeader.Ids.STANDARD);
        assertTrue(first.start());
        assertFalse(first.end());
        NmosHeader last = NmosHeader.from(p.getLast().extension(), NmosHeader.Ids.STANDARD);
        assertTrue(last.end());
        assertFalse(last.start());

        List<MetadataGrain> got = new ArrayList<>();
        MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), got::add);
        p.forEach(depay::push);
        assertEquals(1, got.size());
        assertEquals(big, got.getFirst().metadata());
        assertEquals(123456, got.getFirst().rtpTimestamp());
        assertEquals(Samples.FLOW, got.getFirst().header().flowId().orElseThrow());
        assertEquals(ORIGIN, got.getFirst().header().originTimestamp().orElseThrow());
    }

    @Test
    void reorderedPackets_reassemble() {
        MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 1);
        List<RtpPacket> all = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            List<RtpPacket> p = packets(pay, Samples.full(3000 + g), 1800L * g);
            Collections.shuffle(p, new Random(g));
            all.addAll(p);
        }
        List<MetadataGrain> got = new ArrayList<>();
        MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), got::add);
        all.forEach(depay::push);
        assertEquals(3, got.size());
        for (int g = 0; g < 3; g++) {
            assertEquals(Samples.full(3000 + g), got.get(g).metadata());
        }
        assertEquals(0, depay.stats().packetsLost());
        assertTrue(depay.stats().problems().isEmpty(), depay.stats().toString());
    }

    @Test
    void lostPacket_dropsThatGrainOnly_andCountsGap() {
        MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 1);
        List<RtpPacket> g0 = packets(pay, Samples.full(3000), 0);
        List<RtpPacket> g1 = packets(pay, Samples.full(3001), 1800);
        List<MetadataGrain> got = new ArrayList<>();
        MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), got::add);
        for (int i = 0; i < g0.size(); i++) {
            if (i != 1) {
                depay.push(g0.get(i));
            }
        }
        g1.forEach(depay::push);
        assertEquals(1, got.size());
        assertEquals(1800, got.getFirst().rtpTimestamp());
        assertEquals(1, depay.stats().problems(MetadataDepacketizer.Reason.GAP));
        assertEquals(1, depay.stats().packetsLost());
        // a straggler of the dropped grain is late, not a new grain
        depay.push(g0.get(1));
        assertEquals(1, depay.stats().problems(MetadataDepacketizer.Reason.LATE_PACKET));
        assertEquals(1, got.size());
    }

    @Test
    void lostFirstOrLastPacket_isAGap() {
        for (int drop : new int[] {0, -1}) {
            MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 1);
            List<RtpPacket> g0 = new ArrayList<>(packets(pay, Samples.full(3000), 0));
            g0.remove(drop == 0 ? 0 : g0.size() - 1);
            List<MetadataGrain> got = new ArrayList<>();
            MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), got::add);
            g0.forEach(depay::push);
            depay.flush();
            assertEquals(0, got.size());
            assertEquals(1, depay.stats().problems(MetadataDepacketizer.Reason.GAP));
        }
    }

    @Test
    void garbagePayload_isCountedNotThrown() {
        MetadataPacketizer pay = new MetadataPacketizer(MetadataPacketizer.Options.standard(7), 1);
        List<ByteBuffer> p = pay.packetize(new byte[3000], 0, SYNC, ORIGIN, UUID.randomUUID(), UUID.randomUUID());
        List<MetadataGrain> got = new ArrayList<>();
        MetadataDepacketizer depay = new MetadataDepacketizer(MetadataDepacketizer.Options.standard(), got::add);
        p.forEach(b -> depay.push(RtpPacket.parse(b)));
        assertEquals(0, got.size());
        assertEquals(1, depay.stats().problems(MetadataDepacketizer.Reason.BAD_PAYLOAD));
        assertEquals(1L, depay.stats().payloadProblems().get(MetadataFormatException.Reason.NO_DICM_PREFIX));
    }
}
