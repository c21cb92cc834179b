package org.medsync.server.photo;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.medsync.dicom.derived.SecondaryCapture;
import org.medsync.photo.fiducial.PhotoModeFrame;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.simulate.Homography;

/**
 * Test material: a study image (a head-like phantom, 256x256, 8 bit), stored in the library as a study, and a
 * "photo" of it on a screen: warped by a known homography onto a darker background, then JPEG-compressed.
 */
final class SimulatedPhoto {
    static final int SOURCE = 256;
    static final int PHOTO_W = 800;
    static final int PHOTO_H = 600;
    /** Where the image's corners land in the photo (TL, TR, BR, BL): a mild perspective, as a hand-held phone. */
    static final double[][] CORNERS = {{170, 80}, {640, 105}, {615, 545}, {185, 520}};

    private SimulatedPhoto() {}

    /** A phantom: bright skull ring, grey brain, darker ventricles, a small bright lesion; black outside. */
    static byte[] sourceImage() {
        byte[] px = new byte[SOURCE * SOURCE];
        double c = (SOURCE - 1) / 2.0;
        for (int y = 0; y < SOURCE; y++) {
            for (int x = 0; x < SOURCE; x++) {
                double dx = (x - c) / 110.0;
                double dy = (y - c) / 120.0;
                double r = Math.hypot(dx, dy);
                int v;
                if (r > 1) {
                    v = 0;
                } else if (r > 0.88) {
                    v = 235;
                } else {
                    v = 120 + (int) (20 * Math.sin(x / 9.0) * Math.cos(y / 11.0));
                    if (Math.hypot((x - c + 22) / 14.0, (y - c) / 30.0) < 1
                            || Math.hypot((x - c - 22) / 14.0, (y - c) / 30.0) < 1) {
                        v = 45;
                    }
                    if (Math.hypot(x - 170, y - 90) < 9) {
                        v = 200;
                    }
                }
                px[y * SOURCE + x] = (byte) v;
            }
        }
        return px;
    }

    /** The source study as a Part 10 file in {@code dir}; its Study Instance UID is {@code studyUid}. */
    static Path sourceStudy(Path dir, String studyUid) throws IOException {
        byte[] dicom = SecondaryCapture.write(new SecondaryCapture.Request(
                sourceImage(),
                SOURCE,
                SOURCE,
                new SecondaryCapture.Study(
                        studyUid,
                        "PHOTO^TEST SUBJECT",
                        "PHOTO-TEST-1",
                        "19700101",
                        "O",
                        "20261206",
                        "080000",
                        "ACC-PHOTO",
                        "1",
                        null,
                        "Photo intake test study (synthetic)"),
                SecondaryCapture.newUid(),
                1,
                SecondaryCapture.newUid(),
                1,
                null,
                "Synthetic phantom for the photo intake tests",
                null,
                null,
                ZonedDateTime.now(ZoneOffset.UTC)));
        Path f = dir.resolve("source.dcm");
        Files.write(f, dicom);
        return f;
    }

    /** The photo: the source on a screen at {@link #CORNERS}, a dark room around it, JPEG quality 0.9. */
    static byte[] jpeg() throws IOException {
        return jpeg(sourceImage(), SOURCE, SOURCE, CORNERS);
    }

    /** A photo of {@code src} ({@code sw x sh}, 8 bit) on a screen whose corners land at {@code corners}. */
    static byte[] jpeg(byte[] src, int sw, int sh, double[][] corners) throws IOException {
        return encodeJpeg(render(src, sw, sh, corners, true), 0.9f);
    }

    /**
     * The source shown with a true black on a black viewer, photographed in a dark room: the image's black surround
     * meets a black screen frame and a black desk, so nothing marks where the image ends. The screen finder cannot
     * be sure of its corners (docs/photo-intake.md, "Rectification", limits): the page must ask for them.
     */
    static byte[] blackSurroundJpeg() throws IOException {
        return encodeJpeg(render(sourceImage(), SOURCE, SOURCE, CORNERS, false), 0.9f);
    }

