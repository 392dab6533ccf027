package io.rnn4j.layers.ops;

import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Clip} (keras/src/ops/numpy.py): {@code keras.ops.clip(x, x_min, x_max)} with
 * numbers, each element limited to {@code [x_min, x_max]} as the TensorFlow backend's
 * {@code tf.clip_by_value} on float32 (the bounds are float32s); the gradient passes where
 * {@code x_min <= x <= x_max} (the bounds included: tf.minimum and tf.maximum give ties to x) and
 * is 0 elsewhere, NaN included (the value there is NaN). {@code x_min > x_max} is refused (TensorFlow would give x_min everywhere, NumPy
 * x_max).
 */
public final class Clip extends TensorOperation {
    private final double xMin;
    private final double xMax;

    /**
     * {@code keras.ops.clip(x, xMin, xMax)}.
     *
     * @throws IllegalArgumentException unless {@code xMin <= xMax} as float32s (NaN refused)
     */
    public Clip(double xMin, double xMax) {
        super("clip");
        this.xMin = xMin;
        this.xMax = xMax;
        if (!((float) xMin <= (float) xMax)) {
            throw fail("expected x_min <= x_max (as float32), got x_min " + xMin + " and x_max " + xMax);
        }
    }

    /** The lower bound as given. */
    public double xMin() {
        return xMin;
    }

    /** The upper bound as given. */
    public double xMax() {
        return xMax;
    }

    @Override
    public String className() {
        return "Clip";
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
        return Ops.clip(in.get(0), (float) xMin, (float) xMax);
    }
}
