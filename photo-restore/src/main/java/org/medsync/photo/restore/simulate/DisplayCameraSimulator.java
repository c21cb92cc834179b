package org.medsync.photo.restore.simulate;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.medsync.photo.image.GrayImage;

/**
 * A phone photo of an image on a screen, rectified back to the image's own pixel grid as the intake pipeline
 * does. In order: the 8-bit image on the display (gamma, black level), the moire beat of the screen's sub-pixel
 * grid against the sensor, a reflected lamp (glare), the keystone of a hand-held phone (perspective into the
 * photo), defocus and shake, sensor exposure and noise, the phone's tone curve, 8 bits and JPEG, then
 * rectification with the (slightly wrong) corners back to the image's size. Parameters: {@link Parameter}.
 *
 * <p>Deterministic: the same image and {@link Settings} give the same pixels, whatever the thread count.
 */
public final class DisplayCameraSimulator {
    /** The camera's encoding exponent (a pure power rather than the piecewise sRGB curve, so neutral is exact). */
    public static final double CAMERA_ENCODING_GAMMA = 2.2;

    /** Luminance of the bezel around the screen, seen in the photo's margin. */
    private static final float BEZEL = 0.02f;

    /** Margin of the photo around the screen, as a fraction of the screen's size in the photo. */
    private static final double MARGIN = 0.1;

    private DisplayCameraSimulator() {}

    /** The rectified photo of {@code displayed} (values 0..1 as sent to an 8-bit display), same size. */
    public static GrayImage photograph(GrayImage displayed, Settings s) {
        int w = displayed.width();
        int h = displayed.height();
        SplittableRandom random = new SplittableRandom(s.seed());
        float[] luminance = displayTone(displayed.pixels(), s);
        luminance = moire(luminance, w, h, s, random.nextDouble() * 2 * Math.PI, random.nextDouble() * 2 * Math.PI);
        glare(luminance, w, h, s);

        double scale = s.get(Parameter.CAMERA_SCALE);
        double sw = w * scale;
        double sh = h * scale;
        int pw = (int) Math.ceil(sw * (1 + 2 * MARGIN));
        int ph = (int) Math.ceil(sh * (1 + 2 * MARGIN));
        double jitter = s.get(Parameter.PERSPECTIVE) * Math.min(pw, ph);
        double[] screen = {0, 0, w - 1, 0, w - 1, h - 1, 0, h - 1};
        double[] inPhoto = new double[8];
        double[] perceived = new double[8];
        double errorPx = s.get(Parameter.CORNER_ERROR);
        for (int i = 0; i < 4; i++) {
            double cx = pw / 2.0 + (screen[2 * i] - (w - 1) / 2.0) * scale;
            double cy = ph / 2.0 + (screen[2 * i + 1] - (h - 1) / 2.0) * scale;
            // Corners only move inwards, so the screen stays inside the photo.
            double inwardX = i == 0 || i == 3 ? 1 : -1;
            double inwardY = i < 2 ? 1 : -1;
            inPhoto[2 * i] = cx + inwardX * jitter * random.nextDouble();
            inPhoto[2 * i + 1] = cy + inwardY * jitter * random.nextDouble();
            double direction = random.nextDouble() * 2 * Math.PI;
            perceived[2 * i] = inPhoto[2 * i] + errorPx * Math.cos(direction);
            perceived[2 * i + 1] = inPhoto[2 * i + 1] + errorPx * Math.sin(direction);
        }
        float[] photo = Planes.warp(luminance, w, h, Homography.fit(inPhoto, screen), pw, ph, BEZEL);
        // Blur lengths are given in image pixels; in the photo they scale with the screen's size there.
        double photoScale = Math.sqrt(polygonArea(inPhoto) / ((double) (w - 1) * (h - 1)));
        photo = Planes.gaussian(photo, pw, ph, s.get(Parameter.DEFOCUS_SIGMA) * photoScale);
        photo = Planes.motion(
                photo,
                pw,
                ph,
                s.get(Parameter.MOTION_LENGTH) * photoScale,
                Math.toRadians(s.get(Parameter.MOTION_ANGLE)));
        byte[] encoded = sensorAndTone(photo, s, random);
        float[] decoded = jpeg(encoded, pw, ph, (int) Math.round(s.get(Parameter.JPEG_QUALITY)));
        float[] rectified = Planes.warp(decoded, pw, ph, Homography.fit(screen, perceived), w, h, BEZEL);
        for (int i = 0; i < rectified.length; i++) {
            rectified[i] = Math.clamp(rectified[i], 0f, 1f);
        }
        return new GrayImage(w, h, rectified);
    }

