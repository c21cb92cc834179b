package org.medsync.photo.decode;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.medsync.photo.SyntheticPhoto;
import org.medsync.photo.decode.PhotoException.Reason;
import org.medsync.photo.image.GrayImage;

/** Safe decoding: limits from the header, precise refusals, metadata gone with the pixels unchanged. */
class PhotoDecoderTest {
    private final PhotoDecoder decoder = new PhotoDecoder();

    static byte[] jpeg(int w, int h, int quality) {
        try (Mat m = SyntheticPhoto.eightBit(SyntheticPhoto.phantom(w, h))) {
            return SyntheticPhoto.encode(m, quality);
        }
    }

    static byte[] png(int w, int h) {
        try (Mat m = SyntheticPhoto.eightBit(SyntheticPhoto.phantom(w, h))) {
            return SyntheticPhoto.encode(m, 0);
        }
    }

    /** A TIFF block as a phone writes it: orientation in IFD0 and a GPS IFD with a latitude. */
    static byte[] exifTiff(int orientation) {
        ByteBuffer t = ByteBuffer.allocate(80);
        t.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        t.putShort((short) 2);
        t.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38); // GPS IFD pointer
        t.putInt(0);
        t.putShort((short) 1); // GPS IFD at 38
        t.putShort((short) 0x0001).putShort((short) 2).putInt(2).put("N\0".getBytes(StandardCharsets.US_ASCII));
        t.put(new byte[] {0, 0});
        t.putInt(0);
        t.put("GPS-SECRET-48.85".getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(t.array(), t.position());
    }

