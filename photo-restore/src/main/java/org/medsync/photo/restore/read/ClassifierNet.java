package org.medsync.photo.restore.read;

import static org.medsync.photo.restore.onnx.Proto.ints;
import static org.medsync.photo.restore.onnx.Proto.node;
import static org.medsync.photo.restore.onnx.Proto.tensor;
import static org.medsync.photo.restore.onnx.Proto.valueInfo;

import java.util.List;
import org.medsync.photo.restore.lesion.LesionWindow;
import org.medsync.photo.restore.onnx.Proto;

/**
 * The lesion classifier: five 3x3 convolutions with ReLU (two of stride 2: 48 -> 24 -> 12 px), a global MAX pool
 * (a small lesion anywhere in the window should count, not be averaged away with the tissue around it) and a linear
 * head to one logit, then a sigmoid. About 17k parameters: small enough to train 30 times on two shared cores.
 *
 * <p>The ONNX graph ({@link #onnx}): input {@value #INPUT} float [N, 1, 48, 48] standardised as {@link LesionWindow},
 * output {@value #OUTPUT} float [N, 1], the probability of a lesion. The linear head is written as a 1x1
 * convolution so the graph needs no more operators than Conv, Relu, GlobalMaxPool, Flatten and Sigmoid.
 */
public final class ClassifierNet {
    public static final String INPUT = "window";
    public static final String OUTPUT = "score";

    private static final int[] FILTERS = {8, 16, 16, 32, 32};
    private static final int[] STRIDES = {1, 2, 1, 2, 1};

    private ClassifierNet() {}

    public static int convLayers() {
        return FILTERS.length;
    }

    public static int filters(int layer) {
        return FILTERS[layer];
    }

    public static int stride(int layer) {
        return STRIDES[layer];
    }

    public static int inChannels(int layer) {
        return layer == 0 ? 1 : FILTERS[layer - 1];
    }

    /** Features entering the head. */
    public static int features() {
        return FILTERS[FILTERS.length - 1];
    }

    public static int parameterCount() {
        int n = features() + 1;
        for (int i = 0; i < FILTERS.length; i++) {
            n += FILTERS[i] * inChannels(i) * 9 + FILTERS[i];
        }
        return n;
    }

    public static String summary() {
        return FILTERS.length + " conv layers 3x3 (filters 8-16-16-32-32, strides 1-2-1-2-1), global max pool, linear,"
                + " sigmoid; " + parameterCount() + " parameters; input " + LesionWindow.SIZE + "x" + LesionWindow.SIZE;
    }

    /**
     * Trained weights: per conv layer its kernel {@code [out][in][3][3]} and bias, then the head's {@code [features]}
     * and its single bias (lists of {@link #convLayers()} + 1).
     */
    public record Weights(List<float[]> kernels, List<float[]> biases) {
        public Weights {
            kernels = List.copyOf(kernels);
            biases = List.copyOf(biases);
            if (kernels.size() != FILTERS.length + 1 || biases.size() != FILTERS.length + 1) {
                throw new IllegalArgumentException("need " + (FILTERS.length + 1) + " layers, got " + kernels.size()
                        + " kernels and " + biases.size() + " biases");
            }
            for (int i = 0; i <= FILTERS.length; i++) {
                int k = i < FILTERS.length ? FILTERS[i] * inChannels(i) * 9 : features();
                int b = i < FILTERS.length ? FILTERS[i] : 1;
                if (kernels.get(i).length != k || biases.get(i).length != b) {
                    throw new IllegalArgumentException(
                            "layer " + i + " needs " + k + " kernel and " + b + " bias values");
                }
            }
        }
    }

    /** The ONNX model (opset 13) of the network with these weights. */
    public static byte[] onnx(Weights weights) {
        Proto graph = new Proto();
        String previous = INPUT;
        for (int i = 0; i < FILTERS.length; i++) {
            String w = "conv" + i + ".weight";
            String b = "conv" + i + ".bias";
            int s = STRIDES[i];
            graph.message(
                    1,
                    node("Conv", "Conv" + i, "conv" + i, previous, w, b)
                            .message(5, ints("kernel_shape", 3, 3))
                            .message(5, ints("pads", 1, 1, 1, 1))
                            .message(5, ints("strides", s, s)));
            graph.message(1, node("Relu", "Relu" + i, "relu" + i, "conv" + i));
            previous = "relu" + i;
            graph.message(5, tensor(w, weights.kernels().get(i), FILTERS[i], inChannels(i), 3, 3));
            graph.message(5, tensor(b, weights.biases().get(i), FILTERS[i]));
        }
        graph.message(1, node("GlobalMaxPool", "Pool", "pooled", previous));
        graph.message(1, node("Conv", "Head", "logit4d", "pooled", "head.weight", "head.bias"));
        graph.message(5, tensor("head.weight", weights.kernels().get(FILTERS.length), 1, features(), 1, 1));
        graph.message(5, tensor("head.bias", weights.biases().get(FILTERS.length), 1));
        graph.message(1, node("Flatten", "Flatten", "logit", "logit4d"));
        graph.message(1, node("Sigmoid", "Sigmoid", OUTPUT, "logit"));
        graph.string(2, "medsync-lesion-classifier");
        long side = LesionWindow.SIZE;
        graph.message(11, valueInfo(INPUT, "n", 1L, side, side));
        graph.message(12, valueInfo(OUTPUT, "n", 1L));
        return Proto.model("medsync-photo-restore", graph, 13);
    }
}
