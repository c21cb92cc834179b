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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.measure.Stats;

/** docs/img/photo-restore.png: one held-out example (original, photo, classical, DnCNN) over the PSNR bars. */
final class PhotoFigure {
    private static final int TILE = 256;

    private PhotoFigure() {}

    static void write(Path png, GrayImage[] example, Map<String, Stats[]> stats) throws IOException {
        int w = 4 * TILE + 50;
        int h = TILE + 60 + 380;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String[] names = {"displayed (held out)", "rectified photo", "stretch + NLM", "DnCNN"};
        for (int i = 0; i < 4 && example[i] != null; i++) {
            g.drawImage(scaled(example[i]), 10 + i * (TILE + 10), 30, null);
            g.drawString(names[i], 10 + i * (TILE + 10), 22);
        }
        int top = TILE + 60;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(
                "PSNR mean and SD (dB) on held-out simulated photos; paper (Table 1, test): 13.6 -> 29.0 dB", 10, top);
        List<String> keys = new ArrayList<>(stats.keySet());
        int chartTop = top + 20;
        int chartBottom = h - 60;
        double max = 40;
        int left = 50;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int db = 0; db <= 40; db += 10) {
            int y = chartBottom - (int) (db / max * (chartBottom - chartTop));
            g.setColor(new Color(220, 220, 220));
            g.drawLine(left, y, w - 10, y);
            g.setColor(Color.BLACK);
            g.drawString(db + "", 20, y + 4);
        }
        int slot = (w - left - 20) / keys.size();
        for (int i = 0; i < keys.size(); i++) {
            Stats p = stats.get(keys.get(i))[0];
            String regime = keys.get(i).split("\\|")[0];
            int x = left + 5 + i * slot;
            int y = chartBottom - (int) (p.mean() / max * (chartBottom - chartTop));
            g.setColor(
                    switch (regime) {
                        case "IN_RANGE" -> new Color(40, 90, 200);
                        case "HARSH" -> new Color(150, 150, 150);
                        default -> new Color(220, 120, 30);
                    });
            g.fillRect(x, y, slot - 10, chartBottom - y);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            int y1 = chartBottom - (int) ((p.mean() + p.sd()) / max * (chartBottom - chartTop));
            int y2 = chartBottom - (int) ((p.mean() - p.sd()) / max * (chartBottom - chartTop));
            g.drawLine(x + (slot - 10) / 2, y1, x + (slot - 10) / 2, y2);
            g.drawString(String.format(Locale.ROOT, "%.1f", p.mean()), x + 2, y - 4);
            String label = keys.get(i)
                    .split("\\|")[1]
                    .replace("stretch + non-local means", "stretch+NLM")
                    .replace("histogram matched", "hist. match")
                    .replace("rectified photo", "photo")
                    .replace(" (shipped)", "");
            g.drawString(label, x, chartBottom + 14);
        }
        g.setColor(new Color(40, 90, 200));
        g.drawString("blue: in training ranges", left, h - 20);
        g.setColor(new Color(220, 120, 30));
        g.drawString("orange: gamma, moire period, noise outside the training ranges", left + 180, h - 20);
        g.setColor(new Color(150, 150, 150));
        g.drawString("grey: the harsh pre-calibration noise and glare", left + 600, h - 20);
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
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
