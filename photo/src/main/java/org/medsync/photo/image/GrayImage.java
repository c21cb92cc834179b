package org.medsync.photo.image;

import java.util.Objects;

/**
 * A single-channel image with values in [0, 1], row-major. The one picture type that crosses module borders in
 * photo intake (rectifier to restorer to reader to Secondary Capture), so that no module needs another's image
 * library: OpenCV's Mat stays inside the photo module, DJL's and ONNX Runtime's tensors inside theirs.
 */
public record GrayImage(int width, int height, float[] pixels) {
    /** Refuses what no decoder should hand on: a 0 or negative side, or a pixel array of the wrong length. */
    public GrayImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image sides must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException(
                    width + "x" + height + " needs " + (long) width * height + " pixels, got " + pixels.length);
        }
    }

    public float at(int x, int y) {
        return pixels[y * width + x];
    }
}
