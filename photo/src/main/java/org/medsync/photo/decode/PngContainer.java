package org.medsync.photo.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;
import org.medsync.photo.decode.PhotoException.Reason;

/**
 * Walks a PNG's chunks without inflating them: checks every CRC and the chunk order, reads the size from IHDR (so
 * the limits are checked before libpng allocates anything), the orientation from eXIf, and writes the file again
 * with only the chunks that decide how the pixels look. Text (tEXt, zTXt, iTXt: often XMP or the editing tool),
 * eXIf, tIME, iCCP (profile names), unknown ancillary chunks and APNG frames are dropped; anything after IEND too.
 */
final class PngContainer {
    static final String MEDIA_TYPE = "image/png";

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final Set<String> KEPT =
            Set.of("IHDR", "PLTE", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "pHYs", "IDAT", "IEND");
    private static final Set<String> CRITICAL = Set.of("IHDR", "PLTE", "IDAT", "IEND");

    private PngContainer() {}

    static boolean matches(byte[] b) {
        if (b.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (b[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    static Container read(byte[] b) throws PhotoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, SIGNATURE.length);
        int p = SIGNATURE.length;
        int width = -1;
        int height = -1;
        int orientation = 1;
        int idats = 0;
        boolean first = true;
        while (true) {
            if (p + 8 > b.length) {
                throw truncated(p, "before the IEND chunk");
            }
            long length = u32(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (!isChunkType(b, p + 4)) {
                throw corrupt("chunk at byte " + p + " has no valid type");
            }
            if (length > Integer.MAX_VALUE || p + 12 + length > b.length) {
                throw truncated(
                        b.length, "inside chunk " + type + " at byte " + p + " that declares " + length + " bytes");
            }
            int data = p + 8;
            int end = data + (int) length;
            CRC32 crc = new CRC32();
            crc.update(b, p + 4, 4 + (int) length);
            if (crc.getValue() != u32(b, end)) {
                throw corrupt("chunk " + type + " at byte " + p + " fails its CRC");
            }
            if (first != type.equals("IHDR")) {
                throw corrupt(first ? "first chunk is " + type + ", not IHDR" : "a second IHDR at byte " + p);
            }
            first = false;
            switch (type) {
                case "IHDR" -> {
                    if (length != 13) {
                        throw corrupt("IHDR is " + length + " bytes, not 13");
                    }
                    long w = u32(b, data);
                    long h = u32(b, data + 4);
                    Limits.checkDimensions("PNG", w, h);
                    width = (int) w;
                    height = (int) h;
                }
                case "IDAT" -> idats++;
                case "eXIf" -> orientation = Exif.orientation(b, data, (int) length);
                default -> {
                    if (!KEPT.contains(type) && Character.isUpperCase(type.charAt(0)) && !CRITICAL.contains(type)) {
                        throw corrupt("unknown critical chunk " + type + " at byte " + p);
                    }
                }
            }
            if (KEPT.contains(type)) {
                out.write(b, p, end + 4 - p);
            }
            p = end + 4;
            if (type.equals("IEND")) {
                if (idats == 0) {
                    throw corrupt("no IDAT chunk: the file holds no pixels");
                }
                return new Container(MEDIA_TYPE, width, height, orientation, out.toByteArray());
            }
        }
    }

    private static boolean isChunkType(byte[] b, int p) {
        for (int i = p; i < p + 4; i++) {
            char c = (char) (b[i] & 0xff);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static long u32(byte[] b, int p) {
        return (long) (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff;
    }

    private static PhotoException truncated(int at, String where) {
        return new PhotoException(Reason.CORRUPT_IMAGE, "truncated PNG: the file ends at byte " + at + " " + where);
    }

    private static PhotoException corrupt(String what) {
        return new PhotoException(Reason.CORRUPT_IMAGE, "corrupt PNG: " + what);
    }
}
