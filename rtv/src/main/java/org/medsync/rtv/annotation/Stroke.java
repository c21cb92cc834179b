package org.medsync.rtv.annotation;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stroke a remote expert drew on the video: a polyline in normalised coordinates of the composed frame (0,0 the
 * top-left corner, 1,1 the bottom-right), its colour, its width as a fraction of the frame height, and the RTV RTP
 * timestamp of the frame that was on the expert's screen when it began. {@code author} is what the OR sees next to
 * it: a role ("attending"), never a person's name. Invalid values throw {@link IllegalArgumentException} naming the
 * field: a stroke reaches the receiver only checked.
 */
public record Stroke(String id, String author, long rtpTimestamp, int rgb, double width, List<Point> points) {

    public static final int MAX_POINTS = 2000;
    public static final double MIN_WIDTH = 0.001;
    public static final double MAX_WIDTH = 0.05;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern AUTHOR = Pattern.compile("[a-z][a-z-]{0,31}");

    /** A point of the polyline, each coordinate in 0..1. */
    public record Point(double x, double y) {
        public Point {
            if (!(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) {
                throw new IllegalArgumentException("a point's x and y are 0..1, was " + x + "," + y);
            }
        }
    }

    public Stroke {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id is 1 to 64 of A-Z a-z 0-9 _ -");
        }
        if (!AUTHOR.matcher(author).matches()) {
            throw new IllegalArgumentException("author is a role name: a-z and -, at most 32");
        }
        if (rtpTimestamp < 0 || rtpTimestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("rtpTimestamp is 0..2^32-1, was " + rtpTimestamp);
        }
        if (rgb < 0 || rgb > 0xFF_FFFF) {
            throw new IllegalArgumentException("rgb is 0..0xFFFFFF");
        }
        if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) {
            throw new IllegalArgumentException(
                    "width is " + MIN_WIDTH + ".." + MAX_WIDTH + " of the frame height, was " + width);
        }
        points = List.copyOf(points);
        if (points.isEmpty() || points.size() > MAX_POINTS) {
            throw new IllegalArgumentException("1 to " + MAX_POINTS + " points, was " + points.size());
        }
    }
}
