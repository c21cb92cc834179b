package org.medsync.photo.restore.dncnn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Restorer;
import org.medsync.photo.restore.classical.ToneMatch;
import org.medsync.photo.restore.inference.OnnxModels;

/**
 * The trained DnCNN, run by ONNX Runtime on the CPU from the graph shipped in this module's resources
 * ({@value #RESOURCE}, written by {@code scripts/photo-train}). The photo is first tone-stretched (its 0.5th and
 * 99.5th percentiles to 0 and 1, as in training); the network then removes what is left. Large images run in
 * tiles of {@value #TILE} px with a {@value #MARGIN} px overlap (more than the network's 17 px reach), so memory
 * stays bounded and the result equals a whole-image pass.
 */
public final class DncnnRestorer implements Restorer, AutoCloseable {
    public static final String RESOURCE = "/org/medsync/photo/restore/dncnn/dncnn.onnx";

    /** Smallest side accepted: below this a photo of a screen cannot carry an image worth restoring. */
    public static final int MIN_SIDE = 16;

    /** Largest side accepted, as the photo decoder's limit. */
    public static final int MAX_SIDE = 12000;

    static final int TILE = 512;
    static final int MARGIN = 24;

    private final OrtEnvironment env;
    private final OrtSession session;

    /** Loads the shipped weights. */
    public DncnnRestorer() {
        this(shippedModel());
    }

    /** Loads an ONNX model written by {@link OnnxGraph} (tests and the trainer's check). */
    public DncnnRestorer(byte[] onnxModel) {
        env = OrtEnvironment.getEnvironment();
        session = OnnxModels.open(env, onnxModel, "DnCNN model");
    }

    private static byte[] shippedModel() {
        return OnnxModels.shipped(DncnnRestorer.class, RESOURCE, "shipped weights");
    }

    @Override
    public String description() {
        return "DnCNN (" + Architecture.summary() + ") trained on simulated screen photos, MedSync photo-restore";
    }

    @Override
    public GrayImage restore(GrayImage photo) {
        int w = photo.width();
        int h = photo.height();
        if (w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "DnCNN restores images with sides " + MIN_SIDE + ".." + MAX_SIDE + " px, got " + w + "x" + h);
        }
        float[] in = ToneMatch.stretch(photo).pixels();
        float[] out = new float[w * h];
        for (int ty = 0; ty < h; ty += TILE) {
            for (int tx = 0; tx < w; tx += TILE) {
                int x0 = Math.max(0, tx - MARGIN);
                int y0 = Math.max(0, ty - MARGIN);
                int x1 = Math.min(w, tx + TILE + MARGIN);
                int y1 = Math.min(h, ty + TILE + MARGIN);
                int tw = x1 - x0;
                int th = y1 - y0;
                float[] tile = new float[tw * th];
                for (int y = 0; y < th; y++) {
                    System.arraycopy(in, (y0 + y) * w + x0, tile, y * tw, tw);
                }
                float[] result = run(tile, tw, th);
                int cw = Math.min(TILE, w - tx);
                int ch = Math.min(TILE, h - ty);
                for (int y = 0; y < ch; y++) {
                    System.arraycopy(result, (ty - y0 + y) * tw + (tx - x0), out, (ty + y) * w + tx, cw);
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.clamp(out[i], 0f, 1f);
        }
        return new GrayImage(w, h, out);
    }

    /** The network on one plane, without stretch or clamp. */
    float[] run(float[] plane, int w, int h) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(plane), new long[] {1, 1, h, w});
                OrtSession.Result result = session.run(Map.of(OnnxGraph.INPUT, input))) {
            FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[w * h];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("DnCNN inference failed on " + w + "x" + h + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX session failed", e);
        }
    }
}
