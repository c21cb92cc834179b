package org.medsync.photo.rectify;

import java.util.List;
import java.util.Objects;

/**
 * The four corners of the image region in a photo, clockwise from top-left, in photo pixels. A corner is the outer
 * corner of the region (the edge, half a pixel outside the centre of the region's corner pixel), which is what a
 * person marks and what the edge finder measures. Also the body of the page's manual fallback:
 * {@code {"corners": [[x,y],[x,y],[x,y],[x,y]]}} in the order TL, TR, BR, BL.
 */
public record Corners(Point topLeft, Point topRight, Point bottomRight, Point bottomLeft) {
    public Corners {
        Objects.requireNonNull(topLeft, "topLeft");
        Objects.requireNonNull(topRight, "topRight");
        Objects.requireNonNull(bottomRight, "bottomRight");
        Objects.requireNonNull(bottomLeft, "bottomLeft");
    }

    /** From {@code [[x,y] x 4]} (TL, TR, BR, BL); refuses anything else with a message fit for a 400 answer. */
    public static Corners of(double[][] xy) {
        if (xy == null || xy.length != 4) {
            throw new IllegalArgumentException("corners must be 4 points [x,y] in the order TL, TR, BR, BL");
        }
        Point[] p = new Point[4];
        for (int i = 0; i < 4; i++) {
            if (xy[i] == null || xy[i].length != 2) {
                throw new IllegalArgumentException("corner " + i + " must be [x,y]");
            }
            p[i] = new Point(xy[i][0], xy[i][1]);
        }
        return new Corners(p[0], p[1], p[2], p[3]);
    }

    public List<Point> points() {
        return List.of(topLeft, topRight, bottomRight, bottomLeft);
    }

    public double[][] toArray() {
        return points().stream().map(p -> new double[] {p.x(), p.y()}).toArray(double[][]::new);
    }

    /**
     * Refuses corners that cannot be rectified from a {@code width} x {@code height} photo: outside it (more than
     * one pixel), not clockwise, not convex, or enclosing less than 1% of it.
     */
    public void check(int width, int height) {
        for (Point p : points()) {
            if (p.x() < -1 || p.y() < -1 || p.x() > width || p.y() > height) {
                throw new IllegalArgumentException(
                        "corner (" + p.x() + ", " + p.y() + ") lies outside the " + width + "x" + height + " photo");
            }
        }
        List<Point> q = points();
        for (int i = 0; i < 4; i++) {
            Point a = q.get(i);
            Point b = q.get((i + 1) % 4);
            Point c = q.get((i + 2) % 4);
            double cross = (b.x() - a.x()) * (c.y() - b.y()) - (b.y() - a.y()) * (c.x() - b.x());
            // y grows downwards, so a clockwise turn on screen has a positive cross product
            if (cross <= 0) {
                throw new IllegalArgumentException(
                        "corners must be given clockwise from top-left (TL, TR, BR, BL) and form a convex shape");
            }
        }
        if (area() < 0.01 * width * height) {
            throw new IllegalArgumentException("the corners enclose less than 1% of the photo");
        }
    }

    /** Area of the quadrilateral in square pixels (shoelace). */
    public double area() {
        List<Point> q = points();
        double s = 0;
        for (int i = 0; i < 4; i++) {
            Point a = q.get(i);
            Point b = q.get((i + 1) % 4);
            s += a.x() * b.y() - b.x() * a.y();
        }
        return Math.abs(s) / 2;
    }

    /** Mean length of the top and bottom sides. */
    public double meanWidth() {
        return (topLeft.distance(topRight) + bottomLeft.distance(bottomRight)) / 2;
    }

    /** Mean length of the left and right sides. */
    public double meanHeight() {
        return (topLeft.distance(bottomLeft) + topRight.distance(bottomRight)) / 2;
    }

    /**
     * How evenly the perspective keeps resolution: the shorter of each pair of opposite sides over the longer, the
     * smaller of the two ratios. 1 for a photo taken straight on.
     */
    public double foreshortening() {
        double top = topLeft.distance(topRight);
        double bottom = bottomLeft.distance(bottomRight);
        double left = topLeft.distance(bottomLeft);
        double right = topRight.distance(bottomRight);
        return Math.min(Math.min(top, bottom) / Math.max(top, bottom), Math.min(left, right) / Math.max(left, right));
    }
}
