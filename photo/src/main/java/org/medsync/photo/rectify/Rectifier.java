package org.medsync.photo.rectify;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.image.GrayImage;

/**
 * Removes the perspective: maps the quadrilateral onto a width x height image with {@code warpPerspective}. The
 * corners are the region's outer edges, so they go to the output's outer edges (-0.5 and size - 0.5 in OpenCV's
 * pixel-centre coordinates), not to its corner pixels' centres: a rectified photo lines up with its source pixel
 * for pixel.
 */
public final class Rectifier {
    /** Longer side of the output when the source's size is not known (docs/photo-intake.md, "Rectification"). */
    public static final int DEFAULT_LONG_SIDE = 512;

    /** Output size. */
    public record OutputSize(int width, int height) {
        public OutputSize {
            if (width <= 0 || height <= 0 || (long) width * height > 64L << 20) {
                throw new IllegalArgumentException("output size " + width + "x" + height + " is not usable");
            }
        }
    }

    /** The quad's aspect (mean opposite side lengths) with the longer side {@link #DEFAULT_LONG_SIDE}. */
    public static OutputSize defaultSize(Corners corners) {
        double w = Math.max(1, corners.meanWidth());
        double h = Math.max(1, corners.meanHeight());
        if (w >= h) {
            return new OutputSize(DEFAULT_LONG_SIDE, (int) Math.max(1, Math.round(DEFAULT_LONG_SIDE * h / w)));
        }
        return new OutputSize((int) Math.max(1, Math.round(DEFAULT_LONG_SIDE * w / h)), DEFAULT_LONG_SIDE);
    }

    public GrayImage rectify(DecodedPhoto photo, Corners corners, OutputSize size) {
        return rectify(photo, corners, size.width(), size.height());
    }

    public GrayImage rectify(DecodedPhoto photo, Corners corners, int width, int height) {
        new OutputSize(width, height);
        double[][] q = corners.toArray();
        // Only the part of the photo under the quad (plus a margin for the interpolation) is converted and blurred.
        int x0 = clamp((int) Math.floor(min(q, 0)) - 4, 0, photo.width() - 1);
        int y0 = clamp((int) Math.floor(min(q, 1)) - 4, 0, photo.height() - 1);
        int x1 = clamp((int) Math.ceil(max(q, 0)) + 5, x0 + 1, photo.width());
        int y1 = clamp((int) Math.ceil(max(q, 1)) + 5, y0 + 1, photo.height());
        double[][] src = new double[4][];
        for (int i = 0; i < 4; i++) {
            src[i] = new double[] {q[i][0] - x0, q[i][1] - y0};
        }
        double[][] dst = {{-0.5, -0.5}, {width - 0.5, -0.5}, {width - 0.5, height - 0.5}, {-0.5, height - 0.5}};
        // Shrinking by k without a low-pass aliases the screen's pixel grid into moiré; sigma sqrt(k^2-1)/2 is the
        // usual blur that makes a k-times-coarser grid band-limited (k = 1: none).
        double k = Math.max(corners.meanWidth() / width, corners.meanHeight() / height);
        try (Mat luma = Mats.luma(photo);
                Rect roi = new Rect(x0, y0, x1 - x0, y1 - y0);
                Mat crop = new Mat(luma, roi);
                Mat f = new Mat();
                Mat from = Mats.points(src);
                Mat to = Mats.points(dst);
                Mat h = getPerspectiveTransform(from, to);
                Mat out = new Mat();
                Size dsize = new Size(width, height);
                Scalar border = new Scalar(0.0)) {
            crop.convertTo(f, CV_32FC1, 1 / 255.0, 0);
            if (k > 1.2) {
                try (Size auto = new Size(0, 0)) {
                    GaussianBlur(f, f, auto, Math.sqrt(k * k - 1) / 2);
                }
            }
            warpPerspective(f, out, h, dsize, INTER_LINEAR, BORDER_REPLICATE, border);
            return Mats.gray(out);
        }
    }

    private static double min(double[][] q, int axis) {
        return Math.min(Math.min(q[0][axis], q[1][axis]), Math.min(q[2][axis], q[3][axis]));
    }

    private static double max(double[][] q, int axis) {
        return Math.max(Math.max(q[0][axis], q[1][axis]), Math.max(q[2][axis], q[3][axis]));
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
