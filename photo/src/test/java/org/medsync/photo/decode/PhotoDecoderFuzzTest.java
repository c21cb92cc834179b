package org.medsync.photo.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Jazzer targets for the first reader of every uploaded photo. Under plain surefire they replay the inputs in
 * src/test/resources/.../PhotoDecoderFuzzTestInputs; with JAZZER_FUZZ=1 (scripts/fuzz) they fuzz for maxDuration.
 * Only {@link PhotoException} may escape; what is accepted is within the limits and its stripped form is a fixed
 * point: stripping it again changes nothing, it declares the same size and holds no metadata segment.
 */
class PhotoDecoderFuzzTest {
    private final PhotoDecoder decoder = new PhotoDecoder();

    @FuzzTest(maxDuration = "10s")
    void decode_onlyPhotoExceptionEscapes_andTheStrippedFileDecodesTheSame(byte[] data) {
        DecodedPhoto photo;
        try {
            photo = decoder.decode(data);
        } catch (PhotoException expected) {
            return;
        }
        assertTrue(photo.width() > 0 && photo.height() > 0);
        assertTrue(photo.width() <= PhotoDecoder.MAX_SIDE && photo.height() <= PhotoDecoder.MAX_SIDE);
        assertTrue((long) photo.width() * photo.height() <= PhotoDecoder.MAX_PIXELS);
        DecodedPhoto again;
        try {
            again = decoder.decode(photo.strippedOriginal(), photo.orientation());
        } catch (PhotoException e) {
            throw new AssertionError("the stripped file of an accepted photo is refused: " + e.getMessage(), e);
        }
        assertEquals(photo.width(), again.width());
        assertEquals(photo.height(), again.height());
        assertEquals(photo.luma8(), again.luma8());
    }

    @FuzzTest(maxDuration = "10s")
    void strip_onlyPhotoExceptionEscapes_andStrippingIsAFixedPoint(byte[] data) {
        Container first;
        try {
            first = PhotoDecoder.container(data);
        } catch (PhotoException expected) {
            return;
        }
        Container second;
        try {
            second = PhotoDecoder.container(first.stripped());
        } catch (PhotoException e) {
            throw new AssertionError("a stripped file is refused: " + e.getMessage(), e);
        }
        assertArrayEquals(first.stripped(), second.stripped());
        assertEquals(first.width(), second.width());
        assertEquals(first.height(), second.height());
        assertEquals(first.mediaType(), second.mediaType());
        assertEquals(1, second.orientation(), "orientation survived stripping");
        assertFalse(hasMetadata(second.stripped()), "metadata survived stripping");
    }

    /** A JPEG APP1..APP15 other than Adobe's APP14, or COM, before the first scan; or a PNG text/eXIf chunk. */
    static boolean hasMetadata(byte[] b) {
        if (JpegContainer.matches(b)) {
            int p = 2;
            while (p + 4 <= b.length) {
                int marker = b[p + 1] & 0xff;
                if (marker == 0xDA || marker == 0xD9) {
                    return false;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    p += 2;
                    continue;
                }
                if ((marker >= 0xE1 && marker <= 0xEF && marker != 0xEE) || marker == 0xFE) {
                    return true;
                }
                p += 2 + ((b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff);
            }
            return false;
        }
        int p = 8;
        while (p + 8 <= b.length) {
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (Set.of("tEXt", "zTXt", "iTXt", "eXIf", "tIME", "iCCP").contains(type)) {
                return true;
            }
            long length = (b[p] & 0xffL) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff;
            p += (int) Math.min(Integer.MAX_VALUE - 12, length) + 12;
        }
        return false;
    }
}
