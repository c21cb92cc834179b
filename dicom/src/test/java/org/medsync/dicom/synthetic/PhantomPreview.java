package org.medsync.dicom.synthetic;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

/** Dev tool: writes brain-window PNGs of a few slices of the phantom to dicom/target/phantom. */
public final class PhantomPreview {
    public static void main(String[] args) throws Exception {
        SyntheticCtHead.Options o = SyntheticCtHead.Options.defaults();
        Path dir = Path.of(args.length > 0 ? args[0] : "target/phantom");
        Files.createDirectories(dir);
        slices(o, dir);
        int[][] tiles = {{40, 80}, {72, 80}, {110, 80}, {20, 2800}, {56, 80}, {130, 80}};
        int t = 384;
        BufferedImage montage = new BufferedImage(3 * t, 2 * t, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = montage.createGraphics();
        g.setRenderingHint(
                java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int i = 0; i < tiles.length; i++) {
            BufferedImage img =
                    javax.imageio.ImageIO.read(dir.resolve("slice" + tiles[i][0] + "_w" + tiles[i][1] + ".png")
                            .toFile());
            if (img != null) {
                g.drawImage(img, (i % 3) * t, (i / 3) * t, t, t, null);
            }
        }
        g.dispose();
        javax.imageio.ImageIO.write(montage, "png", dir.resolve("montage.png").toFile());
    }

    static void slices(SyntheticCtHead.Options o, Path dir) throws Exception {
        for (int slice : new int[] {20, 40, 56, 72, 90, 110, 130}) {
            float[] hu = SyntheticCtHead.sliceHu(o, slice - 1);
            for (double[] w : new double[][] {{40, 80}, {600, 2800}}) {
                BufferedImage img = new BufferedImage(o.size(), o.size(), BufferedImage.TYPE_BYTE_GRAY);
                byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < hu.length; i++) {
                    double v = ((hu[i] - (w[0] - 0.5)) / (w[1] - 1) + 0.5) * 255;
                    px[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
                javax.imageio.ImageIO.write(
                        img,
                        "png",
                        dir.resolve("slice" + slice + "_w" + (int) w[1] + ".png")
                                .toFile());
            }
        }
    }
}
