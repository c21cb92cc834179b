package org.medsync.photo.fiducial;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_objdetect.DICT_4X4_50;
import static org.bytedeco.opencv.global.opencv_objdetect.generateImageMarker;
import static org.bytedeco.opencv.global.opencv_objdetect.getPredefinedDictionary;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.Dictionary;
import org.bytedeco.opencv.opencv_objdetect.QRCodeEncoder;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.image.GrayImage;

/**
 * The viewer's photo mode: what it draws around the image so that a photo of the screen rectifies exactly and links
 * back to its study (docs/photo-intake.md, "Photo mode (fiducials)").
 *
 * <p>Geometry, in the units of a marker tile's side T (the PNG of {@link #markerPng}): a tile is 8 cells of T/8,
 * a white quiet cell around a 6-cell ArUco marker (DICT_4X4_50: 4x4 data cells in a black border cell). The four
 * tiles sit outside the image's corners, each touching its corner with its own inner corner: id 0 top-left, 1
 * top-right, 2 bottom-right, 3 bottom-left. So every image corner lies one cell (1/6 of the marker's side)
 * diagonally beyond its marker's inner corner, whatever size the viewer draws. The QR code (a tile of any size
 * with its quiet zone, {@link #qrPng}) is centred below the image; it holds {@code MSPH1:<token>}, where the token
 * is 22 base64url characters (128 random bits) the server issued: never a UID or a name.
 */
public final class PhotoModeFrame {
    /** ArUco marker ids by image corner: TL, TR, BR, BL. */
    public static final int TOP_LEFT = 0;

    public static final int TOP_RIGHT = 1;
    public static final int BOTTOM_RIGHT = 2;
    public static final int BOTTOM_LEFT = 3;
    /** Cells across a marker tile: 1 quiet + 6 marker + 1 quiet. */
    public static final int TILE_CELLS = 8;
    /** Cells across the marker itself (4 data + 2 border). */
    public static final int MARKER_CELLS = 6;

    public static final String QR_PREFIX = "MSPH1:";
    private static final Pattern QR_TEXT = Pattern.compile("MSPH1:([A-Za-z0-9_-]{22})");

    /** Smallest and largest PNG the makers draw, in pixels per side. */
    public static final int MIN_PIXELS = 16;

    public static final int MAX_PIXELS = 2048;

    private PhotoModeFrame() {}

    static Dictionary dictionary() {
        return getPredefinedDictionary(DICT_4X4_50);
    }

