package org.medsync.watermark.mark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medsync.watermark.payload.Payload;

/**
 * Embed and detect on synthetic 320x180 frames (a 64x36 grid: 5-pixel chips, the 1080p default grid's chip size
 * at 360p): with noise added after marking, after a 0.667x downscale, with the wrong key, and without a mark.
 */
class EmbedDetectTest {
    private static final int W = 320;
    private static final int H = 180;
    private static final int FRAMES = 100;
    private static final Payload PAYLOAD = Payload.export("hospital-7", "recording-42", "export-3", "insurer");

    private static Layout layout(long seed) {
        byte[] k = new byte[32];
        new SplittableRandom(seed).nextBytes(k);
        return new Layout(WatermarkKey.of(k), 64, 36);
    }

    /** Marks FRAMES frames, then adds noise of {@code noise} levels and optionally scales, into {@code into}. */
    private static double markAndRead(Layout marking, Accumulator into, double noise, int readWidth, int readHeight) {
        Embedder embedder = marking == null ? null : new Embedder(marking, PAYLOAD);
        SplittableRandom random = new SplittableRandom(9);
        double error = 0;
        for (int f = 0; f < FRAMES; f++) {
            byte[] y = Scenes.frame(W, H, f, 2, random);
            if (embedder != null) {
                error += embedder.mark(y, 0, W, H);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = (byte) Math.clamp(Math.round((y[i] & 0xFF) + noise * Scenes.gaussian(random)), 0, 255);
            }
            byte[] seen = readWidth == W ? y : Scenes.resize(y, W, H, readWidth, readHeight);
            into.add(seen, 0, readWidth, readHeight);
        }
        return Embedder.psnr(error, (long) FRAMES * W * H);
    }

    @Test
    void marksBelowTheVisibleAndReadsBackThroughNoise() {
        Layout layout = layout(1);
        Accumulator evidence = new Accumulator(layout);
        double psnr = markAndRead(layout, evidence, 6, W, H);
        assertTrue(psnr >= 45, "PSNR " + psnr);
        Detection d = Detection.decide(evidence);
        assertEquals(PAYLOAD, d.payload(), d.toString());
        assertTrue(Detection.bitErrorRate(evidence, PAYLOAD) > 0, "the noise should cost some raw bits");
    }

    @Test
    void survivesADownscaleTo0667() {
        Layout layout = layout(2);
        Accumulator evidence = new Accumulator(layout);
        markAndRead(layout, evidence, 3, 214, 120);
        Detection d = Detection.decide(evidence);
        assertEquals(PAYLOAD, d.payload(), d.toString());
    }

    @Test
    void wrongKeyFindsNothing() {
        Accumulator evidence = new Accumulator(layout(4));
        markAndRead(layout(3), evidence, 3, W, H);
        Detection d = Detection.decide(evidence);
        assertFalse(d.found(), d.toString());
        assertTrue(d.score() < Detection.THRESHOLD, d.toString());
    }

    @Test
    void unmarkedVideoFindsNothing() {
        Accumulator evidence = new Accumulator(layout(5));
        markAndRead(null, evidence, 3, W, H);
        Detection d = Detection.decide(evidence);
        assertFalse(d.found(), d.toString());
    }
}
