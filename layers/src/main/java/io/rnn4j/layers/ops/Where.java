package io.rnn4j.layers.ops;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras 3's {@code Where} (keras/src/ops/numpy.py), {@code keras.ops.where(condition, x1, x2)}: x1
 * where the condition is true, else x2, the three broadcast NumPy's way (of one rank, as
 * Arithmetic's operands). The condition is a tensor, usually a comparison's (1 true, 0 false); any
 * non-zero value, NaN included, is true, as the TensorFlow backend's {@code tf.cast(condition,
 * "bool")}. x1 or x2 may be a Python number (a float32 scalar), or both ({@code where(c, 1.0,
 * 0.0)}: of the condition's shape, as Keras's broadcast of the three). The gradient is
 * {@code tf.where}'s: it goes to the side taken, whatever the other holds (NaN, ±∞), and none to
 * the condition. Keras's one-argument {@code where(condition)} (the indices of the true elements)
 * has a data-dependent shape and is not taken.
 */
public final class Where extends TensorOperation {
    private final Double x1;
    private final Double x2;

    /** {@code where(condition, x1, x2)} on three tensors. */
    public Where() {
        this(null, null);
    }

    /**
     * {@code where(condition, x1, x2)} with a number for x1 or x2 or both (null: a tensor), as
     * Keras's call gives them: {@code x2} 0.0 for {@code where(c, x, 0.0)}.
     */
    public Where(Double x1, Double x2) {
        super("where");
        this.x1 = x1;
        this.x2 = x2;
    }

    /** x1 when it is a number, else null (a tensor). */
    public Double x1() {
        return x1;
    }

    /** x2 when it is a number, else null (a tensor). */
    public Double x2() {
        return x2;
    }

    @Override
    public String className() {
        return "Where";
    }

    @Override
    int tensors() {
        return 1 + (x1 == null ? 1 : 0) + (x2 == null ? 1 : 0);
    }

    @Override
    int[] outputDims(List<int[]> in) {
        List<String> names = new ArrayList<>(List.of("condition"));
        if (x1 == null) {
            names.add("x1");
        }
        if (x2 == null) {
            names.add("x2");
        }
        return broadcastDims(in, names);
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        Variable condition = in.get(0);
        Variable a = x1 == null ? in.get(1) : scalar(x1, condition);
        Variable b = x2 == null ? in.get(in.size() - 1) : scalar(x2, condition);
        Shape s = Device.broadcastShape(name(), condition.shape(), Device.broadcastShape(name(), a.shape(), b.shape()));
        // Ops.where broadcasts the condition to the branches' shape, so the branches take the full one first.
        a = a.shape().equals(s) ? a : Ops.broadcastTo(a, s);
        b = b.shape().equals(s) ? b : Ops.broadcastTo(b, s);
        return Ops.where(condition.value(), a, b);
    }
}
