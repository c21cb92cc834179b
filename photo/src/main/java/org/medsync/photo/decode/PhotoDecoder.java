package org.medsync.photo.decode;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.medsync.photo.decode.PhotoException.Reason;

/**
 * The first reader of an uploaded photo. Order matters for safety: the container is walked and its declared size
 * checked against {@link Limits} before any pixel is allocated, the metadata is removed, and only the stripped
 * bytes reach the codec, so neither libjpeg/libpng nor OpenCV's EXIF reader ever sees the metadata.
 */
public final class PhotoDecoder {
    /** Most bytes accepted (40 MiB). */
    public static final int MAX_BYTES = Limits.MAX_BYTES;
    /** Most pixels a header may declare (50 million). */
    public static final long MAX_PIXELS = Limits.MAX_PIXELS;
    /** Longest side a header may declare. */
    public static final int MAX_SIDE = Limits.MAX_SIDE;

    /** A JPEG or PNG photo, its EXIF orientation applied; see {@link DecodedPhoto}. */
    public DecodedPhoto decode(byte[] bytes) throws PhotoException {
        Container container = container(bytes);
        return decode(container, container.orientation());
    }

    /**
     * A photo stored earlier as {@link DecodedPhoto#strippedOriginal()}, turned by the {@code orientation} the first
     * decode reported (the stripped file no longer carries it), so that corners given in the first decode's pixels
     * still fit.
     */
    public DecodedPhoto decode(byte[] strippedOriginal, int orientation) throws PhotoException {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation is 1..8, got " + orientation);
        }
        return decode(container(strippedOriginal), orientation);
    }

    /** The upload without metadata, its size checked, nothing decoded: for callers that only store. */
    public static byte[] strip(byte[] bytes) throws PhotoException {
        return container(bytes).stripped();
    }

    static Container container(byte[] bytes) throws PhotoException {
        if (bytes.length > MAX_BYTES) {
            throw new PhotoException(
                    Reason.TOO_LARGE,
                    "the photo is " + bytes.length + " bytes; at most " + MAX_BYTES + " are accepted");
        }
        if (JpegContainer.matches(bytes)) {
            return JpegContainer.read(bytes);
        }
        if (PngContainer.matches(bytes)) {
            return PngContainer.read(bytes);
        }
        throw new PhotoException(
                Reason.UNSUPPORTED_FORMAT,
                bytes.length == 0
                        ? "the photo is empty"
                        : "not a JPEG or PNG file (photos are accepted as JPEG or PNG)");
    }

    private static DecodedPhoto decode(Container c, int orientation) throws PhotoException {
        byte[] luma = new byte[Math.multiplyExact(c.width(), c.height())];
        try (BytePointer data = new BytePointer(c.stripped());
                Mat buffer = new Mat(1, c.stripped().length, CV_8UC1, data);
                Mat gray = imdecode(buffer, IMREAD_GRAYSCALE | IMREAD_IGNORE_ORIENTATION)) {
            if (gray.empty()) {
                throw new PhotoException(
                        Reason.CORRUPT_IMAGE,
                        "corrupt " + formatName(c) + ": the container is well formed but its pixel data cannot be"
                                + " decoded");
            }
            if (gray.cols() != c.width() || gray.rows() != c.height() || gray.type() != CV_8UC1) {
                throw new PhotoException(
                        Reason.CORRUPT_IMAGE,
                        "corrupt " + formatName(c) + ": header says " + c.width() + "x" + c.height()
                                + ", pixel data holds " + gray.cols() + "x" + gray.rows());
            }
            Mat continuous = gray.isContinuous() ? gray : gray.clone();
            continuous.data().get(luma);
            if (continuous != gray) {
                continuous.close();
            }
        }
        return oriented(c, luma, orientation);
    }

    private static String formatName(Container c) {
        return c.mediaType().equals(PngContainer.MEDIA_TYPE) ? "PNG" : "JPEG";
    }

    /** Applies EXIF orientation {@code o} (TIFF 6.0: where row 0 and column 0 of the stored pixels belong). */
    private static DecodedPhoto oriented(Container c, byte[] src, int o) {
        int w = c.width();
        int h = c.height();
        if (o == 1) {
            return new DecodedPhoto(w, h, src, c.stripped(), c.mediaType(), o);
        }
        boolean swap = o >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] dst = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (o) {
                    case 2 -> {
                        sx = w - 1 - x;
                        sy = y;
                    }
                    case 3 -> {
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    }
                    case 4 -> {
                        sx = x;
                        sy = h - 1 - y;
                    }
                    case 5 -> {
                        sx = y;
                        sy = x;
                    }
                    case 6 -> {
                        sx = y;
                        sy = h - 1 - x;
                    }
                    case 7 -> {
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    }
                    default -> {
                        sx = w - 1 - y;
                        sy = x;
                    }
                }
                dst[y * ow + x] = src[sy * w + sx];
            }
        }
        return new DecodedPhoto(ow, oh, dst, c.stripped(), c.mediaType(), o);
    }
}
