package io.rnn4j.layers.ops;

import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Cast} (keras/src/ops/core.py), {@code keras.ops.cast(x, "float32")}: rnn4j's
 * tensors are float32, so the cast is x itself (value and gradient). Other dtypes are refused:
 * rnn4j computes in float32 only.
 */
public final class Cast extends TensorOperation {
    /** The one dtype rnn4j casts to. */
    public static final String FLOAT32 = "float32";

    /**
     * {@code keras.ops.cast(x, dtype)}.
     *
     * @throws IllegalArgumentException for a dtype other than "float32"
     */
    public Cast(String dtype) {
        super("cast");
        if (!FLOAT32.equals(dtype)) {
            throw fail("dtype '" + dtype + "': rnn4j computes in float32 only, so it casts to \"float32\" only");
        }
    }

    /** The dtype cast to: "float32". */
    public String dtype() {
        return FLOAT32;
    }

    @Override
    public String className() {
        return "Cast";
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.core";
    }

    @Override
    int tensors() {
        return 1;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        return in.get(0).clone();
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        return in.get(0);
    }
}
