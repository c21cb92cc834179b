package org.medsync.watermark.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.medsync.watermark.mark.Embedder;

/**
 * Marks a stream of raw 8-bit 4:2:0 frames (yuv420p: the luma plane, then the two chroma planes) on its way from a
 * decoder to an encoder. Only luma is touched; chroma passes as it came.
 */
public final class FramePump {
    /** What went through. */
    public record Pumped(long frames, double squaredError, long pixels) {
        /** PSNR of the marked luma against the unmarked. */
        public double psnr() {
            return Embedder.psnr(squaredError, pixels);
        }
    }

    private FramePump() {}

    /** Copies frames from {@code in} to {@code out}, marking each, until {@code in} ends; closes {@code out}. */
    public static Pumped pump(InputStream in, OutputStream out, int width, int height, Embedder embedder)
            throws IOException {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("4:2:0 frames need an even size, got " + width + "x" + height);
        }
        int frameBytes = width * height * 3 / 2;
        byte[] frame = new byte[frameBytes];
        long frames = 0;
        double error = 0;
        try (out) {
            while (true) {
                int n = in.readNBytes(frame, 0, frameBytes);
                if (n == 0) {
                    break;
                }
                if (n < frameBytes) {
                    throw new IOException("the decoder ended inside a frame (" + n + " of " + frameBytes + " bytes)");
                }
                error += embedder.mark(frame, 0, width, height);
                out.write(frame);
                frames++;
            }
        }
        return new Pumped(frames, error, frames * width * height);
    }
}
