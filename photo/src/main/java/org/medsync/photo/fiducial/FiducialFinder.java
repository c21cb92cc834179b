package org.medsync.photo.fiducial;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;
import static org.bytedeco.opencv.global.opencv_objdetect.CORNER_REFINE_SUBPIX;

import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.ArucoDetector;
import org.bytedeco.opencv.opencv_objdetect.DetectorParameters;
import org.bytedeco.opencv.opencv_objdetect.Dictionary;
import org.bytedeco.opencv.opencv_objdetect.QRCodeDetector;
import org.bytedeco.opencv.opencv_objdetect.RefineParameters;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.rectify.Corners;

/**
 * Reads a photo of the viewer's photo mode ({@link PhotoModeFrame}): the four ArUco markers give the image's exact
 * corners (each marker's own perspective, from its four sub-pixel corners, carries its image corner one cell
 * beyond the marker's inner corner), and the QR code gives the token. All four markers are needed; with fewer the
 * photo goes the way of any other photo ({@code ScreenFinder}).
 */
public final class FiducialFinder {
    /**
     * Each image corner in its marker's own coordinates (0..1 across the marker's outer border, ArUco's corner order
     * TL, TR, BR, BL), by marker id: one cell (1/6) beyond the marker's corner that faces the image.
     */
    private static final double[][] IMAGE_CORNER_IN_MARKER = {
        {7 / 6.0, 7 / 6.0}, {-1 / 6.0, 7 / 6.0}, {-1 / 6.0, -1 / 6.0}, {7 / 6.0, -1 / 6.0}
    };

    private static final double[][] UNIT_SQUARE = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};

    public Optional<FiducialFix> find(DecodedPhoto photo) {
        double[][] corners = new double[4][];
        try (Mat luma = Mats.luma(photo)) {
            try (Dictionary dict = PhotoModeFrame.dictionary();
                    DetectorParameters params = new DetectorParameters();
                    RefineParameters refine = new RefineParameters();
                    MatVector found = new MatVector();
                    Mat ids = new Mat()) {
                params.cornerRefinementMethod(CORNER_REFINE_SUBPIX);
                try (ArucoDetector detector = new ArucoDetector(dict, params, refine)) {
                    detector.detectMarkers(luma, found, ids);
                }
                if (ids.empty()) {
                    return Optional.empty();
                }
                try (IntIndexer idIndex = ids.createIndexer()) {
                    for (int i = 0; i < found.size(); i++) {
                        int id = idIndex.get(i);
                        if (id < 0 || id > 3) {
                            continue;
                        }
                        if (corners[id] != null) {
                            return Optional.empty(); // two markers with one id: not our frame, or a reflection
                        }
                        try (Mat m = found.get(i)) {
                            corners[id] = imageCorner(m, IMAGE_CORNER_IN_MARKER[id]);
                        }
                    }
                }
            }
            for (double[] c : corners) {
                if (c == null) {
                    return Optional.empty();
                }
            }
            Corners image;
            try {
                image = Corners.of(corners);
                image.check(photo.width(), photo.height());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return Optional.of(new FiducialFix(image, token(luma, image)));
        }
    }

    /** Maps {@code local} through the perspective that takes the unit square to the marker's four corners. */
    private static double[] imageCorner(Mat markerCorners, double[] local) {
        double[][] quad = new double[4][2];
        try (FloatIndexer idx = markerCorners.createIndexer()) {
            for (int k = 0; k < 4; k++) {
                quad[k][0] = idx.get(0, k, 0);
                quad[k][1] = idx.get(0, k, 1);
            }
        }
        try (Mat from = Mats.points(UNIT_SQUARE);
                Mat to = Mats.points(quad);
                Mat h = getPerspectiveTransform(from, to);
                Mat in = Mats.points(new double[][] {local});
                Mat out = new Mat()) {
            perspectiveTransform(in, out, h);
            try (FloatIndexer idx = out.createIndexer()) {
                return new double[] {idx.get(0, 0, 0), idx.get(0, 0, 1)};
            }
        }
    }

    /**
     * The QR code's token: first read in the whole photo; failing that (a small code far off-axis), in the band
     * below the image seen straight on through the markers' perspective.
     */
    private static Optional<String> token(Mat luma, Corners image) {
        Optional<String> whole = decodeQr(luma);
        if (whole.isPresent()) {
            return whole;
        }
        double aspect = image.meanWidth() / Math.max(1, image.meanHeight());
        int w = 800;
        int h = (int) Math.round(w * 0.6);
        // the band under the image: 10% wider than the image on each side, 0.6 image widths deep
        double v = 0.6 * aspect * 1.2;
        double[][] band = {{-0.1, 1.0}, {1.1, 1.0}, {1.1, 1.0 + v}, {-0.1, 1.0 + v}};
        try (Mat unit = Mats.points(UNIT_SQUARE);
                Mat quad = Mats.points(image.toArray());
                Mat h1 = getPerspectiveTransform(unit, quad);
                Mat bandIn = Mats.points(band);
                Mat bandOut = new Mat()) {
            perspectiveTransform(bandIn, bandOut, h1);
            double[][] src = new double[4][2];
            try (FloatIndexer idx = bandOut.createIndexer()) {
                for (int k = 0; k < 4; k++) {
                    src[k][0] = idx.get(k, 0, 0);
                    src[k][1] = idx.get(k, 0, 1);
                }
            }
            try (Mat from = Mats.points(src);
                    Mat to = Mats.points(new double[][] {{0, 0}, {w, 0}, {w, h}, {0, h}});
                    Mat h2 = getPerspectiveTransform(from, to);
                    Mat straight = new Mat();
                    Size size = new Size(w, h);
                    Scalar white = new Scalar(255.0)) {
                warpPerspective(luma, straight, h2, size, INTER_LINEAR, BORDER_REPLICATE, white);
                return decodeQr(straight);
            }
        }
    }

    private static Optional<String> decodeQr(Mat gray) {
        try (QRCodeDetector detector = new QRCodeDetector();
                BytePointer text = detector.detectAndDecode(gray)) {
            return text == null || text.isNull() ? Optional.empty() : PhotoModeFrame.tokenOf(text.getString());
        }
    }
}
