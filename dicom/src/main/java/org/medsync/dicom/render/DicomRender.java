package org.medsync.dicom.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;

/** Server-side decoding and rendering: decoded frames, the PS3.3 linear VOI function, thumbnails. */
public final class DicomRender {

    private DicomRender() {}

    /**
     * Decodes frame {@code frameNumber} (1-based) to modality values (monochrome) or RGB (colour); see
     * {@link DecodedFrame}.
     */
    public static DecodedFrame decode(Path file, int frameNumber) throws DicomFormatException {
        return FrameDecoder.decode(file, frameNumber).frame();
    }

    /**
     * PS3.3 C.11.2.1.2.1, linear VOI LUT function, output range 0..255, literally:
     *
     * <pre>
     *   if      (x &lt;= c - 0.5 - (w-1)/2)  y = 0
     *   else if (x &gt;  c - 0.5 + (w-1)/2)  y = 255
     *   else    y = ((x - (c - 0.5)) / (w-1) + 0.5) * 255      rounded to nearest
     * </pre>
     *
     * MONOCHROME1 is inverted after the VOI (255 - y). Colour frames are windowed on their luma
     * (0.299 R + 0.587 G + 0.114 B). Width below 1 is treated as 1 (the standard requires w &gt;= 1).
     */
    public static byte[] windowToGrey8(DecodedFrame f, double center, double width) {
        double c = center;
        double w = Math.max(1, width);
        double lower = c - 0.5 - (w - 1) / 2;
        double upper = c - 0.5 + (w - 1) / 2;
        int n = f.rows() * f.columns();
        boolean invert = "MONOCHROME1".equals(f.photometricInterpretation());
        float[] v = f.values();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            double x = f.monochrome() ? v[i] : 0.299 * v[3 * i] + 0.587 * v[3 * i + 1] + 0.114 * v[3 * i + 2];
            int y;
            if (x <= lower) {
                y = 0;
            } else if (x > upper) {
                y = 255;
            } else {
                y = (int) Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
                y = Math.max(0, Math.min(255, y));
            }
            out[i] = (byte) (invert ? 255 - y : y);
        }
        return out;
    }

    /**
     * A thumbnail of the middle frame, at most {@code maxSize} pixels on its longer side (aspect kept, never
     * enlarged): monochrome windowed by the file's first Window Center/Width or else its min/max, colour as is.
     */
    public static BufferedImage thumbnail(Path file, int maxSize) throws DicomFormatException {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        ScannedDataset header = Part10Scanner.scan(file);
        int middle = (header.numberOfFrames() + 1) / 2;
        FrameDecoder.Result r = FrameDecoder.decode(file, middle);
        DecodedFrame f = r.frame();
        BufferedImage full;
        if (f.monochrome()) {
            double[] cw = defaultWindow(r.dataset(), f);
            full = new BufferedImage(f.columns(), f.rows(), BufferedImage.TYPE_BYTE_GRAY);
            byte[] grey = windowToGrey8(f, cw[0], cw[1]);
            System.arraycopy(grey, 0, ((DataBufferByte) full.getRaster().getDataBuffer()).getData(), 0, grey.length);
        } else {
            full = new BufferedImage(f.columns(), f.rows(), BufferedImage.TYPE_INT_RGB);
            float[] v = f.values();
            int[] rgb = new int[f.rows() * f.columns()];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (int) v[3 * i] << 16 | (int) v[3 * i + 1] << 8 | (int) v[3 * i + 2];
            }
            full.setRGB(0, 0, f.columns(), f.rows(), rgb, 0, f.columns());
        }
        return scale(full, maxSize);
    }

    /** First Window Center/Width of the file, else centre and width of the value range. */
    static double[] defaultWindow(ScannedDataset ds, DecodedFrame f) {
        double[] c = ds.decimals(0x00281050);
        double[] w = ds.decimals(0x00281051);
        if (c.length > 0 && w.length > 0 && Double.isFinite(c[0]) && Double.isFinite(w[0]) && w[0] >= 1) {
            return new double[] {c[0], w[0]};
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : f.values()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return new double[] {(min + max) / 2.0 + 0.5, Math.max(1, max - min + 1)};
    }

    /** Downscale by repeated halving then one bilinear step (cheap and without aliasing). */
    private static BufferedImage scale(BufferedImage img, int maxSize) {
        int w = img.getWidth();
        int h = img.getHeight();
        double k = Math.min(1.0, (double) maxSize / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * k));
        int th = Math.max(1, (int) Math.round(h * k));
        BufferedImage cur = img;
        while (cur.getWidth() / 2 >= tw && cur.getHeight() / 2 >= th && cur.getWidth() > tw) {
            cur = resize(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        return cur.getWidth() == tw && cur.getHeight() == th ? cur : resize(cur, tw, th);
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, src.getType());
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return dst;
    }
}
