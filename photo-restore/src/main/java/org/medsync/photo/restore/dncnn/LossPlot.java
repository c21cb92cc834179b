package org.medsync.photo.restore.dncnn;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The training loss curve (PSNR of the training patches per step, and its 25-step running mean) as a PNG. */
final class LossPlot {
    private LossPlot() {}

    static void write(List<String> csv, Path png) throws IOException {
        int n = csv.size() - 1;
        double[] db = new double[n];
        for (int i = 0; i < n; i++) {
            db[i] = Double.parseDouble(csv.get(i + 1).split(",")[2]);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : db) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        lo = Math.floor(lo);
        hi = Math.ceil(hi + 0.5);
        int w = 800;
        int h = 400;
        int left = 60;
        int bottom = 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.drawLine(left, h - bottom, w - 10, h - bottom);
        g.drawLine(left, 10, left, h - bottom);
        g.drawString("training step (1.." + n + ")", w / 2 - 50, h - 10);
        g.drawString(String.format(Locale.ROOT, "%.0f dB", hi), 5, 20);
        g.drawString(String.format(Locale.ROOT, "%.0f dB", lo), 5, h - bottom);
        g.drawString("PSNR of the restored training patches (grey: per step, blue: 25-step mean)", left + 10, 25);
        double sx = (w - 10 - left) / (double) Math.max(1, n - 1);
        double sy = (h - bottom - 10) / (hi - lo);
        g.setColor(new Color(180, 180, 180));
        for (int i = 1; i < n; i++) {
            g.drawLine(
                    left + (int) ((i - 1) * sx),
                    h - bottom - (int) ((db[i - 1] - lo) * sy),
                    left + (int) (i * sx),
                    h - bottom - (int) ((db[i] - lo) * sy));
        }
        g.setColor(new Color(30, 80, 200));
        g.setStroke(new BasicStroke(2f));
        double prev = Double.NaN;
        for (int i = 0; i < n; i++) {
            double s = 0;
            int c = 0;
            for (int j = Math.max(0, i - 24); j <= i; j++) {
                s += db[j];
                c++;
            }
            double m = s / c;
            if (i > 0) {
                g.drawLine(
                        left + (int) ((i - 1) * sx),
                        h - bottom - (int) ((prev - lo) * sy),
                        left + (int) (i * sx),
                        h - bottom - (int) ((m - lo) * sy));
            }
            prev = m;
        }
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