    /** Display: 8-bit drive value to relative luminance, black + (1 - black) v^gamma. */
    static float[] displayTone(float[] v, Settings s) {
        double gamma = s.get(Parameter.DISPLAY_GAMMA);
        double black = s.get(Parameter.BLACK_LEVEL);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double drive = Math.round(Math.clamp(v[i], 0f, 1f) * 255) / 255.0;
            out[i] = (float) (black + (1 - black) * Math.pow(drive, gamma));
        }
        return out;
    }

    /**
     * The visible beat of the screen's pixel grid against the sensor's: a grating of the documented period and
     * direction (0.7 of the amplitude) and a weaker one at right angles with a 1.37 times longer period.
     */
    static float[] moire(float[] l, int w, int h, Settings s, double phase1, double phase2) {
        double a = s.get(Parameter.MOIRE_AMPLITUDE);
        if (a == 0) {
            return l.clone();
        }
        double period = s.get(Parameter.MOIRE_PERIOD);
        double theta = Math.toRadians(s.get(Parameter.MOIRE_ANGLE));
        double c = Math.cos(theta);
        double sn = Math.sin(theta);
        float[] out = new float[l.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x * c + y * sn;
                double v = -x * sn + y * c;
                double m = 0.7 * Math.cos(2 * Math.PI * u / period + phase1)
                        + 0.3 * Math.cos(2 * Math.PI * v / (1.37 * period) + phase2);
                out[y * w + x] = (float) (l[y * w + x] * (1 - a * m));
            }
        }
        return out;
    }

    /** A lamp reflected in the screen: a Gaussian blob added to the luminance, in place. */
    static void glare(float[] l, int w, int h, Settings s) {
        double g = s.get(Parameter.GLARE_STRENGTH);
        if (g == 0) {
            return;
        }
        double cx = s.get(Parameter.GLARE_X) * (w - 1);
        double cy = s.get(Parameter.GLARE_Y) * (h - 1);
        double sigma = s.get(Parameter.GLARE_RADIUS) * Math.hypot(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                l[y * w + x] += (float) (g * Math.exp(-r2 / (2 * sigma * sigma)));
            }
        }
    }

    /** Exposure, shot and read noise, the phone's encoding and S-curve, 8 bits. */
    static byte[] sensorAndTone(float[] luminance, Settings s, SplittableRandom random) {
        double exposure = s.get(Parameter.EXPOSURE);
        double shot = s.get(Parameter.SHOT_NOISE);
        double read = s.get(Parameter.READ_NOISE);
        double contrast = s.get(Parameter.TONE_CONTRAST);
        byte[] out = new byte[luminance.length];
        for (int i = 0; i < luminance.length; i++) {
            double signal = luminance[i] * exposure;
            double sd = Math.sqrt(shot * Math.max(0, signal) + read * read);
            if (sd > 0) {
                signal += sd * random.nextGaussian();
            }
            double y = Math.pow(Math.clamp(signal, 0, 1), 1 / CAMERA_ENCODING_GAMMA);
            y -= contrast * Math.sin(2 * Math.PI * y) / (2 * Math.PI);
            out[i] = (byte) Math.round(Math.clamp(y, 0, 1) * 255);
        }
        return out;
    }

    /** Through the phone's JPEG encoder and back (baseline, the JDK's libjpeg-derived codec). */
    static float[] jpeg(byte[] gray, int w, int h, int quality) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(gray, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, gray.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality((float) Math.clamp(quality / 100.0, 0.01, 1.0));
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        BufferedImage back;
        try {
            back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JPEG decoding failed", e);
        }
        byte[] px = ((DataBufferByte) back.getRaster().getDataBuffer()).getData();
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (px[i] & 0xff) / 255f;
        }
        return out;
    }

    private static double polygonArea(double[] p) {
        double a = 0;
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            a += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        return Math.abs(a) / 2;
    }
}
