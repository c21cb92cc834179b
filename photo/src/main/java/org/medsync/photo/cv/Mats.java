package org.medsync.photo.cv;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.medsync.photo.decode.DecodedPhoto;
import org.medsync.photo.image.GrayImage;

/**
 * Conversions between the module's plain-Java pictures and OpenCV's Mat, so that Mat stays inside the vision
 * packages and every native buffer has one owner that closes it.
 */
public final class Mats {
    private Mats() {}

    /** The photo's 8-bit luma as a new CV_8UC1 Mat (the caller closes it). */
    public static Mat luma(DecodedPhoto photo) {
        ByteBuffer luma = photo.luma8();
        byte[] copy = new byte[luma.remaining()];
        luma.get(copy);
        Mat m = new Mat(photo.height(), photo.width(), CV_8UC1);
        m.data().put(copy);
        return m;
    }

    /** A new CV_32FC1 Mat holding {@code image}'s values. */
    public static Mat mat(GrayImage image) {
        Mat m = new Mat(image.height(), image.width(), CV_32FC1);
        new FloatPointer(m.data()).put(image.pixels());
        return m;
    }

    /** A CV_32FC1 Mat as a GrayImage, values clamped to [0, 1]. */
    public static GrayImage gray(Mat m) {
        if (m.type() != CV_32FC1) {
            throw new IllegalArgumentException("expected CV_32FC1, got type " + m.type());
        }
        Mat c = m.isContinuous() ? m : m.clone();
        float[] pixels = new float[m.rows() * m.cols()];
        new FloatPointer(c.data()).get(pixels);
        if (c != m) {
            c.close();
        }
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            pixels[i] = v < 0 ? 0 : (v > 1 ? 1 : v);
        }
        return new GrayImage(m.cols(), m.rows(), pixels);
    }

    /** Four (or more) points as an n x 1 CV_32FC2 Mat, as getPerspectiveTransform and friends take them. */
    public static Mat points(double[][] xy) {
        Mat m = new Mat(xy.length, 1, CV_32FC2);
        try (FloatIndexer idx = m.createIndexer()) {
            for (int i = 0; i < xy.length; i++) {
                idx.put(i, 0, 0, (float) xy[i][0]);
                idx.put(i, 0, 1, (float) xy[i][1]);
            }
        }
        return m;
    }

    /** An 8-bit Mat encoded as PNG. */
    public static byte[] png(Mat image) {
        try (BytePointer out = new BytePointer()) {
            if (!imencode(".png", image, out)) {
                throw new IllegalStateException(
                        "OpenCV could not encode a " + image.cols() + "x" + image.rows() + " image as PNG");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
