package io.rnn4j.bench.peers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes an ONNX model (protobuf wire format, by hand: the peers need no ONNX or protobuf library)
 * with a single recurrent node — RNN, LSTM or GRU — its weights as initializers, input X
 * (T, B, D) and outputs Y (T, 1, B, H) and Y_h (1, B, H). Field numbers are onnx.proto's.
 */
final class OnnxModel {
    private OnnxModel() {
    }

    /**
     * The model bytes. {@code w} (1, G·H, D), {@code r} (1, G·H, H) and {@code bias} (1, 2·G·H) are in
     * ONNX's layouts; {@code linearBeforeReset} is written for GRU only.
     */
    static byte[] recurrent(String opType, int steps, int batch, int inputSize, int units, int gates, float[] w,
            float[] r, float[] bias, boolean linearBeforeReset) {
        Proto node = new Proto()
                .string(1, "X").string(1, "W").string(1, "R").string(1, "B")
                .string(2, "Y").string(2, "Y_h")
                .string(3, "rnn").string(4, opType)
                .message(5, intAttribute("hidden_size", units));
        if (opType.equals("GRU")) {
            node.message(5, intAttribute("linear_before_reset", linearBeforeReset ? 1 : 0));
        }
        Proto graph = new Proto()
                .message(1, node)
                .string(2, "rnn4j-peer")
                .message(5, tensor("W", w, 1, (long) gates * units, inputSize))
                .message(5, tensor("R", r, 1, (long) gates * units, units))
                .message(5, tensor("B", bias, 1, 2L * gates * units))
                .message(11, valueInfo("X", steps, batch, inputSize))
                .message(12, valueInfo("Y", steps, 1, batch, units))
                .message(12, valueInfo("Y_h", 1, batch, units));
        return new Proto()
                .varint(1, 8) // ir_version
                .string(2, "rnn4j-bench")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 14)) // opset_import: ai.onnx 14
                .bytes();
    }

    private static Proto intAttribute(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, 2); // type INT
    }

    private static Proto tensor(String name, float[] data, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return t.varint(2, 1).string(8, name).raw(9, raw.array()); // data_type FLOAT, raw_data
    }

    private static Proto valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        Proto tensorType = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A protobuf message being written: varints and length-delimited fields. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto raw(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return raw(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
