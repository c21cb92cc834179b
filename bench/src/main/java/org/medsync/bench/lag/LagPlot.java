package org.medsync.bench.lag;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * Line charts as PNG, like the panels of the paper's Fig. 3: one line per series over a numeric x axis, linear or
 * logarithmic y. A value that is infinite (an update never shown) is drawn as a triangle at the top edge.
 */
public final class LagPlot {
    public record Series(String name, Color color, boolean dashed, List<double[]> points) {}

    private static final Stroke SOLID = new BasicStroke(2f);
    private static final Stroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {7, 5}, 0);

    private LagPlot() {}

    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
            throws IOException {
        lines(png, title, null, xLabel, yLabel, series, logY);
    }

    /** As above, with a small {@code footnote} under the chart (null: none), e.g. the run and its command. */
    public static void lines(
            Path png, String title, String footnote, String xLabel, String yLabel, List<Series> series, boolean logY)
            throws IOException {
        int w = 900;
        int h = 560;
        int left = 80;
        int right = w - 230;
        int top = 50;
        int bottom = h - 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
                if (Double.isFinite(p[1]) && (!logY || p[1] > 0)) {
                    yMin = Math.min(yMin, p[1]);
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        if (yMax < yMin) { // nothing finite to draw (every update lost, say): an empty frame
            yMin = logY ? 1 : 0;
            yMax = logY ? 10 : 1;
        }
        if (logY) {
            yMin = Math.pow(10, Math.floor(Math.log10(yMin)));
            yMax = Math.max(yMin * 10, Math.pow(10, Math.ceil(Math.log10(yMax))));
        } else {
            yMin = Math.min(0, yMin);
            yMax = yMax <= yMin ? yMin + 1 : yMax * 1.1;
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        final double x0 = xMin;
        final double x1 = xMax;
        final double y0 = yMin;
        final double y1 = yMax;
        DoubleUnaryOperator px = x -> left + (x - x0) / (x1 - x0) * (right - left);
        DoubleUnaryOperator py = y -> {
            double f =
                    logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (y - y0) / (y1 - y0);
            return bottom - f * (bottom - top);
        };

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        if (logY) {
            for (double y = y0; y <= y1 * 1.0001; y *= 10) {
                gridY(g, (int) py.applyAsDouble(y), left, right, fmt(y));
            }
        } else {
            for (int k = 0; k <= 5; k++) {
                double y = y0 + (y1 - y0) * k / 5;
                gridY(g, (int) py.applyAsDouble(y), left, right, fmt(y));
            }
        }
        SortedSet<Double> xs = new TreeSet<>();
        series.forEach(s -> s.points().forEach(p -> xs.add(p[0])));
        for (double x : xs) {
            int xp = (int) px.applyAsDouble(x);
            g.setColor(new Color(235, 235, 235));
            g.drawLine(xp, top, xp, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmt(x), xp - 8, bottom + 16);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        g.drawString(xLabel, (left + right) / 2 - 40, bottom + 36);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + bottom) / 2 - 40, 18);
        g.rotate(Math.PI / 2);

        int ly = top;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? DASHED : SOLID);
            int[] prev = null;
            for (double[] p : s.points()) {
                int xp = (int) px.applyAsDouble(p[0]);
                int yp = Double.isInfinite(p[1])
                        ? top
                        : (int) Math.max(top, Math.min(bottom, py.applyAsDouble(logY ? Math.max(p[1], y0) : p[1])));
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], xp, yp);
                }
                if (Double.isInfinite(p[1])) {
                    g.fillPolygon(new int[] {xp - 5, xp + 5, xp}, new int[] {top + 8, top + 8, top}, 3);
                } else {
                    g.fillOval(xp - 3, yp - 3, 7, 7);
                }
                prev = new int[] {xp, yp};
            }
            g.drawLine(right + 15, ly + 6, right + 45, ly + 6);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), right + 52, ly + 10);
            ly += 18;
        }
        if (footnote != null) {
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(footnote, 10, h - 6);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void gridY(Graphics2D g, int y, int left, int right, String label) {
        g.setColor(new Color(235, 235, 235));
        g.drawLine(left, y, right, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2g", v);
    }
}
