package io.rnn4j.layers;

import io.rnn4j.engine.Shape;

/**
 * Keras 3's {@code numerical_utils.encode_categorical_inputs} as the TensorFlow backend runs it,
 * behind CategoryEncoding, Discretization and IntegerLookup: integer ids to one_hot vectors (one per
 * id; a last axis of 1 is replaced) or to one multi_hot / count vector per row of ids (TensorFlow's
 * bincount, which drops ids of {@code depth} or more). Shapes are sample shapes (no batch axis).
 */
final class CategoricalEncoding {
    private CategoricalEncoding() {
    }

    /**
     * The output sample shape of {@code mode} ("int", "one_hot", "multi_hot", "count" or "tf_idf")
     * for an input sample shape.
     *
     * @throws IllegalArgumentException naming the layer for an input Keras gives no batch of outputs for:
     *                                  multi_hot / count / tf_idf of {@code (batch,)} ids (Keras's
     *                                  bincount folds the batch into one vector) or of more than
     *                                  {@code (batch, n)} (Keras's shapes there disagree with its
     *                                  results); one_hot of a None last axis (Keras decides at run
     *                                  time whether it is replaced)
     */
    static Shape outputShape(Layer layer, String mode, Shape in, int depth) {
        switch (mode) {
            case "int" -> {
                return in;
            }
            case "one_hot" -> {
                if (in.rank() == 0) {
                    return Shape.of(depth);
                }
                layer.requireKnown(in, -1, "to know whether one_hot replaces it (size 1) or adds an axis");
                int[] d = in.dims();
                int keep = d[d.length - 1] == 1 ? d.length - 1 : d.length;
                int[] out = new int[keep + 1];
                System.arraycopy(d, 0, out, 0, keep);
                out[keep] = depth;
                return Shape.withUnknown(out);
            }
            default -> {
                if (in.rank() != 1) {
                    throw new IllegalArgumentException(layer.where() + ": output_mode='" + mode + "' takes rows of "
                            + "ids (batch, n) and gives (batch, " + depth + "); got an input " + Layer.batchless(in)
                            + (in.rank() == 0 ? " (Keras's bincount would fold the whole batch into one vector: "
                            + "reshape to (batch, 1))" : " (rnn4j encodes rows of ids only)"));
                }
                return Shape.of(depth);
            }
        }
    }

    /**
     * The input sample axes an encoding layer binds when built on {@code in}: none, but for one_hot
     * the last one (whether it is 1 decides if the vector replaces it).
     */
    static Shape acceptedShape(Shape in, String mode) {
        return mode.equals("one_hot") && in.rank() > 0 ? Layer.keepingOnly(in, -1) : Layer.keepingOnly(in);
    }

    /**
     * Encodes {@code ids} ({@code rows} rows of {@code n}; any id outside {@code [0, depth)} counts
     * for nothing) as {@code mode} says: "int" gives the ids themselves as floats; tf_idf multiplies
     * each count by {@code idf[id]} in float32.
     */
    static float[] encode(String mode, long[] ids, int rows, int depth, float[] idf) {
        if (mode.equals("int")) {
            float[] out = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = ids[i];
            }
            return out;
        }
        int n = rows == 0 ? 0 : ids.length / rows;
        if (mode.equals("one_hot")) {
            float[] out = new float[ids.length * depth];
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= 0 && ids[i] < depth) {
                    out[i * depth + (int) ids[i]] = 1;
                }
            }
            return out;
        }
        float[] out = new float[rows * depth];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < n; t++) {
                long id = ids[b * n + t];
                if (id >= 0 && id < depth) {
                    int at = b * depth + (int) id;
                    out[at] = mode.equals("multi_hot") ? 1 : out[at] + 1;
                }
            }
            if (mode.equals("tf_idf")) {
                for (int i = 0; i < depth; i++) {
                    out[b * depth + i] *= i < idf.length ? idf[i] : 0f;
                }
            }
        }
        return out;
    }

    /** The batch shape of an output: {@code batch} then the sample shape. */
    static int[] batchDims(int batch, Shape sample) {
        int[] d = new int[sample.rank() + 1];
        d[0] = batch;
        System.arraycopy(sample.dims(), 0, d, 1, sample.rank());
        return d;
    }
}
