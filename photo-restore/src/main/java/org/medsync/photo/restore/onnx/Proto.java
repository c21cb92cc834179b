package org.medsync.photo.restore.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Just enough protobuf to write an ONNX model (varint and length-delimited fields), and the few ONNX messages our
 * networks need. DJL cannot export ONNX, so the trainers write their small graphs themselves. Field numbers are
 * those of onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
 * TensorShapeProto).
 */
public final class Proto {
    private static final int ONNX_FLOAT = 1;
    private static final int ATTRIBUTE_INTS = 7;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Proto varint(int field, long value) {
        raw((long) field << 3);
        raw(value);
        return this;
    }

    public Proto bytes(int field, byte[] value) {
        raw((long) field << 3 | 2);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    public Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public Proto message(int field, Proto value) {
        return bytes(field, value.bytes());
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** An AttributeProto of type INTS. */
    public static Proto ints(String name, long... values) {
        Proto a = new Proto().string(1, name).varint(20, ATTRIBUTE_INTS);
        for (long v : values) {
            a.varint(8, v);
        }
        return a;
    }

    /** A NodeProto: inputs, one output, a name and the operator. */
    public static Proto node(String op, String name, String output, String... inputs) {
        Proto n = new Proto();
        for (String in : inputs) {
            n.string(1, in);
        }
        return n.string(2, output).string(3, name).string(4, op);
    }

    /** A float TensorProto (an initializer) with raw little-endian data. */
    public static Proto tensor(String name, float[] values, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return t.varint(2, ONNX_FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** A float ValueInfoProto; each dimension a Long (fixed) or a String (named, any size). */
    public static Proto valueInfo(String name, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            shape.message(
                    1,
                    d instanceof Long fixed ? new Proto().varint(1, fixed) : new Proto().string(2, String.valueOf(d)));
        }
        Proto tensorType = new Proto().varint(1, ONNX_FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A ModelProto (IR version 8, default domain at {@code opset}) around a finished GraphProto. */
    public static byte[] model(String producer, Proto graph, int opset) {
        return new Proto()
                .varint(1, 8)
                .string(2, producer)
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, opset))
                .bytes();
    }
}