    /** The ordinary photo ({@link #jpeg()}) out of focus: a Gaussian of {@code sigma} photo pixels before JPEG. */
    static byte[] blurredJpeg(double sigma) throws IOException {
        BufferedImage img = render(sourceImage(), SOURCE, SOURCE, CORNERS, true);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        double[] rows = new double[px.length];
        for (int y = 0; y < PHOTO_H; y++) {
            for (int x = 0; x < PHOTO_W; x++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * (px[y * PHOTO_W + Math.clamp(x + i, 0, PHOTO_W - 1)] & 0xFF);
                }
                rows[y * PHOTO_W + x] = v / sum;
            }
        }
        for (int y = 0; y < PHOTO_H; y++) {
            for (int x = 0; x < PHOTO_W; x++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * rows[Math.clamp(y + i, 0, PHOTO_H - 1) * PHOTO_W + x];
                }
                px[y * PHOTO_W + x] = (byte) Math.round(v / sum);
            }
        }
        return encodeJpeg(img, 0.9f);
    }

    /**
     * The photo's pixels: {@code src} on a screen at {@code corners}; with {@code litRoom} the screen's black is
     * lifted and a dark desk surrounds it, else screen, frame and desk are all black.
     */
    private static BufferedImage render(byte[] src, int sw, int sh, double[][] corners, boolean litRoom) {
        Homography photoToSource = Homography.fit(
                new double[] {
                    corners[0][0], corners[0][1], corners[1][0], corners[1][1],
                    corners[2][0], corners[2][1], corners[3][0], corners[3][1]
                },
                new double[] {0, 0, sw, 0, sw, sh, 0, sh});
        double[] uv = new double[2];
        BufferedImage img = new BufferedImage(PHOTO_W, PHOTO_H, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < PHOTO_H; y++) {
            for (int x = 0; x < PHOTO_W; x++) {
                photoToSource.map(x + 0.5, y + 0.5, uv);
                double u = uv[0] - 0.5;
                double v = uv[1] - 0.5;
                int value;
                if (u >= -0.5 && v >= -0.5 && u <= sw - 0.5 && v <= sh - 0.5) {
                    // The screen shows the image a little lifted (a display's black is not black).
                    value = (litRoom ? 18 : 0) + (int) Math.round(bilinear(src, sw, sh, u, v) * 0.9);
                } else {
                    // A dark desk with a faint gradient: darker than the screen's frame, not flat.
                    value = litRoom ? 40 + (x + y) / 80 : 0;
                }
                out[y * PHOTO_W + x] = (byte) Math.min(255, value);
            }
        }
        return img;
    }

    private static double bilinear(byte[] src, int sw, int sh, double u, double v) {
        int x0 = (int) Math.floor(Math.max(0, Math.min(sw - 1, u)));
        int y0 = (int) Math.floor(Math.max(0, Math.min(sh - 1, v)));
        int x1 = Math.min(sw - 1, x0 + 1);
        int y1 = Math.min(sh - 1, y0 + 1);
        double fx = Math.max(0, Math.min(1, u - x0));
        double fy = Math.max(0, Math.min(1, v - y0));
        double a = src[y0 * sw + x0] & 0xFF;
        double b = src[y0 * sw + x1] & 0xFF;
        double c = src[y1 * sw + x0] & 0xFF;
        double d = src[y1 * sw + x1] & 0xFF;
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private static byte[] encodeJpeg(BufferedImage img, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A photo of the viewer in photo mode: the source framed by {@link PhotoModeFrame#render} (markers at its corners,
     * the token's QR code below), photographed at a perspective.
     */
    static byte[] photoModeJpeg(String token) throws IOException {
        byte[] src = sourceImage();
        float[] f = new float[src.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (src[i] & 0xFF) / 255f;
        }
        PhotoModeFrame.Layout layout =
                PhotoModeFrame.render(new GrayImage(SOURCE, SOURCE, f), PhotoModeFrame.qrText(token), 64, 96, 0.05f);
        GrayImage frame = layout.frame();
        byte[] px = new byte[frame.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(Math.max(0, Math.min(1, frame.pixels()[i])) * 255);
        }
        // Filling most of the frame: the image itself must span more than the gate's 300 px.
        double[][] at = {{150, 5}, {650, 25}, {640, 595}, {160, 580}};
        return jpeg(px, frame.width(), frame.height(), at);
    }

    /** What the screen shows of the source (a display's black is lifted), the reference of a rectified photo. */
    static byte[] displayed() {
        byte[] src = sourceImage();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) (18 + Math.round((src[i] & 0xFF) * 0.9));
        }
        return out;
    }

    /** What the screen of {@link #blackSurroundJpeg()} shows of the source: a true black, not lifted. */
    static byte[] displayedOnBlack() {
        byte[] src = sourceImage();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) Math.round((src[i] & 0xFF) * 0.9);
        }
        return out;
    }

    /** PSNR in dB of two 8-bit images of the same size. */
    static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xFF) - (b[i] & 0xFF);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** The grey values of a PNG, resized (bilinear) to {@code w x h} when it is another size. */
    static byte[] grey(byte[] png, int w, int h) throws IOException {
        BufferedImage in = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(in, 0, 0, w, h, null);
        g.dispose();
        return ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    }
}
