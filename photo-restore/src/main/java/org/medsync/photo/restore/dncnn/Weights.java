package org.medsync.photo.restore.dncnn;

import java.util.List;

/**
 * Trained weights, layer by layer: kernel {@code [out][in][3][3]} flattened row-major (PyTorch's and ONNX's
 * order) and bias {@code [out]}.
 */
public record Weights(List<float[]> kernels, List<float[]> biases) {
    public Weights {
        kernels = List.copyOf(kernels);
        biases = List.copyOf(biases);
        if (kernels.size() != Architecture.layers() || biases.size() != Architecture.layers()) {
            throw new IllegalArgumentException("need " + Architecture.layers() + " layers, got " + kernels.size()
                    + " kernels and " + biases.size() + " biases");
        }
        for (int i = 0; i < Architecture.layers(); i++) {
            int k = Architecture.outChannels(i) * Architecture.inChannels(i) * 9;
            if (kernels.get(i).length != k || biases.get(i).length != Architecture.outChannels(i)) {
                throw new IllegalArgumentException(
                        "layer " + i + " needs " + k + " kernel and " + Architecture.outChannels(i) + " bias values");
            }
        }
    }
}
