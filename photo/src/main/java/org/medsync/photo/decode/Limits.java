package org.medsync.photo.decode;

import org.medsync.photo.decode.PhotoException.Reason;

/** The size limits a photo must meet before its pixels are allocated (docs/photo-intake.md, "Decoding and privacy"). */
final class Limits {
    /** No phone camera writes more than about 25 MB per photo; 40 MiB leaves room for 50 MP PNG screenshots. */
    static final int MAX_BYTES = 40 << 20;
    /** 50 MP: above today's 48-50 MP phone sensors' default output; 50 MP of 8-bit luma is 50 MB of heap. */
    static final long MAX_PIXELS = 50_000_000L;
    /** 12000: a panorama-shaped bomb (1 x 50M) is refused even though its pixel count passes. */
    static final int MAX_SIDE = 12_000;

    private Limits() {}

    static void checkDimensions(String format, long width, long height) throws PhotoException {
        if (width <= 0 || height <= 0) {
            throw new PhotoException(
                    Reason.CORRUPT_IMAGE, format + " header declares an empty image (" + width + "x" + height + ")");
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new PhotoException(
                    Reason.TOO_LARGE,
                    format + " header declares " + width + "x" + height + " pixels; a side may be at most " + MAX_SIDE);
        }
        if (width * height > MAX_PIXELS) {
            throw new PhotoException(
                    Reason.TOO_LARGE,
                    format + " header declares " + width + "x" + height + " = " + width * height + " pixels; at most "
                            + MAX_PIXELS + " are accepted");
        }
    }
}
