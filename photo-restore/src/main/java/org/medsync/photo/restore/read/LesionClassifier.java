package org.medsync.photo.restore.read;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.medsync.photo.image.Classifier;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Read;
import org.medsync.photo.restore.inference.OnnxModels;
import org.medsync.photo.restore.lesion.Body;
import org.medsync.photo.restore.lesion.LesionWindow;

/**
 * The shipped lesion classifier ({@value #RESOURCE}, written by {@code scripts/photo-train --classifier}), run by
 * ONNX Runtime on the CPU. A whole image is read in {@value LesionWindow#SIZE} px windows every {@value #STRIDE} px
 * that are at least half body; the read is the highest window's score and where it lies. A research model on
 * synthetic lesions: its score supports a reader, it diagnoses nothing.
 */
public final class LesionClassifier implements Classifier, AutoCloseable {
    public static final String RESOURCE = "/org/medsync/photo/restore/read/lesion-classifier.onnx";

    static final int STRIDE = 16;

    /** Largest side read: beyond it the window count (and the wait on the sender's page) grows past seconds. */
    public static final int MAX_SIDE = 2048;

    private static final int BATCH = 64;

    private final OrtEnvironment env;
    private final OrtSession session;

    /** Loads the shipped weights. */
    public LesionClassifier() {
        this(shippedModel());
    }

    /** Loads a model written by {@link ClassifierNet#onnx} (the benchmark's per-split models, tests). */
    public LesionClassifier(byte[] onnxModel) {
        env = OrtEnvironment.getEnvironment();
        session = OnnxModels.open(env, onnxModel, "lesion classifier");
    }

    private static byte[] shippedModel() {
        return OnnxModels.shipped(LesionClassifier.class, RESOURCE, "shipped classifier");
    }

    @Override
    public String description() {
        return "MedSync lesion classifier (" + ClassifierNet.summary() + "), trained on synthetic lesions in original"
                + " images; research model";
    }

    @Override
    public String finding() {
        return "probability of a focal lesion (synthetic-lesion task)";
    }

    @Override
    public Read read(GrayImage image) {
        int w = image.width();
        int h = image.height();
        int s = LesionWindow.SIZE;
        if (w < s || h < s || w > MAX_SIDE || h > MAX_SIDE) {
            throw new IllegalArgumentException(
                    "the lesion classifier reads images with sides " + s + ".." + MAX_SIDE + " px, got " + w + "x" + h);
        }
        int nx = (w - s) / STRIDE + 1;
        int ny = (h - s) / STRIDE + 1;
        int[] xs = new int[nx * ny];
        int[] ys = new int[nx * ny];
        int n = 0;
        float[] one = new float[s * s];
        for (int pass = 0; pass < 2 && n == 0; pass++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int x = i * STRIDE;
                    int y = j * STRIDE;
                    for (int r = 0; r < s; r++) {
                        System.arraycopy(image.pixels(), (y + r) * w + x, one, r * s, s);
                    }
                    // Second pass (no window is half body, e.g. a black image): every window counts.
                    if (pass == 1 || Body.fraction(one) >= 0.5) {
                        xs[n] = x;
                        ys[n] = y;
                        n++;
                    }
                }
            }
        }
        double best = -1;
        int at = 0;
        float[] batch = new float[BATCH * s * s];
        for (int from = 0; from < n; from += BATCH) {
            int k = Math.min(BATCH, n - from);
            for (int b = 0; b < k; b++) {
                LesionWindow.cut(image, xs[from + b], ys[from + b], batch, b * s * s);
            }
            float[] scores = score(batch, k);
            for (int b = 0; b < k; b++) {
                if (scores[b] > best) {
                    best = scores[b];
                    at = from + b;
                }
            }
        }
        return new Read(Math.clamp(best, 0, 1), xs[at], ys[at], s);
    }

    /** Scores {@code n} standardised windows laid out one after another in {@code windows}. */
    public float[] score(float[] windows, int n) {
        int s = LesionWindow.SIZE;
        try (OnnxTensor input =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(windows, 0, n * s * s), new long[] {n, 1, s, s});
                OrtSession.Result result = session.run(Map.of(ClassifierNet.INPUT, input))) {
            FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[n];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("lesion classifier failed on " + n + " windows: " + e.getMessage(), e);
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
