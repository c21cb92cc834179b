package org.medsync.photo.rectify;

/** A position in photo pixels; (0, 0) is the centre of the top-left pixel, as in OpenCV. */
public record Point(double x, double y) {
    public Point {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a point needs finite coordinates, got (" + x + ", " + y + ")");
        }
    }

    double distance(Point o) {
        return Math.hypot(x - o.x, y - o.y);
    }
}
