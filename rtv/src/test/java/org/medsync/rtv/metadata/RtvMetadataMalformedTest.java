package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.rtv.metadata.MetadataFormatException.Reason;

/** Damaged copies of the golden payload (offsets from {@link RtvMetadataGoldenTest}) and the reason each gets. */
class RtvMetadataMalformedTest {

    static UnaryOperator<byte[]> set(int at, int... values) {
        return b -> {
            for (int i = 0; i < values.length; i++) {
                b[at + i] = (byte) values[i];
            }
            return b;
        };
    }

    static UnaryOperator<byte[]> cut(int length) {
        return b -> Arrays.copyOf(b, length);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty", cut(0), Reason.TRUNCATED),
                Arguments.of("only the preamble", cut(130), Reason.TRUNCATED),
                Arguments.of("preamble not zero", set(5, 1), Reason.BAD_PREAMBLE),
                Arguments.of("DICN", set(131, 'N'), Reason.NO_DICM_PREFIX),
                Arguments.of("no group length", set(132, 0x10), Reason.MISSING_GROUP_LENGTH),
                Arguments.of("group length too long", set(140, 0xFF, 0xFF), Reason.BAD_GROUP_LENGTH),
                Arguments.of("group length too short", set(140, 0xA0), Reason.BAD_GROUP_LENGTH),
                Arguments.of("(0002,0010) VR XX", set(148, 'X', 'X'), Reason.BAD_VR),
                Arguments.of(
                        "(0002,0035) renamed (0002,0034): source id missing",
                        set(230, 0x34),
                        Reason.MISSING_META_ELEMENT),
                Arguments.of("(0002,0032) VR LO", set(192, 'L', 'O'), Reason.BAD_META_VALUE),
                Arguments.of("(0002,0032) a letter in the UID", set(196, 'x'), Reason.BAD_META_VALUE),
                Arguments.of("(0002,0032) NUL inside the UID", set(197, 0), Reason.BAD_META_VALUE),
                Arguments.of("(0002,0032) two values", set(197, '\\'), Reason.BAD_META_VALUE),
                Arguments.of("(0002,0031) 3 bytes long", set(182, 3), Reason.BAD_LENGTH),
                Arguments.of(
                        "(0002,0035) renamed (0002,0039) after (0002,0036)", set(230, 0x39), Reason.TAGS_OUT_OF_ORDER),
                Arguments.of("SQ length past the end", set(320, 0xFF, 0x00), Reason.LENGTH_BEYOND_END),
                Arguments.of("item tag broken", set(324, 0x00), Reason.BAD_ITEM),
                Arguments.of("cut inside the patient name", cut(366), Reason.LENGTH_BEYOND_END),
                Arguments.of("cut inside an element header", cut(358), Reason.TRUNCATED),
                Arguments.of(
                        "undefined length on PN (long-form UT)", set(358, 'U', 'T', 0, 0), Reason.LENGTH_BEYOND_END),
                Arguments.of("patient name not UTF-8", set(362, 0xC3, 0x28), Reason.BAD_TEXT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void damagedPayload_isMalformedWithReason(String name, UnaryOperator<byte[]> damage, Reason expected) {
        byte[] bad = damage.apply(RtvMetadataGoldenTest.golden());
        MetadataDecodeResult r = RtvMetadata.decode(bad);
        MetadataDecodeResult.Malformed m = assertInstanceOf(MetadataDecodeResult.Malformed.class, r, name);
        assertEquals(expected, m.reason(), m.detail());
    }
}
