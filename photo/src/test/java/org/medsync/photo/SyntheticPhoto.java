package org.medsync.photo;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.medsync.photo.cv.Mats;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.decode.PhotoDecoder;
import org.medsync.photo.decode.PhotoException;
import org.medsync.photo.image.GrayImage;

/**
 * Photos of a screen made in the test: a rendered CT-like phantom warped by a known homography onto a dark desk,
 * then what the camera adds (defocus, a reflection, sensor noise, JPEG). The corners are known exactly, so the
 * finder, the rectifier and the gate can be checked against the truth.
 */
public final class SyntheticPhoto {
    private int width = 640;
    private int height = 480;
    private double[][] corners = {{142.3, 71.8}, {518.6, 95.2}, {497.1, 421.4}, {121.9, 398.7}};
    private double blurSigma = 0.6;
    private double noise = 0.01;
    private double glare = 0;
    private int jpegQuality = 95;
    private long seed = 15;
    private GrayImage source = phantom(256, 256);

    public SyntheticPhoto size(int w, int h) {
        width = w;
        height = h;
        return this;
    }

    public SyntheticPhoto corners(double[][] c) {
        corners = c;
        return this;
    }

    public SyntheticPhoto blur(double sigma) {
        blurSigma = sigma;
        return this;
    }

    public SyntheticPhoto noise(double sigma) {
        noise = sigma;
        return this;
    }

    /** A reflection: a Gaussian spot of this peak brightness (added, then clipped) over the image's centre. */
    public SyntheticPhoto glare(double peak) {
        glare = peak;
        return this;
    }

    /** 0 writes PNG. */
    public SyntheticPhoto jpeg(int quality) {
        jpegQuality = quality;
        return this;
    }

    public SyntheticPhoto seed(long s) {
        seed = s;
        return this;
    }

    public SyntheticPhoto source(GrayImage s) {
        source = s;
        return this;
    }

    public GrayImage source() {
        return source;
    }

    /** The outer corners of the image in the photo, TL, TR, BR, BL. */
    public double[][] corners() {
        return corners;
    }

