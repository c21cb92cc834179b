package org.medsync.photo.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.medsync.photo.decode.PhotoException.Reason;

/**
 * Walks a JPEG's marker segments without decoding it: finds the frame size (so the limits are checked before
 * libjpeg allocates anything), the EXIF orientation, and whether the file ends where a complete JPEG ends; and
 * writes the file again without metadata.
 *
 * <p>Kept: the segments that decide the pixels (DQT, DHT, DAC, DRI, SOFn, SOS and the entropy-coded data, EOI),
 * a JFIF APP0 rewritten without its thumbnail, and an Adobe APP14 (12 bytes of flags, no text), because its
 * transform flag tells libjpeg whether the three components are YCbCr or RGB: dropping it would change the pixels.
 * Dropped: every other APPn (EXIF with GPS and maker notes, XMP, ICC profiles with device names, MPF
 * second pictures), COM, and anything after EOI (some phones append a whole video there).
 */
final class JpegContainer {
    static final String MEDIA_TYPE = "image/jpeg";

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP14 = 0xEE;
    private static final int COM = 0xFE;
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JFIF_ID = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE_ID = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

    private JpegContainer() {}

    static boolean matches(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == SOI && (b[2] & 0xff) == 0xFF;
    }

    static Container read(byte[] b) throws PhotoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(0xFF);
        out.write(SOI);
        int p = 2;
        int width = -1;
        int height = -1;
        int orientation = 1;
        int scans = 0;
        while (true) {
            if (p >= b.length) {
                throw truncated(b, p, scans == 0 ? "before the image data" : "after a scan, without end-of-image");
            }
            if ((b[p] & 0xff) != 0xFF) {
                throw corrupt("expected a marker (0xFF) at byte " + p + ", found 0x" + hex(b[p]));
            }
            while (p < b.length && (b[p] & 0xff) == 0xFF) {
                p++; // fill bytes may precede any marker
            }
            if (p >= b.length) {
                throw truncated(b, p, "inside a marker");
            }
            int marker = b[p] & 0xff;
            int markerAt = p - 1;
            p++;
            if (marker == EOI) {
                if (scans == 0) {
                    throw corrupt("end-of-image marker at byte " + markerAt + " before any image data");
                }
                out.write(0xFF);
                out.write(EOI);
                return new Container(MEDIA_TYPE, width, height, orientation, out.toByteArray());
            }
            if (marker == SOI || marker == 0x00) {
                throw corrupt("unexpected marker 0x" + hex(marker) + " at byte " + markerAt);
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                out.write(0xFF); // TEM and stray restart markers have no length; harmless, kept as they are
                out.write(marker);
                continue;
            }
            if (p + 2 > b.length) {
                throw truncated(b, p, "inside the length of marker 0x" + hex(marker));
            }
            int length = (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
            if (length < 2) {
                throw corrupt("marker 0x" + hex(marker) + " at byte " + markerAt + " declares length " + length);
            }
            int end = p + length;
            if (end > b.length) {
                throw truncated(b, b.length, "inside segment 0x" + hex(marker) + " that needs " + length + " bytes");
            }
            if (isStartOfFrame(marker)) {
                if (width >= 0) {
                    throw corrupt("a second frame header at byte " + markerAt);
                }
                if (length < 8) {
                    throw corrupt("frame header at byte " + markerAt + " is " + length + " bytes, needs 8");
                }
                height = (b[p + 3] & 0xff) << 8 | b[p + 4] & 0xff;
                width = (b[p + 5] & 0xff) << 8 | b[p + 6] & 0xff;
                if (height == 0) {
                    throw new PhotoException(
                            Reason.UNSUPPORTED_FORMAT, "JPEG with the height defined later (DNL) is not supported");
                }
                Limits.checkDimensions("JPEG", width, height);
            }
            if (marker == APP1 && startsWith(b, p + 2, end, EXIF_ID)) {
                orientation = Exif.orientation(b, p + 2 + EXIF_ID.length, end - p - 2 - EXIF_ID.length);
            } else if (marker == APP0 && startsWith(b, p + 2, end, JFIF_ID) && length >= 16) {
                writeJfifWithoutThumbnail(b, p, out);
            } else if (marker == APP14 && startsWith(b, p + 2, end, ADOBE_ID) && length == 14) {
                out.write(b, markerAt, end - markerAt);
            } else if (!(marker >= APP0 && marker <= 0xEF) && marker != COM) {
                out.write(0xFF);
                out.write(b, p - 1, end - p + 1);
            }
            p = end;
            if (marker == SOS) {
                if (width < 0) {
                    throw corrupt("scan at byte " + markerAt + " before any frame header");
                }
                scans++;
                int dataEnd = endOfEntropyData(b, p);
                if (dataEnd < 0) {
                    throw truncated(b, b.length, "inside the image data of scan " + scans);
                }
                out.write(b, p, dataEnd - p);
                p = dataEnd;
            }
        }
    }

    /** The index of the 0xFF of the marker that ends the entropy-coded data starting at {@code p}, or -1. */
    private static int endOfEntropyData(byte[] b, int p) {
        for (int i = p; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) != 0xFF) {
                continue;
            }
            int next = b[i + 1] & 0xff;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                i++; // stuffed zero or restart marker: still inside the scan
            } else if (next != 0xFF) {
                return i;
            }
        }
        return -1;
    }

    private static void writeJfifWithoutThumbnail(byte[] b, int p, ByteArrayOutputStream out) {
        out.write(0xFF);
        out.write(APP0);
        out.write(0);
        out.write(16);
        // identifier, version, units, densities: the 12 bytes before the thumbnail's size
        out.write(b, p + 2, 12);
        out.write(0);
        out.write(0);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        return end - from >= prefix.length && Arrays.equals(b, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static PhotoException truncated(byte[] b, int at, String where) {
        return new PhotoException(
                Reason.CORRUPT_IMAGE, "truncated JPEG: the file ends at byte " + Math.min(at, b.length) + " " + where);
    }

    private static PhotoException corrupt(String what) {
        return new PhotoException(Reason.CORRUPT_IMAGE, "corrupt JPEG: " + what);
    }

    private static String hex(int v) {
        return String.format("%02X", v & 0xff);
    }
}
