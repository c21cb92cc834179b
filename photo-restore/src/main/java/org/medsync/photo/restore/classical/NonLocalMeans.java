package org.medsync.photo.restore.classical;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_photo.fastNlMeansDenoising;

import org.bytedeco.opencv.opencv_core.Mat;
import org.medsync.photo.image.GrayImage;

/**
 * OpenCV's non-local means (fastNlMeansDenoising) on the 8-bit image: the standard classical denoiser for sensor
 * noise and JPEG blocking. It does nothing for tone, blur or glare, which is why it follows {@link ToneMatch}.
 */
public final class NonLocalMeans {
    /** Filter strength in 8-bit levels: about twice the sensor noise the simulator's training range produces. */
    public static final float DEFAULT_H = 7;

    public static final int TEMPLATE_WINDOW = 7;
    public static final int SEARCH_WINDOW = 21;

    private NonLocalMeans() {}

    public static GrayImage denoise(GrayImage image, float h) {
        int n = image.width() * image.height();
        byte[] bytes = new byte[n];
        float[] p = image.pixels();
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) Math.round(Math.clamp(p[i], 0f, 1f) * 255);
        }
        try (Mat src = new Mat(image.height(), image.width(), CV_8UC1);
                Mat dst = new Mat()) {
            src.data().put(bytes);
            fastNlMeansDenoising(src, dst, h, TEMPLATE_WINDOW, SEARCH_WINDOW);
            dst.data().get(bytes);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (bytes[i] & 0xff) / 255f;
        }
        return new GrayImage(image.width(), image.height(), out);
    }
}