    public byte[] bytes() {
        SplittableRandom random = new SplittableRandom(seed);
        float[] desk = new float[width * height];
        for (int i = 0; i < desk.length; i++) {
            desk[i] = (float) (0.03 + 0.01 * random.nextDouble());
        }
        double[][] from = {
            {-0.5, -0.5},
            {source.width() - 0.5, -0.5},
            {source.width() - 0.5, source.height() - 0.5},
            {-0.5, source.height() - 0.5}
        };
        float[] ones = new float[source.width() * source.height()];
        Arrays.fill(ones, 1f);
        try (Mat src = Mats.mat(source);
                Mat one = Mats.mat(new GrayImage(source.width(), source.height(), ones));
                Mat a = Mats.points(from);
                Mat b = Mats.points(corners);
                Mat h = getPerspectiveTransform(a, b);
                Size size = new Size(width, height);
                Scalar zero = new Scalar(0.0);
                Mat region = new Mat();
                Mat coverage = new Mat();
                Mat scene = new Mat()) {
            // Bilinear against a zero border weighs the source by its coverage of each photo pixel; compositing
            // with the same weights puts the image's edge exactly where the corners say (OpenCV's transparent
            // border would move it by half a source pixel).
            warpPerspective(src, region, h, size, INTER_LINEAR, BORDER_CONSTANT, zero);
            warpPerspective(one, coverage, h, size, INTER_LINEAR, BORDER_CONSTANT, zero);
            float[] r = new float[width * height];
            float[] m = new float[width * height];
            new FloatPointer(region.data()).get(r);
            new FloatPointer(coverage.data()).get(m);
            for (int i = 0; i < desk.length; i++) {
                desk[i] = r[i] + (1 - m[i]) * desk[i];
            }
            Mats.mat(new GrayImage(width, height, desk)).copyTo(scene);
            if (blurSigma > 0) {
                try (Size auto = new Size(0, 0)) {
                    GaussianBlur(scene, scene, auto, blurSigma);
                }
            }
            float[] px = new float[width * height];
            new FloatPointer(scene.data()).get(px);
            double cx = (corners[0][0] + corners[1][0] + corners[2][0] + corners[3][0]) / 4;
            double cy = (corners[0][1] + corners[1][1] + corners[2][1] + corners[3][1]) / 4;
            double spread = Math.min(width, height) / 8.0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = px[y * width + x];
                    if (glare > 0) {
                        double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                        v += glare * Math.exp(-d2 / (2 * spread * spread));
                    }
                    v += noise * random.nextGaussian();
                    px[y * width + x] = (float) v;
                }
            }
            try (Mat noisy = Mats.mat(new GrayImage(width, height, px));
                    Mat bytes = new Mat()) {
                noisy.convertTo(bytes, CV_8UC1, 255, 0);
                return encode(bytes, jpegQuality);
            }
        }
    }

    public DecodedPhoto decoded() {
        try {
            return new PhotoDecoder().decode(bytes());
        } catch (PhotoException e) {
            throw new AssertionError(e);
        }
    }

    /** An 8-bit Mat as JPEG of the given quality, or PNG for 0. */
    public static byte[] encode(Mat eightBit, int jpegQuality) {
        if (jpegQuality == 0) {
            return Mats.png(eightBit);
        }
        try (BytePointer out = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality)) {
            imencode(".jpg", eightBit, out, params);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    /**
     * A CT-like slice: grey surround, an elliptical body, a bright ring of bone, organs, a fine texture and small
     * sharp details (what blur takes away first). Rendered with 4x4 supersampling so that its edges are not
     * aliased; values within [0.12, 0.9], so nothing in it counts as clipped.
     */
    public static GrayImage phantom(int w, int h) {
        float[] px = new float[w * h];
        SplittableRandom random = new SplittableRandom(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int sy = 0; sy < 4; sy++) {
                    for (int sx = 0; sx < 4; sx++) {
                        double u = (x + (sx + 0.5) / 4) / w * 2 - 1;
                        double v = (y + (sy + 0.5) / 4) / h * 2 - 1;
                        sum += phantomAt(u, v);
                    }
                }
                px[y * w + x] = (float) (sum / 16 + 0.03 * (random.nextDouble() - 0.5));
            }
        }
        return new GrayImage(w, h, px);
    }

    private static double phantomAt(double u, double v) {
        double body = (u * u) / (0.8 * 0.8) + (v * v) / (0.65 * 0.65);
        if (body > 1) {
            return 0.15;
        }
        double value = 0.45;
        if (body > 0.8) {
            value = 0.85; // bone ring
        }
        if (sq(u + 0.3) + sq(v + 0.05) < 0.04) {
            value = 0.62;
        }
        if (sq(u - 0.3) + sq(v - 0.1) < 0.05) {
            value = 0.3;
        }
        // a grid of small vessels: sharp 2-3 pixel details
        double gx = (u + 1) * 24 % 2;
        double gy = (v + 1) * 24 % 2;
        if (Math.abs(u) < 0.5 && v > 0.25 && v < 0.5 && gx < 0.25 && gy < 0.25) {
            value = 0.75;
        }
        return value;
    }

    private static double sq(double a) {
        return a * a;
    }

    /** PSNR in dB of {@code a} against {@code b} (peak 1). */
    public static double psnr(GrayImage a, GrayImage b) {
        double mse = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            double d = a.pixels()[i] - b.pixels()[i];
            mse += d * d;
        }
        mse /= a.pixels().length;
        return 10 * Math.log10(1 / mse);
    }

    /** The 8-bit Mat of a GrayImage, for encoding. */
    public static Mat eightBit(GrayImage g) {
        try (Mat f = Mats.mat(g)) {
            Mat out = new Mat();
            f.convertTo(out, CV_8UC1, 255, 0);
            return out;
        }
    }
}