    /** The token a QR code's text carries, if it is photo mode's {@code MSPH1:<token>}. */
    public static Optional<String> tokenOf(String qrText) {
        if (qrText == null) {
            return Optional.empty();
        }
        Matcher m = QR_TEXT.matcher(qrText);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The QR text for a token the server issued. */
    public static String qrText(String token) {
        String text = QR_PREFIX + token;
        if (tokenOf(text).isEmpty()) {
            throw new IllegalArgumentException("a photo-mode token is 22 base64url characters");
        }
        return text;
    }

    /** Marker tile {@code id} (0..3) as a PNG of {@code pixels} x {@code pixels}, a multiple of 8 cells. */
    public static byte[] markerPng(int id, int pixels) {
        try (Mat tile = markerTile(id, pixels)) {
            return Mats.png(tile);
        }
    }

    /** The QR code for {@code text} with its 4-module quiet zone, scaled to {@code pixels} (nearest neighbour). */
    public static byte[] qrPng(String text, int pixels) {
        try (Mat tile = qrTile(text, pixels)) {
            return Mats.png(tile);
        }
    }

    static Mat markerTile(int id, int pixels) {
        if (id < 0 || id > 3) {
            throw new IllegalArgumentException("photo mode uses markers 0..3, not " + id);
        }
        checkPixels(pixels);
        if (pixels % TILE_CELLS != 0) {
            throw new IllegalArgumentException("a marker tile is 8 cells: pixels must be a multiple of 8");
        }
        int cell = pixels / TILE_CELLS;
        Mat tile = new Mat(pixels, pixels, CV_8UC1, new Scalar(255.0));
        try (Dictionary dict = dictionary();
                Mat marker = new Mat()) {
            generateImageMarker(dict, id, cell * MARKER_CELLS, marker, 1);
            try (Mat inner = tile.apply(new Rect(cell, cell, cell * MARKER_CELLS, cell * MARKER_CELLS))) {
                marker.copyTo(inner);
            }
        }
        return tile;
    }

    static Mat qrTile(String text, int pixels) {
        checkPixels(pixels);
        try (QRCodeEncoder encoder = QRCodeEncoder.create();
                Mat code = new Mat()) {
            encoder.encode(text, code);
            if (code.empty()) {
                throw new IllegalArgumentException("OpenCV could not encode this text as a QR code");
            }
            int modules = code.cols();
            int quiet = hasQuietZone(code) ? 0 : 4;
            int total = modules + 2 * quiet;
            try (Mat padded = new Mat(total, total, CV_8UC1, new Scalar(255.0));
                    Mat inner = padded.apply(new Rect(quiet, quiet, modules, modules));
                    Size size = new Size(pixels, pixels)) {
                code.copyTo(inner);
                Mat out = new Mat();
                resize(padded, out, size, 0, 0, INTER_NEAREST);
                return out;
            }
        }
    }

    /** Whether the encoder's image already has white rows and columns around the symbol. */
    private static boolean hasQuietZone(Mat code) {
        try (UByteIndexer idx = code.createIndexer()) {
            int n = code.cols();
            for (int i = 0; i < n; i++) {
                if (idx.get(0, i) < 128 || idx.get(i, 0) < 128 || idx.get(n - 1, i) < 128 || idx.get(i, n - 1) < 128) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void checkPixels(int pixels) {
        if (pixels < MIN_PIXELS || pixels > MAX_PIXELS) {
            throw new IllegalArgumentException(
                    "an image of " + pixels + " pixels; photo mode draws " + MIN_PIXELS + ".." + MAX_PIXELS);
        }
    }

    /**
     * The frame as the viewer lays it out, for tests, simulations and as the reference the page follows: the image
     * at 1:1 on a dark viewport ({@code background}), the four marker tiles of side {@code tile} at its corners and
     * the QR tile of side {@code qr} centred {@code tile / 2} below the image.
     */
    public static Layout render(GrayImage image, String qrText, int tile, int qr, float background) {
        int margin = tile + 8;
        int w = image.width() + 2 * margin;
        int h = image.height() + margin + Math.max(tile + 8, tile / 2 + qr + 8);
        float[] px = new float[w * h];
        Arrays.fill(px, background);
        int ix = margin;
        int iy = margin;
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(image.pixels(), y * image.width(), px, (iy + y) * w + ix, image.width());
        }
        int[][] at = {
            {ix - tile, iy - tile},
            {ix + image.width(), iy - tile},
            {ix + image.width(), iy + image.height()},
            {ix - tile, iy + image.height()}
        };
        for (int id = 0; id < 4; id++) {
            try (Mat m = markerTile(id, tile)) {
                paste(m, px, w, at[id][0], at[id][1]);
            }
        }
        try (Mat q = qrTile(qrText, qr)) {
            paste(q, px, w, ix + (image.width() - qr) / 2, iy + image.height() + tile / 2);
        }
        return new Layout(new GrayImage(w, h, px), ix, iy);
    }

    /** A rendered frame and where the image's top-left pixel is in it. */
    public record Layout(GrayImage frame, int imageX, int imageY) {}

    private static void paste(Mat m, float[] px, int w, int x0, int y0) {
        try (UByteIndexer idx = m.createIndexer()) {
            for (int y = 0; y < m.rows(); y++) {
                for (int x = 0; x < m.cols(); x++) {
                    px[(y0 + y) * w + x0 + x] = idx.get(y, x) / 255f;
                }
            }
        }
    }
}
