package org.medsync.photo.rectify;

import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.Canny;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;
import static org.bytedeco.opencv.global.opencv_imgproc.approxPolyDP;
import static org.bytedeco.opencv.global.opencv_imgproc.arcLength;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.convexHull;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.isContourConvex;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.decode.DecodedPhoto;

/**
 * Finds the screen's image region in a photo: coarse quadrilaterals from contours (of Canny edges and of an Otsu
 * split, on a copy at most {@value #WORK_SIDE} pixels wide), each refined at full resolution by measuring the edge
 * across every side at sub-pixel precision and intersecting the fitted lines. The largest candidate whose
 * confidence passes {@value #PREFERRED_CONFIDENCE} wins, else the most confident one.
 */
public final class ScreenFinder {
    static final int WORK_SIDE = 1000;
    static final double PREFERRED_CONFIDENCE = 0.5;
    /** A candidate must cover this share of the photo; smaller ones are text, icons, reflections. */
    static final double MIN_AREA_SHARE = 0.02;
    /**
     * Smallest luma step across 2 pixels (in 0..1 units) that counts as an edge along a side: 3 standard deviations
     * of the difference of two profile samples at sensor noise 0.01 (each sample averages 5 positions along the
     * side).
     */
    static final double MIN_EDGE_STEP = 0.02;

    public ScreenQuad find(DecodedPhoto photo) {
        Plane plane = new Plane(photo);
        List<double[][]> coarse = new ArrayList<>();
        double scale;
        try (Mat luma = Mats.luma(photo)) {
            scale = Math.min(1.0, (double) WORK_SIDE / Math.max(photo.width(), photo.height()));
            try (Mat small = new Mat()) {
                if (scale < 1) {
                    try (Size size = new Size(Math.max(1, (int) Math.round(photo.width() * scale)), Math.max(1, (int)
                            Math.round(photo.height() * scale)))) {
                        resize(luma, small, size, 0, 0, INTER_AREA);
                    }
                } else {
                    luma.copyTo(small);
                }
                coarseQuads(small, coarse);
            }
        }
        ScreenQuad best = null;
        double bestArea = 0;
        ScreenQuad mostConfident = null;
        coarse.sort(Comparator.comparingDouble(ScreenFinder::area).reversed());
        for (double[][] q : coarse.subList(0, Math.min(coarse.size(), 8))) {
            for (double[] p : q) {
                p[0] = (p[0] + 0.5) / scale - 0.5;
                p[1] = (p[1] + 0.5) / scale - 0.5;
            }
            ScreenQuad refined = refine(plane, q, 3 + 3 / scale);
            if (refined == null) {
                continue;
            }
            if (mostConfident == null || refined.confidence() > mostConfident.confidence()) {
                mostConfident = refined;
            }
            double area = refined.corners().area();
            if (refined.confidence() >= PREFERRED_CONFIDENCE && area > bestArea) {
                best = refined;
                bestArea = area;
            }
        }
        if (best != null) {
            return best;
        }
        if (mostConfident != null) {
            return mostConfident;
        }
        double w = photo.width() - 0.5;
        double h = photo.height() - 0.5;
        return new ScreenQuad(Corners.of(new double[][] {{-0.5, -0.5}, {w, -0.5}, {w, h}, {-0.5, h}}), 0);
    }

