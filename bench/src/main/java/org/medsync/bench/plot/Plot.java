package org.medsync.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A bar chart with a target line, as PNG: enough to see a result at a glance without a plotting stack. */
public final class Plot {
    private Plot() {}

    public static void bars(Path png, String title, List<String> labels, List<Double> values, double target)
            throws IOException {
        bars(png, title, null, labels, values, target);
    }

    /**
     * Bars with a small {@code footnote} under the chart (null: none), e.g. the run and the command that made the
     * numbers, and a dashed {@code target} line (NaN: none).
     */
    public static void bars(
            Path png, String title, String footnote, List<String> labels, List<Double> values, double target)
            throws IOException {
        int w = 720;
        int h = 420;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);
        double max = Math.max(
                        Double.isNaN(target) ? 0 : target,
                        values.stream().mapToDouble(Double::doubleValue).max().orElse(1))
                * 1.15;
        int left = 70;
        int bottom = h - 50;
        int top = 50;
        int plotH = bottom - top;
        int slot = (w - left - 20) / Math.max(1, values.size());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < values.size(); i++) {
            int bh = (int) (values.get(i) / max * plotH);
            int x = left + i * slot + slot / 6;
            g.setColor(new Color(0x3b6ea5));
            g.fillRect(x, bottom - bh, slot * 2 / 3, bh);
            g.setColor(Color.BLACK);
            g.drawString(number(values.get(i)), x, bottom - bh - 4);
            g.drawString(labels.get(i), x, bottom + 16);
        }
        if (!Double.isNaN(target)) {
            int ty = bottom - (int) (target / max * plotH);
            g.setColor(new Color(0xc0392b));
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
            g.drawLine(left, ty, w - 20, ty);
            g.drawString("target " + number(target), w - 110, ty - 6);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, w - 20, bottom);
        footnote(g, footnote, h);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** Small print at the bottom left of a chart {@code h} pixels high; null draws nothing. */
    private static void footnote(Graphics2D g, String footnote, int h) {
        if (footnote != null) {
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(footnote, 10, h - 6);
        }
    }

    /** Whole numbers as such, others with one decimal (a p50 of 67.8 ms should not read 68). */
    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** One dot per sample (x = sample number) with dashed horizontal target lines, for latency series. */
    public static void dots(
            Path png, String title, List<String> seriesNames, List<List<Double>> series, double... targets)
            throws IOException {
        int w = 900;
        int h = 460;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);
        double max = 0;
        int n = 1;
        for (List<Double> s : series) {
            n = Math.max(n, s.size());
            max = Math.max(
                    max, s.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
        for (double t : targets) {
            max = Math.max(max, t);
        }
        max *= 1.1;
        int left = 60;
        int right = w - 20;
        int top = 50;
        int bottom = h - 40;
        Color[] colors = {new Color(0x3b6ea5), new Color(0xe08a1e), new Color(0x2e8b57), new Color(0x8e44ad)};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < series.size(); k++) {
            g.setColor(colors[k % colors.length]);
            List<Double> s = series.get(k);
            for (int i = 0; i < s.size(); i++) {
                int x = left + (int) ((double) i / Math.max(1, n - 1) * (right - left));
                int y = bottom - (int) (s.get(i) / max * (bottom - top));
                g.fillOval(x - 2, y - 2, 5, 5);
            }
            g.fillRect(left + 10 + k * 170, top - 12, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(seriesNames.get(k), left + 24 + k * 170, top - 3);
        }
        g.setColor(new Color(0xc0392b));
        g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
        for (double t : targets) {
            int ty = bottom - (int) (t / max * (bottom - top));
            g.drawLine(left, ty, right, ty);
            g.drawString(String.format(Locale.ROOT, "%.1f", t), right - 40, ty - 4);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.0f", v), 10, bottom - (int) (v / max * (bottom - top)) + 4);
        }
        g.drawString("sample", right - 50, bottom + 20);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
