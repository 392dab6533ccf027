package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Stack(axis)} operation (keras/src/ops/numpy.py), as {@code keras.ops.stack([x, y],
 * axis=1)} records it: tensors of one shape (None matching any size; the output takes the first
 * input's, as Keras's compute_output_spec) joined along a new axis {@code axis} of the output (the
 * batch axis 0; negative from the end of the output's rank), of size their count. Keras's default
 * {@code axis=0} would put the new axis before the batch axis, which rnn4j keeps, and is refused.
 * Computed as each input with a new axis of size 1, concatenated (the gradient splits back).
 */
public final class Stack extends TensorOperation {
    private final int count;
    private final int axis;

    /**
     * @param count how many tensors it stacks (Keras's x list), at least one
     * @param axis  the new axis's place in the output
     */
    public Stack(int count, int axis) {
        super("stack");
        if (count < 1) {
            throw fail("needs at least one tensor to stack, got " + count);
        }
        this.count = count;
        this.axis = axis;
    }

    /** How many tensors it stacks. */
    public int count() {
        return count;
    }

    /** The axis as given. */
    public int axis() {
        return axis;
    }

    @Override
    public String className() {
        return "Stack";
    }

    @Override
    int tensors() {
        return count;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        int[] first = in.get(0);
        int a = axis(axis, first.length + 1, "axis");
        if (a == 0) {
            throw fail("axis " + axis + " puts the new axis before the batch axis; rnn4j keeps the batch axis first "
                    + "(give axis 1 and up, or -1)");
        }
        for (int i = 1; i < in.size(); i++) {
            int[] x = in.get(i);
            boolean same = x.length == first.length;
            for (int d = 0; same && d < x.length; d++) {
                same = Shape.compatible(x[d], first[d]);
            }
            if (!same) {
                throw fail("every input must have the same shape, but input " + i + " " + show(x) + " differs from "
                        + "the first " + show(first));
            }
        }
        int[] out = new int[first.length + 1];
        for (int d = 0, s = 0; d < out.length; d++) {
            out[d] = d == a ? in.size() : first[s++];
        }
        return out;
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        int a = axis(axis, in.get(0).rank() + 1, "axis");
        Variable[] parts = new Variable[in.size()];
        for (int i = 0; i < parts.length; i++) {
            int[] dims = in.get(i).shape().dims();
            int[] with = new int[dims.length + 1];
            for (int d = 0, s = 0; d < with.length; d++) {
                with[d] = d == a ? 1 : dims[s++];
            }
            parts[i] = Ops.reshape(in.get(i), with);
        }
        return parts.length == 1 ? parts[0] : Ops.concat(a, parts);
    }
}