    private static void coarseQuads(Mat small, List<double[][]> out) {
        double minArea = MIN_AREA_SHARE * small.cols() * small.rows();
        try (Mat blurred = new Mat();
                Mat edges = new Mat();
                Mat loose = new Mat();
                Mat binary = new Mat();
                Size k5 = new Size(5, 5);
                Mat kernel = new Mat()) {
            GaussianBlur(small, blurred, k5, 0);
            // two Canny sensitivities: the strict one for sharp photos full of detail, the loose one for a soft
            // or low-contrast border; spurious contours rarely close into a large convex quadrilateral
            Canny(blurred, edges, 20, 60);
            dilate(edges, edges, kernel);
            Canny(blurred, loose, 6, 18);
            dilate(loose, loose, kernel);
            threshold(blurred, binary, 0, 255, THRESH_BINARY | THRESH_OTSU);
            for (Mat source : List.of(edges, loose, binary)) {
                try (MatVector contours = new MatVector()) {
                    findContours(source, contours, RETR_LIST, CHAIN_APPROX_SIMPLE);
                    for (long i = 0; i < contours.size(); i++) {
                        try (Mat contour = contours.get(i);
                                Mat hull = new Mat();
                                Mat approx = new Mat()) {
                            convexHull(contour, hull);
                            if (contourArea(hull) < minArea) {
                                continue;
                            }
                            approxPolyDP(hull, approx, 0.02 * arcLength(hull, true), true);
                            if (approx.rows() != 4 || !isContourConvex(approx)) {
                                continue;
                            }
                            double[][] q = new double[4][2];
                            try (IntIndexer idx = approx.createIndexer()) {
                                for (int j = 0; j < 4; j++) {
                                    q[j][0] = idx.get(j, 0, 0);
                                    q[j][1] = idx.get(j, 0, 1);
                                }
                            }
                            if (!touchesBorder(q, small.cols(), small.rows())) {
                                out.add(clockwiseFromTopLeft(q));
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean touchesBorder(double[][] q, int w, int h) {
        for (double[] p : q) {
            if (p[0] <= 2 || p[1] <= 2 || p[0] >= w - 3 || p[1] >= h - 3) {
                return true;
            }
        }
        return false;
    }

    static double[][] clockwiseFromTopLeft(double[][] q) {
        double cx = 0;
        double cy = 0;
        for (double[] p : q) {
            cx += p[0] / 4;
            cy += p[1] / 4;
        }
        double fx = cx;
        double fy = cy;
        List<double[]> sorted = new ArrayList<>(List.of(q));
        // with y downwards, increasing atan2 runs clockwise on screen
        sorted.sort(Comparator.comparingDouble(p -> Math.atan2(p[1] - fy, p[0] - fx)));
        int first = 0;
        for (int i = 1; i < 4; i++) {
            if (sorted.get(i)[0] + sorted.get(i)[1] < sorted.get(first)[0] + sorted.get(first)[1]) {
                first = i;
            }
        }
        double[][] r = new double[4][];
        for (int i = 0; i < 4; i++) {
            r[i] = sorted.get((first + i) % 4).clone();
        }
        return r;
    }

    private static double area(double[][] q) {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            s += q[i][0] * q[(i + 1) % 4][1] - q[(i + 1) % 4][0] * q[i][1];
        }
        return Math.abs(s) / 2;
    }

    /** Measures the edge across each side within +-{@code reach} pixels and intersects the fitted lines. */
    static ScreenQuad refine(Plane plane, double[][] q, double reach) {
        double[][] lines = new double[4][];
        double supportSum = 0;
        double supportMin = 1;
        double squares = 0;
        int inliers = 0;
        for (int s = 0; s < 4; s++) {
            SideFit fit = fitSide(plane, q[s], q[(s + 1) % 4], reach);
            if (fit == null) {
                return null;
            }
            lines[s] = fit.line;
            supportSum += fit.support;
            supportMin = Math.min(supportMin, fit.support);
            squares += fit.squares;
            inliers += fit.inliers;
        }
        double[][] corners = new double[4][];
        for (int i = 0; i < 4; i++) {
            double[] c = intersect(lines[(i + 3) % 4], lines[i]);
            if (c == null || Math.hypot(c[0] - q[i][0], c[1] - q[i][1]) > 3 * reach) {
                return null;
            }
            corners[i] = c;
        }
        double rms = inliers == 0 ? Double.MAX_VALUE : Math.sqrt(squares / inliers);
        double straightness = Math.max(0, 1 - rms / 2);
        double confidence = Math.max(0, Math.min(1, (supportSum / 8 + supportMin / 2) * straightness));
        return new ScreenQuad(Corners.of(corners), confidence);
    }

    private record SideFit(double[] line, double support, double squares, int inliers) {}

    private static SideFit fitSide(Plane plane, double[] a, double[] b, double reach) {
        double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
        if (len < 8) {
            return null;
        }
        double dx = (b[0] - a[0]) / len;
        double dy = (b[1] - a[1]) / len;
        double nx = -dy;
        double ny = dx;
        int samples = (int) Math.max(16, Math.min(200, len / 4));
        int steps = (int) Math.ceil(reach * 2);
        double[] profile = new double[2 * steps + 1];
        List<double[]> points = new ArrayList<>();
        List<Integer> signs = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            // the ends are left out: there the neighbouring side's edge crosses the profile
            double t = 0.1 + 0.8 * (i + 0.5) / samples;
            double px = a[0] + (b[0] - a[0]) * t;
            double py = a[1] + (b[1] - a[1]) * t;
            for (int k = 0; k < profile.length; k++) {
                double o = (k - steps) * 0.5;
                double x = px + nx * o;
                double y = py + ny * o;
                double sum = 0;
                for (int j = -2; j <= 2; j++) {
                    sum += plane.at(x + j * dx, y + j * dy);
                }
                profile[k] = sum / 5;
            }
            // the step across 2 pixels (k +- 2 half-pixel positions): a defocused border spreads over several
            double[] step = new double[profile.length];
            int best = -1;
            double bestStep = 0;
            for (int k = 2; k + 2 < profile.length; k++) {
                step[k] = Math.abs(profile[k + 2] - profile[k - 2]);
                if (step[k] > bestStep) {
                    bestStep = step[k];
                    best = k;
                }
            }
            if (best < 3 || best > profile.length - 4 || bestStep < MIN_EDGE_STEP) {
                continue;
            }
            double gm = step[best - 1];
            double gp = step[best + 1];
            double denom = gm - 2 * bestStep + gp;
            double delta = denom < 0 ? 0.5 * (gm - gp) / denom : 0;
            double o = (best - steps + Math.max(-1, Math.min(1, delta))) * 0.5;
            points.add(new double[] {px + nx * o, py + ny * o});
            signs.add(profile[best + 2] > profile[best - 2] ? 1 : -1);
        }
        // Edges inside the image cross the profile too; the region's border keeps one polarity along a side.
        int sum = signs.stream().mapToInt(Integer::intValue).sum();
        int polarity = sum >= 0 ? 1 : -1;
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (signs.get(i) == polarity) {
                kept.add(points.get(i));
            }
        }
        if (kept.size() < 4) {
            return new SideFit(new double[] {a[0], a[1], dx, dy}, 0, 0, 0);
        }
        double[] line = fitLine(kept);
        for (int round = 0; round < 2; round++) {
            double rms = Math.sqrt(squares(line, kept) / kept.size());
            double cut = Math.max(0.75, 2.5 * rms);
            List<double[]> in = new ArrayList<>();
            for (double[] p : kept) {
                if (Math.abs(residual(line, p)) <= cut) {
                    in.add(p);
                }
            }
            if (in.size() < 4) {
                break;
            }
            kept = in;
            line = fitLine(kept);
        }
        return new SideFit(line, (double) kept.size() / samples, squares(line, kept), kept.size());
    }

    /** Total least squares: {x0, y0, dx, dy} through the centroid along the principal direction. */
    private static double[] fitLine(List<double[]> points) {
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= points.size();
        my /= points.size();
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] p : points) {
            double x = p[0] - mx;
            double y = p[1] - my;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
        }
        double angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
        return new double[] {mx, my, Math.cos(angle), Math.sin(angle)};
    }

    private static double residual(double[] line, double[] p) {
        return (p[0] - line[0]) * -line[3] + (p[1] - line[1]) * line[2];
    }

    private static double squares(double[] line, List<double[]> points) {
        double s = 0;
        for (double[] p : points) {
            double r = residual(line, p);
            s += r * r;
        }
        return s;
    }

    private static double[] intersect(double[] l1, double[] l2) {
        double det = l1[2] * -l2[3] + l2[2] * l1[3];
        if (Math.abs(det) < 1e-6) {
            return null;
        }
        double rx = l2[0] - l1[0];
        double ry = l2[1] - l1[1];
        double t = (rx * -l2[3] + l2[2] * ry) / det;
        return new double[] {l1[0] + l1[2] * t, l1[1] + l1[3] * t};
    }

    /** The photo's luma in 0..1 with bilinear sampling, edge pixels repeated outside. */
    static final class Plane {
        private final ByteBuffer luma;
        private final int width;
        private final int height;

        Plane(DecodedPhoto photo) {
            this.luma = photo.luma8();
            this.width = photo.width();
            this.height = photo.height();
        }

        double at(double x, double y) {
            double cx = Math.max(0, Math.min(width - 1, x));
            double cy = Math.max(0, Math.min(height - 1, y));
            int x0 = (int) Math.min(width - 2, Math.floor(cx));
            int y0 = (int) Math.min(height - 2, Math.floor(cy));
            x0 = Math.max(0, x0);
            y0 = Math.max(0, y0);
            int x1 = Math.min(width - 1, x0 + 1);
            int y1 = Math.min(height - 1, y0 + 1);
            double fx = cx - x0;
            double fy = cy - y0;
            double top = px(x0, y0) * (1 - fx) + px(x1, y0) * fx;
            double bottom = px(x0, y1) * (1 - fx) + px(x1, y1) * fx;
            return (top * (1 - fy) + bottom * fy) / 255.0;
        }

        private int px(int x, int y) {
            return luma.get(y * width + x) & 0xff;
        }
    }
}
