package org.medsync.bench.rtv;

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

/** Grouped bars: CPU ms per frame (send, receive) per implementation and format, sustained fps as labels. */
final class RtvPlot {

    private RtvPlot() {}

    static void cpuAndFps(Path png, List<RtvBenchmark.Row> rows) throws IOException {
        int w = 220 * rows.size() + 120;
        int h = 520;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("DICOM-RTV loopback: CPU ms per frame (send | receive), sustained fps, loss", 20, 28);
        double max = 1;
        for (RtvBenchmark.Row r : rows) {
            max = Math.max(max, Math.max(r.sendCpuMsPerFrame(), r.recvCpuMsPerFrame()));
        }
        max *= 1.2;
        int top = 60;
        int bottom = h - 110;
        int left = 70;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        for (int k = 0; k <= 5; k++) {
            int y = bottom - (int) ((bottom - top) * k / 5.0);
            g.setColor(new Color(220, 220, 220));
            g.drawLine(left, y, w - 20, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f ms", max * k / 5), 10, y + 4);
        }
        for (int i = 0; i < rows.size(); i++) {
            RtvBenchmark.Row r = rows.get(i);
            int x = left + 20 + i * 220;
            bar(g, x, bottom, top, r.sendCpuMsPerFrame(), max, new Color(70, 130, 180));
            bar(g, x + 70, bottom, top, r.recvCpuMsPerFrame(), max, new Color(230, 140, 40));
            g.setColor(Color.BLACK);
            g.drawString(r.impl(), x, bottom + 20);
            g.drawString(r.format(), x, bottom + 36);
            g.drawString(String.format(Locale.ROOT, "%.1f fps, %d drops", r.fps(), r.socketDrops()), x, bottom + 52);
            if (r.latencyP50Ms() >= 0) {
                g.drawString(
                        String.format(
                                Locale.ROOT, "latency p50 %.0f / p99 %.0f ms", r.latencyP50Ms(), r.latencyP99Ms()),
                        x,
                        bottom + 68);
            }
        }
        g.setColor(new Color(70, 130, 180));
        g.fillRect(w - 260, 40, 12, 12);
        g.setColor(new Color(230, 140, 40));
        g.fillRect(w - 140, 40, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("send", w - 244, 51);
        g.drawString("receive", w - 124, 51);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void bar(Graphics2D g, int x, int bottom, int top, double v, double max, Color c) {
        int bh = (int) Math.max(0, v / max * (bottom - top));
        g.setColor(c);
        g.fillRect(x, bottom - bh, 60, bh);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.1f", v), x + 10, bottom - bh - 4);
    }
}
