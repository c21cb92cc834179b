package org.medsync.rtv.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.medsync.st2110.video.VideoFormat;

/** 4:2:2 frames to RGB images and PNG (BT.709 narrow range), headless. */
public final class Snapshots {

    private Snapshots() {}

    public static BufferedImage toImage(ByteBuffer frame, VideoFormat f) {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[f.width()];
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x += 2) {
                int[] p = Raster.pgroup(frame, f, x, y);
                row[x] = rgb(p[1], p[0], p[2]);
                row[x + 1] = rgb(p[3], p[0], p[2]);
            }
            img.setRGB(0, y, f.width(), 1, row, 0, f.width());
        }
        return img;
    }

    private static int rgb(int y10, int cb10, int cr10) {
        double yy = (y10 - 64) / 876.0;
        double pb = (cb10 - 512) / 896.0;
        double pr = (cr10 - 512) / 896.0;
        int r = clamp(yy + 1.5748 * pr);
        int g = clamp(yy - 0.1873 * pb - 0.4681 * pr);
        int b = clamp(yy + 1.8556 * pb);
        return r << 16 | g << 8 | b;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    public static byte[] png(ByteBuffer frame, VideoFormat f) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(toImage(frame, f), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
