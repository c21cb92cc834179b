package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtvMetadataRoundTripTest {

    @Test
    void fullGrain_roundTripsThroughBytes() {
        RtvMetadata m = Samples.full(40);
        byte[] bytes = m.toBytes();
        RtvMetadata back = RtvMetadata.decode(bytes).orThrow();
        assertEquals(m, back);
        assertArrayEquals(bytes, back.toBytes());
        assertEquals("Durand^Élodie", back.dataset().string(Tags.PATIENT_NAME));
        assertTrue(RtvDatasets.hasStaticPart(back.dataset()));
        Dataset link =
                back.dataset().items(Tags.REAL_TIME_BULK_DATA_FLOW_SEQUENCE).getFirst();
        Dataset flow = link.items(Tags.FLOW_IDENTIFIER_SEQUENCE).getFirst();
        assertEquals(
                Samples.VIDEO_FLOW,
                RtvMetadata.uuid(flow.bytes(Tags.FLOW_IDENTIFIER).orElseThrow()));
        assertEquals(RtvMeta.ST2110_20_PROGRESSIVE, flow.string(Tags.FLOW_TRANSFER_SYNTAX_UID));
        assertEquals(90_000L, flow.integer(Tags.FLOW_RTP_SAMPLING_RATE).orElseThrow());
        assertEquals(
                12.5,
                RtvDatasets.currentFrame(back.dataset()).decimal(0x00189219).orElseThrow());
    }

    @Test
    void everyVrKind_roundTrips() {
        Dataset ds = Dataset.of(
                DataElement.text(0x00080005, Vr.CS, "ISO_IR 192"),
                DataElement.text(0x00080008, Vr.CS, "ORIGINAL", "PRIMARY", ""),
                new DataElement(0x00181063, Vr.FL, new ElementValue.Decimals(List.of(1.5, -2.25))),
                new DataElement(0x00280008, Vr.IS, new ElementValue.Strings(List.of("7"))),
                new DataElement(0x00281050, Vr.DS, new ElementValue.Strings(List.of("40", "-1.5e3"))),
                new DataElement(0x00289001, Vr.UL, new ElementValue.Integers(List.of(0L, 0xFFFF_FFFFL))),
                new DataElement(0x00289002, Vr.SS, new ElementValue.Integers(List.of(-5L))),
                new DataElement(0x00289003, Vr.SL, new ElementValue.Integers(List.of(-70000L))),
                new DataElement(0x00289004, Vr.UT, new ElementValue.Strings(List.of("long text"))),
                DataElement.bytes(0x00289005, new byte[] {1, 2, 3, 4}),
                DataElement.sequence(0x00400275, Dataset.EMPTY, Dataset.of(DataElement.us(0x00280010, 9))));
        RtvMetadata m = new RtvMetadata(Samples.meta(), ds);
        assertEquals(m, RtvMetadata.decode(m.toBytes()).orThrow());
    }

    @Test
    void undefinedLengthSequences_areRead() {
        // (0006,0001) SQ undefined length, item undefined length, (0034,0007) OB 2, item delim, seq delim
        ByteBuffer ds = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ds.putShort((short) 6)
                .putShort((short) 1)
                .put((byte) 'S')
                .put((byte) 'Q')
                .putShort((short) 0)
                .putInt(-1);
        ds.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        ds.putShort((short) 0x34)
                .putShort((short) 7)
                .put((byte) 'O')
                .put((byte) 'B')
                .putShort((short) 0)
                .putInt(2)
                .put((byte) 9)
                .put((byte) 8);
        ds.putShort((short) 0xFFFE).putShort((short) 0xE00D).putInt(0);
        ds.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
        byte[] head = new RtvMetadata(Samples.meta(), Dataset.EMPTY).toBytes();
        ByteBuffer all =
                ByteBuffer.allocate(head.length + ds.position()).put(head).put(ds.flip());
        RtvMetadata m = RtvMetadata.decode(all.array()).orThrow();
        assertArrayEquals(
                new byte[] {9, 8},
                RtvDatasets.currentFrame(m.dataset())
                        .bytes(Tags.FRAME_ORIGIN_TIMESTAMP)
                        .orElseThrow());
    }

    @Test
    void twoDynamicItems_areNotRtv() {
        Dataset two = Dataset.of(
                DataElement.sequence(Tags.CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, Dataset.EMPTY, Dataset.EMPTY));
        MetadataFormatException e = assertThrows(MetadataFormatException.class, () -> RtvDatasets.currentFrame(two));
        assertEquals(MetadataFormatException.Reason.NOT_RTV, e.reason());
    }

    @Test
    void taiTimestamp_tenBytes() {
        TaiTimestamp t = TaiTimestamp.ofNanos(1_700_000_037_000_000_001L);
        assertEquals(10, t.toBytes().length);
        assertEquals(t, TaiTimestamp.fromBytes(t.toBytes()));
        assertEquals(1_700_000_037_000_000_001L, t.toNanos());
    }
}
