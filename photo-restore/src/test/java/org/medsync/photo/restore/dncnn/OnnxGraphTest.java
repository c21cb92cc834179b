package org.medsync.photo.restore.dncnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written ONNX graph computes exactly the network the trainer trains (checked against plain Java). */
class OnnxGraphTest {
    @Test
    void onnxRuntimeAgreesWithAReferenceConvolution() {
        SplittableRandom random = new SplittableRandom(3);
        List<float[]> kernels = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int i = 0; i < Architecture.layers(); i++) {
            int in = Architecture.inChannels(i);
            float[] k = new float[Architecture.outChannels(i) * in * 9];
            for (int j = 0; j < k.length; j++) {
                k[j] = (float) (random.nextGaussian() * Math.sqrt(2.0 / (9 * in)));
            }
            float[] b = new float[Architecture.outChannels(i)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (random.nextGaussian() * 0.05);
            }
            kernels.add(k);
            biases.add(b);
        }
        Weights weights = new Weights(kernels, biases);
        int w = 23;
        int h = 17;
        float[] x = new float[w * h];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        float[] expected = reference(weights, x, w, h);
        try (DncnnRestorer net = new DncnnRestorer(OnnxGraph.model(weights))) {
            float[] actual = net.run(x, w, h);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4, "pixel " + i);
            }
        }
    }

    /** out = x - net(x), zero padding of width dilation, ReLU after every layer but the last. */
    static float[] reference(Weights weights, float[] x, int w, int h) {
        float[][] planes = {x};
        for (int l = 0; l < Architecture.layers(); l++) {
            int d = Architecture.dilation(l);
            int in = Architecture.inChannels(l);
            int outC = Architecture.outChannels(l);
            float[] k = weights.kernels().get(l);
            float[][] next = new float[outC][w * h];
            for (int o = 0; o < outC; o++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double s = weights.biases().get(l)[o];
                        for (int c = 0; c < in; c++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int sy = y + (ky - 1) * d;
                                    int sx = xx + (kx - 1) * d;
                                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                                        s += k[((o * in + c) * 3 + ky) * 3 + kx] * planes[c][sy * w + sx];
                                    }
                                }
                            }
                        }
                        next[o][y * w + xx] = l < Architecture.layers() - 1 ? (float) Math.max(0, s) : (float) s;
                    }
                }
            }
            planes = next;
        }
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] - planes[0][i];
        }
        return out;
    }
}
