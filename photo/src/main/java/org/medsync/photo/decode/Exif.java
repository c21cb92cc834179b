package org.medsync.photo.decode;

/**
 * Reads the one EXIF field photo intake uses, the orientation, from a TIFF structure. Everything else in EXIF (GPS,
 * device serials, times) is thrown away with the segment; a malformed block is not an error, it means "no
 * orientation", because the block is dropped anyway.
 */
final class Exif {
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;

    private Exif() {}

    /** The orientation 1..8 in the TIFF data {@code [from, from + length)} of {@code b}, or 1. */
    static int orientation(byte[] b, int from, int length) {
        int end = from + length;
        if (length < 8 || end > b.length) {
            return 1;
        }
        boolean little;
        if (b[from] == 'I' && b[from + 1] == 'I') {
            little = true;
        } else if (b[from] == 'M' && b[from + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, from + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, from + 4, little);
        if (ifd < 8 || ifd > length - 2) {
            return 1;
        }
        int p = from + (int) ifd;
        int count = u16(b, p, little);
        p += 2;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            if (u16(b, p, little) == ORIENTATION_TAG && u16(b, p + 2, little) == TYPE_SHORT) {
                int value = u16(b, p + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int a = b[p] & 0xff;
        int c = b[p + 1] & 0xff;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int shift = little ? 8 * i : 8 * (3 - i);
            v |= (long) (b[p + i] & 0xff) << shift;
        }
        return v;
    }
}
