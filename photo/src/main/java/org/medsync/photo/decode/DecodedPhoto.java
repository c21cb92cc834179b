package org.medsync.photo.decode;

import java.nio.ByteBuffer;
import org.medsync.photo.image.GrayImage;

/**
 * A photo that passed {@link PhotoDecoder}: its luma with the EXIF orientation applied, and the uploaded file with
 * every metadata segment removed, which is what the server keeps as the original.
 */
public final class DecodedPhoto {
    private final int width;
    private final int height;
    private final byte[] luma;
    private final byte[] strippedOriginal;
    private final String mediaType;
    private final int orientation;

    DecodedPhoto(int width, int height, byte[] luma, byte[] strippedOriginal, String mediaType, int orientation) {
        if ((long) width * height != luma.length) {
            throw new IllegalArgumentException(width + "x" + height + " does not match " + luma.length + " bytes");
        }
        this.width = width;
        this.height = height;
        this.luma = luma;
        this.strippedOriginal = strippedOriginal;
        this.mediaType = mediaType;
        this.orientation = orientation;
    }

    /** Width after the EXIF orientation was applied (as the photographer saw the scene). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * The uploaded bytes without metadata (EXIF, XMP, GPS, maker notes, comments, PNG text chunks). Its pixels are
     * those of the upload as stored, i.e. before {@link #orientation()} is applied: the orientation tag went with
     * the EXIF block.
     */
    public byte[] strippedOriginal() {
        return strippedOriginal.clone();
    }

    /** {@code image/jpeg} or {@code image/png}. */
    public String mediaType() {
        return mediaType;
    }

    /** The EXIF orientation (1..8) the upload carried and the pixels of this photo have been turned by; 1 if none. */
    public int orientation() {
        return orientation;
    }

    /** Luma in [0, 1]; a new array each call. */
    public GrayImage gray() {
        float[] pixels = new float[luma.length];
        for (int i = 0; i < luma.length; i++) {
            pixels[i] = (luma[i] & 0xff) / 255f;
        }
        return new GrayImage(width, height, pixels);
    }

    /** 8-bit luma, row-major, read-only and not copied: what the vision packages hand to OpenCV. */
    public ByteBuffer luma8() {
        return ByteBuffer.wrap(luma).asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return "DecodedPhoto[" + mediaType + " " + width + "x" + height + "]";
    }
}
