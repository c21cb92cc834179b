package org.medsync.bench.photo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.measure.Stats;

/**
 * docs/img/photo-read.png: one scene as original, photo and restoration over the AUROC of every split and run (dots),
 * their mean (bar) and the paper's mean (grey bar) per version.
 */
final class PhotoReadFigure {
    private static final int TILE = 256;

    private PhotoReadFigure() {}

    static void write(Path png, GrayImage[] example, Map<String, List<Double>> auroc, double[] paper)
            throws IOException {
        int w = 3 * TILE + 40;
        int h = TILE + 60 + 360;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String[] names = {"original with lesions", "photographed (simulator)", "restored (DnCNN)"};
        for (int i = 0; example != null && i < 3; i++) {
            g.drawImage(scaled(example[i]), 10 + i * (TILE + 10), 30, null);
            g.drawString(names[i], 10 + i * (TILE + 10), 22);
        }
        int top = TILE + 60;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("AUROC per split and run (dots), mean (blue) and the paper's mean (grey)", 10, top);
        int chartTop = top + 20;
        int chartBottom = h - 50;
        int left = 50;
        double lo = 0.5;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 5; t++) {
            double v = lo + t * 0.1;
            int y = y(v, lo, chartTop, chartBottom);
            g.setColor(new Color(220, 220, 220));
            g.drawLine(left, y, w - 10, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), 20, y + 4);
        }
        List<String> keys = List.copyOf(auroc.keySet());
        int slot = (w - left - 20) / keys.size();
        for (int i = 0; i < keys.size(); i++) {
            List<Double> xs = auroc.get(keys.get(i));
            int x = left + 10 + i * slot;
            int bar = (slot - 30) / 2;
            int yp = y(paper[i], lo, chartTop, chartBottom);
            g.setColor(new Color(170, 170, 170));
            g.fillRect(x, yp, bar, chartBottom - yp);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "paper %.3f", paper[i]), x, yp - 4);
            if (!xs.isEmpty()) {
                Stats st = Stats.of(xs);
                int ym = y(st.mean(), lo, chartTop, chartBottom);
                g.setColor(new Color(40, 90, 200));
                g.fillRect(x + bar + 10, ym, bar, chartBottom - ym);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.3f", st.mean()), x + bar + 10, ym - 4);
                g.setColor(new Color(220, 120, 30));
                g.setStroke(new BasicStroke(1f));
                for (int k = 0; k < xs.size(); k++) {
                    int yd = y(xs.get(k), lo, chartTop, chartBottom);
                    g.fillOval(x + bar + 14 + (k * 7) % Math.max(1, bar - 8), yd - 3, 6, 6);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(keys.get(i), x, chartBottom + 16);
        }
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static int y(double v, double lo, int top, int bottom) {
        return bottom - (int) (Math.clamp((v - lo) / (1 - lo), 0, 1) * (bottom - top));
    }

    private static BufferedImage scaled(GrayImage gi) {
        BufferedImage out = new BufferedImage(TILE, TILE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < TILE; y++) {
            for (int x = 0; x < TILE; x++) {
                float v = gi.at(x * gi.width() / TILE, y * gi.height() / TILE);
                out.getRaster().setSample(x, y, 0, Math.round(Math.clamp(v, 0f, 1f) * 255));
            }
        }
        return out;
    }
}
