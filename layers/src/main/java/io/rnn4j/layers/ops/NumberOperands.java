package io.rnn4j.layers.ops;

import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * An operation of two operands, either of which may be a Python number, as Keras records
 * {@code x * 0.5}, {@code 1 - x} or {@code greater(x, 0.5)}: the number stays in the call's args
 * (a float32 scalar when computed, as the TensorFlow backend converts it), the other operand is a
 * tensor of the model.
 */
public abstract sealed class NumberOperands extends TensorOperation permits Arithmetic, Comparison {
    private final Double x1;
    private final Double x2;

    NumberOperands(String prefix, Double x1, Double x2) {
        super(prefix);
        this.x1 = x1;
        this.x2 = x2;
    }

    /**
     * Refuses two numbers (Keras records an operation on tensors only); called by the subclass once
     * its kind is set, which the message names.
     */
    final void requireATensor() {
        if (x1 != null && x2 != null) {
            throw fail("x1 and x2 are both numbers (" + x1 + ", " + x2 + "); one must be a tensor of the model");
        }
    }

    /** The first operand when it is a number, else null (a tensor). */
    public final Double x1() {
        return x1;
    }

    /** The second operand when it is a number, else null (a tensor). */
    public final Double x2() {
        return x2;
    }

    @Override
    int tensors() {
        return (x1 == null ? 1 : 0) + (x2 == null ? 1 : 0);
    }

    /** The first operand: its tensor, or its number as a scalar on the tensor's device. */
    final Variable first(List<Variable> in) {
        return x1 == null ? in.get(0) : scalar(x1, in.get(0));
    }

    /** The second operand, as {@link #first}. */
    final Variable second(List<Variable> in) {
        return x2 == null ? in.get(in.size() - 1) : scalar(x2, in.get(0));
    }
}
