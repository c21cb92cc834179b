package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of {@link Samples#tiny()}: every field below was checked against PS3.5 7.1.2 and
 * PS3.10 7.1 by hand.
 *
 * <pre>
 * 000  00 x 128                       preamble
 * 128  44 49 43 4D                    "DICM"
 * 132  02 00 00 00 55 4C 04 00 A8 00 00 00           (0002,0000) UL 4 = 168 bytes of group 0002 follow
 * 144  02 00 10 00 55 49 16 00 "1.2.840.10008.1.2.7.1" 00   (0002,0010) UI 22: the VIDEO syntax
 * 174  02 00 31 00 4F 42 00 00 02 00 00 00 00 01       (0002,0031) OB 2 = 00 01 (long form: 00 00 + 4-byte length)
 * 188  02 00 32 00 55 49 12 00 "1.2.840.10008.10.1"     (0002,0032) UI 18 SOP class
 * 214  02 00 33 00 55 49 06 00 "1.2.3" 00               (0002,0033) UI 6 SOP instance
 * 228  02 00 35 00 4F 42 00 00 10 00 00 00 00 11 .. FF  (0002,0035) OB 16 source UUID
 * 256  02 00 36 00 4F 42 00 00 10 00 00 00 01 02 .. 10  (0002,0036) OB 16 flow UUID
 * 284  02 00 37 00 55 4C 04 00 90 5F 01 00              (0002,0037) UL 90000
 * 296  02 00 38 00 46 44 08 00 00 00 00 00 00 00 34 40  (0002,0038) FD 20.0
 * 312  06 00 01 00 53 51 00 00 1E 00 00 00              (0006,0001) SQ, 30 bytes, Explicit VR LE
 * 324    FE FF 00 E0 16 00 00 00                         item, 22 bytes
 * 332    34 00 07 00 4F 42 00 00 0A 00 00 00 01 02 03 04 05 06 07 08 09 0A   (0034,0007) OB 10
 * 354  10 00 10 00 50 4E 08 00 "DOE^JANE"                (0010,0010) PN 8
 * 370  end
 * </pre>
 */
class RtvMetadataGoldenTest {

    static final String GOLDEN = "00".repeat(128) + "4449434d"
            + "02000000 554c 0400 a8000000"
            + "02001000 5549 1600 312e322e3834302e31303030382e312e322e372e31 00"
            + "02003100 4f42 0000 02000000 0001"
            + "02003200 5549 1200 312e322e3834302e31303030382e31302e31"
            + "02003300 5549 0600 312e322e33 00"
            + "02003500 4f42 0000 10000000 00112233445566778899aabbccddeeff"
            + "02003600 4f42 0000 10000000 0102030405060708090a0b0c0d0e0f10"
            + "02003700 554c 0400 905f0100"
            + "02003800 4644 0800 0000000000003440"
            + "06000100 5351 0000 1e000000"
            + "feff00e0 16000000"
            + "34000700 4f42 0000 0a000000 0102030405060708090a"
            + "10001000 504e 0800 444f455e4a414e45";

    static byte[] golden() {
        return HexFormat.of().parseHex(GOLDEN.replace(" ", ""));
    }

    @Test
    void tinyGrain_encodesToGoldenBytes() {
        assertEquals(370, golden().length);
        assertArrayEquals(golden(), Samples.tiny().toBytes());
        assertEquals(370, Samples.tiny().encodedSize());
    }

    @Test
    void goldenBytes_decodeToTinyGrain() {
        RtvMetadata m = RtvMetadata.decode(golden()).orThrow();
        assertEquals(Samples.tiny(), m);
        assertEquals(RtvMeta.ST2110_20_PROGRESSIVE, m.meta().transferSyntaxUid());
        assertEquals("DOE^JANE", m.dataset().string(Tags.PATIENT_NAME));
        assertEquals(
                new TaiTimestamp(0x0102_0304_0506L, 0x0708_090AL),
                RtvDatasets.frameOrigin(m.dataset()).orElseThrow());
    }
}