    static byte[] withExif(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tiff);
        byte[] comment = "COM device serial 12345".getBytes(StandardCharsets.US_ASCII);
        out.write(0xFF);
        out.write(0xFE);
        out.write((comment.length + 2) >> 8);
        out.write((comment.length + 2) & 0xff);
        out.writeBytes(comment);
        out.write(jpeg, 2, jpeg.length - 2);
        out.writeBytes("trailing video bytes".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** {@code chunks} inserted after IHDR (which ends at byte 33). */
    static byte[] pngWith(byte[] png, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    static byte[] rawLuma(byte[] file) {
        try (BytePointer p = new BytePointer(file);
                Mat buf = new Mat(1, file.length, CV_8UC1, p);
                Mat m = imdecode(buf, IMREAD_GRAYSCALE | IMREAD_IGNORE_ORIENTATION)) {
            byte[] b = new byte[m.rows() * m.cols()];
            m.data().get(b);
            return b;
        }
    }

    static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Reason refusal(byte[] bytes) {
        PhotoException e = assertThrows(PhotoException.class, () -> decoder.decode(bytes));
        System.out.println(e.reason().code() + ": " + e.getMessage());
        return e.reason();
    }

    @Test
    void aPngDecodesToItsLuma() throws PhotoException {
        GrayImage phantom = SyntheticPhoto.phantom(64, 48);
        DecodedPhoto photo = decoder.decode(png(64, 48));
        assertEquals(64, photo.width());
        assertEquals(48, photo.height());
        assertEquals("image/png", photo.mediaType());
        assertTrue(SyntheticPhoto.psnr(photo.gray(), phantom) > 45);
    }

    @Test
    void aJpegWithGpsExifIsStrippedToTheSamePixels_andItsOrientationApplied() throws PhotoException {
        byte[] plain = jpeg(64, 48, 90);
        byte[] upload = withExif(plain, 6);
        assertTrue(contains(upload, "GPS-SECRET"));
        DecodedPhoto photo = decoder.decode(upload);
        byte[] stripped = photo.strippedOriginal();
        assertFalse(contains(stripped, "Exif"));
        assertFalse(contains(stripped, "GPS-SECRET"));
        assertFalse(contains(stripped, "serial"));
        assertFalse(contains(stripped, "trailing"));
        for (int i = 0; i + 1 < stripped.length; i++) {
            int marker = stripped[i + 1] & 0xff;
            boolean metadataMarker = marker >= 0xE1 && marker <= 0xEF && marker != 0xEE || marker == 0xFE;
            assertFalse((stripped[i] & 0xff) == 0xFF && metadataMarker && i < 200, "metadata marker at " + i);
        }
        assertArrayEquals(rawLuma(upload), rawLuma(stripped));
        assertEquals(6, photo.orientation());
        assertEquals(48, photo.width());
        assertEquals(64, photo.height());
        // orientation 6: the stored top row is the displayed right column
        byte[] stored = rawLuma(stripped);
        ByteBuffer shown = photo.luma8();
        for (int x = 0; x < 64; x++) {
            assertEquals(stored[x], shown.get(x * 48 + 47));
        }
        DecodedPhoto again = decoder.decode(stripped, photo.orientation());
        assertEquals(photo.width(), again.width());
        assertArrayEquals(photo.gray().pixels(), again.gray().pixels());
    }

    @Test
    void aPngWithExifAndTextIsStrippedToTheSamePixels() throws PhotoException {
        byte[] plain = png(40, 30);
        byte[] upload = pngWith(
                plain,
                pngChunk("eXIf", exifTiff(3)),
                pngChunk("tEXt", "Comment\0patient photo by dr x".getBytes(StandardCharsets.ISO_8859_1)),
                pngChunk("tIME", new byte[] {7, (byte) 0xEA, 12, 6, 23, 0, 0}));
        DecodedPhoto photo = decoder.decode(upload);
        byte[] stripped = photo.strippedOriginal();
        assertFalse(contains(stripped, "eXIf"));
        assertFalse(contains(stripped, "GPS-SECRET"));
        assertFalse(contains(stripped, "tEXt"));
        assertFalse(contains(stripped, "tIME"));
        assertArrayEquals(rawLuma(upload), rawLuma(stripped));
        assertEquals(3, photo.orientation());
        assertEquals(rawLuma(stripped)[0], photo.luma8().get(40 * 30 - 1));
    }

    @Test
    void aTruncatedJpegIsCorrupt() {
        byte[] whole = jpeg(64, 48, 90);
        assertEquals(Reason.CORRUPT_IMAGE, refusal(Arrays.copyOf(whole, whole.length * 2 / 3)));
        assertEquals(Reason.CORRUPT_IMAGE, refusal(Arrays.copyOf(whole, whole.length - 2)));
        assertEquals(Reason.CORRUPT_IMAGE, refusal(Arrays.copyOf(whole, 30)));
        PhotoException e =
                assertThrows(PhotoException.class, () -> decoder.decode(Arrays.copyOf(whole, whole.length * 2 / 3)));
        assertTrue(e.getMessage().startsWith("truncated JPEG"), e.getMessage());
    }

    @Test
    void hugeDimensionsInTheHeaderAreTooLarge() {
        byte[] jpeg = jpeg(64, 48, 90);
        int sof = sofOffset(jpeg);
        byte[] wide = jpeg.clone();
        wide[sof + 7] = (byte) (60000 >> 8);
        wide[sof + 8] = (byte) (60000 & 0xff);
        assertEquals(Reason.TOO_LARGE, refusal(wide));
        byte[] big = jpeg.clone();
        big[sof + 5] = (byte) (9000 >> 8);
        big[sof + 6] = (byte) (9000 & 0xff);
        big[sof + 7] = (byte) (9000 >> 8);
        big[sof + 8] = (byte) (9000 & 0xff);
        assertEquals(Reason.TOO_LARGE, refusal(big)); // 81 MP, each side allowed
    }

    /** A 10000 x 10000 grey PNG of zeros: 100 MB of pixels in about 100 kB, refused from IHDR alone. */
    @Test
    void aDecompressionBombPngIsTooLarge() {
        int side = 10_000;
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[side + 1];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int y = 0; y < side; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteBuffer ihdr =
                ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 0);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        bomb.writeBytes(pngChunk("IHDR", ihdr.array()));
        bomb.writeBytes(pngChunk("IDAT", idat.toByteArray()));
        bomb.writeBytes(pngChunk("IEND", new byte[0]));
        assertTrue(bomb.size() < 200_000, "bomb is " + bomb.size() + " bytes");
        assertEquals(Reason.TOO_LARGE, refusal(bomb.toByteArray()));
    }

    @Test
    void randomBytesAndOtherFormatsAreRefused() {
        byte[] random = new byte[4096];
        new SplittableRandom(1).nextBytes(random);
        random[0] = 0x12;
        assertEquals(Reason.UNSUPPORTED_FORMAT, refusal(random));
        assertEquals(Reason.UNSUPPORTED_FORMAT, refusal(new byte[0]));
        assertEquals(Reason.UNSUPPORTED_FORMAT, refusal("GIF89a....".getBytes(StandardCharsets.US_ASCII)));
        byte[] jpegMagic = random.clone();
        jpegMagic[0] = (byte) 0xFF;
        jpegMagic[1] = (byte) 0xD8;
        jpegMagic[2] = (byte) 0xFF;
        assertEquals(Reason.CORRUPT_IMAGE, refusal(jpegMagic));
        byte[] pngMagic = random.clone();
        System.arraycopy(png(8, 8), 0, pngMagic, 0, 8);
        assertEquals(Reason.CORRUPT_IMAGE, refusal(pngMagic));
    }

    @Test
    void aPngWithABadCrcOrScrambledPixelsIsCorrupt() {
        byte[] png = png(40, 30);
        byte[] badCrc = png.clone();
        badCrc[20] ^= 1; // inside IHDR's width
        assertEquals(Reason.CORRUPT_IMAGE, refusal(badCrc));
        byte[] noEnd = Arrays.copyOf(png, png.length - 12);
        assertEquals(Reason.CORRUPT_IMAGE, refusal(noEnd));
    }

    @Test
    void moreThan40MiBIsTooLarge() {
        byte[] huge = new byte[PhotoDecoder.MAX_BYTES + 1];
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xD8;
        huge[2] = (byte) 0xFF;
        assertEquals(Reason.TOO_LARGE, refusal(huge));
    }

    @Test
    void reasonsHaveKebabCodes() {
        assertEquals("unsupported-format", Reason.UNSUPPORTED_FORMAT.code());
        assertEquals("too-large", Reason.TOO_LARGE.code());
        assertEquals("corrupt-image", Reason.CORRUPT_IMAGE.code());
    }

    /** Offset of the 0xFF of the first SOF0 marker (baseline, as OpenCV writes). */
    private static int sofOffset(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                return i;
            }
        }
        throw new AssertionError("no SOF0");
    }
}
