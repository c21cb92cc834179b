package org.medsync.dicom.render;

/**
 * The image size a compressed frame's own header declares, read before a decoder (ImageIO's JPEG and JPEG 2000
 * readers, GDCM) allocates by it: a 300-byte JPEG can declare 65535 x 65535 pixels inside a DICOM file that
 * says 64 x 64, and only the DICOM numbers are checked against {@link org.medsync.dicom.part10.DecodeLimits}.
 *
 * <pre>
 * JPEG, JPEG-LS   FFD8 ... FFCn|FFF7 len(2) P(1) Y(2) X(2) Nf(1) ...     (ITU T.81 B.2.2, T.87 C.2.2)
 * JPEG 2000       FF4F FF51 Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4) ...   (T.800 A.5.1)
 * JP2 file        boxes: len(4) type(4) [xlen(8)] ...; 'jp2c' holds the codestream   (T.800 I.4)
 * </pre>
 */
final class Codestreams {

    /** Width and height in pixels as the codestream declares them, both at least 1. */
    record Size(long width, long height) {}

    private static final int JP2_SIGNATURE = 0x6A502020;
    private static final int JP2_CODESTREAM = 0x6A703263;

    private Codestreams() {}

    /** The declared size, or null when the bytes are no JPEG / JPEG-LS / JPEG 2000 header we can read. */
    static Size size(byte[] b) {
        if (b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8) {
            return jpeg(b);
        }
        if (b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0x4F && u8(b, 2) == 0xFF && u8(b, 3) == 0x51) {
            return j2k(b, 0);
        }
        if (b.length >= 12 && u32(b, 4) == JP2_SIGNATURE) {
            return jp2(b);
        }
        return null;
    }

    private static Size jpeg(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length) {
            if (u8(b, p) != 0xFF) {
                return null;
            }
            int marker = u8(b, p + 1);
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                p += 2; // TEM, RSTn, SOI: no length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return null; // EOI or start of scan before any frame header
            }
            int length = u16(b, p + 2);
            if (length < 2) {
                return null;
            }
            if (isStartOfFrame(marker)) {
                if (p + 9 > b.length || length < 7) {
                    return null;
                }
                int width = u16(b, p + 7);
                int height = u16(b, p + 5);
                // Height 0 is defined later by a DNL marker, which the decoders we use do not support.
                return width == 0 || height == 0 ? null : new Size(width, height);
            }
            p += 2 + length;
        }
        return null;
    }

    /** SOF0-3, 5-7, 9-11, 13-15 (T.81 Table B.1) and JPEG-LS SOF55. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC || marker == 0xF7;
    }

    private static Size j2k(byte[] b, int soc) {
        int siz = soc + 2;
        if (siz + 22 > b.length) {
            return null;
        }
        long width = u32(b, siz + 6) - u32(b, siz + 14);
        long height = u32(b, siz + 10) - u32(b, siz + 18);
        return width <= 0 || height <= 0 ? null : new Size(width, height);
    }

    private static Size jp2(byte[] b) {
        int p = 0;
        while (p + 8 <= b.length) {
            long length = u32(b, p);
            int type = (int) u32(b, p + 4);
            int header = 8;
            if (length == 1) {
                if (p + 16 > b.length) {
                    return null;
                }
                length = u32(b, p + 8) << 32 | u32(b, p + 12);
                header = 16;
            }
            if (type == JP2_CODESTREAM) {
                int soc = p + header;
                boolean isCodestream = soc + 4 <= b.length
                        && u8(b, soc) == 0xFF
                        && u8(b, soc + 1) == 0x4F
                        && u8(b, soc + 2) == 0xFF
                        && u8(b, soc + 3) == 0x51;
                return isCodestream ? j2k(b, soc) : null;
            }
            if (length == 0 || length < header || p + length > b.length) {
                return null; // "to the end of the file", or a broken box: no codestream box found before
            }
            p += (int) length;
        }
        return null;
    }

    private static int u8(byte[] b, int p) {
        return b[p] & 0xFF;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p) {
        return (long) u16(b, p) << 16 | u16(b, p + 2);
    }
}
