package org.medsync.photo.restore.dncnn;

import static org.medsync.photo.restore.onnx.Proto.ints;
import static org.medsync.photo.restore.onnx.Proto.tensor;
import static org.medsync.photo.restore.onnx.Proto.valueInfo;

import org.medsync.photo.restore.onnx.Proto;

/**
 * Writes the network as an ONNX model (protobuf, opset 13) from its weights. DJL cannot export ONNX, and ONNX
 * Runtime ran this kind of network 4-6 times faster than DJL's PyTorch on this machine class, so the trainer
 * writes the small graph itself ({@link Proto}): Conv/Relu pairs and a final Sub (input minus predicted residual).
 * Input {@value #INPUT} and output {@value #OUTPUT} are float tensors [1, 1, height, width], any height and width.
 */
public final class OnnxGraph {
    public static final String INPUT = "photo";
    public static final String OUTPUT = "restored";

    private OnnxGraph() {}

    public static byte[] model(Weights weights) {
        Proto graph = new Proto();
        String previous = INPUT;
        for (int i = 0; i < Architecture.layers(); i++) {
            int d = Architecture.dilation(i);
            String w = "conv" + i + ".weight";
            String b = "conv" + i + ".bias";
            String conv = i == Architecture.layers() - 1 ? "residual" : "conv" + i;
            Proto node = new Proto()
                    .string(1, previous)
                    .string(1, w)
                    .string(1, b)
                    .string(2, conv)
                    .string(3, "Conv" + i)
                    .string(4, "Conv")
                    .message(5, ints("kernel_shape", 3, 3))
                    .message(5, ints("pads", d, d, d, d))
                    .message(5, ints("dilations", d, d))
                    .message(5, ints("strides", 1, 1));
            graph.message(1, node);
            previous = conv;
            if (i < Architecture.layers() - 1) {
                String relu = "relu" + i;
                graph.message(
                        1,
                        new Proto()
                                .string(1, conv)
                                .string(2, relu)
                                .string(3, "Relu" + i)
                                .string(4, "Relu"));
                previous = relu;
            }
            graph.message(
                    5,
                    tensor(w, weights.kernels().get(i), Architecture.outChannels(i), Architecture.inChannels(i), 3, 3));
            graph.message(5, tensor(b, weights.biases().get(i), Architecture.outChannels(i)));
        }
        graph.message(
                1,
                new Proto()
                        .string(1, INPUT)
                        .string(1, previous)
                        .string(2, OUTPUT)
                        .string(3, "Sub")
                        .string(4, "Sub"));
        graph.string(2, "medsync-dncnn");
        graph.message(11, valueInfo(INPUT, 1L, 1L, "height", "width"));
        graph.message(12, valueInfo(OUTPUT, 1L, 1L, "height", "width"));
        return Proto.model("medsync-photo-restore", graph, 13);
    }
}
