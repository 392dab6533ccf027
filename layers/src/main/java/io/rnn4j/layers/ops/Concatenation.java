package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras 3's {@code Concatenate(axis)} operation (keras/src/ops/numpy.py), as
 * {@code keras.ops.concatenate([x, y], axis=-1)} records it: the tensors joined along {@code axis}
 * (the batch axis 0; negative from the end), every other axis equal (None matching any size; the
 * output takes the first input's, as Keras's compute_output_spec), the joined axis None if any
 * input's is. Keras's default {@code axis=0} joins along the batch axis,
 * which rnn4j keeps, and is refused.
 */
public final class Concatenation extends TensorOperation {
    private final int count;
    private final int axis;

    /**
     * @param count how many tensors it joins (Keras's xs list), at least one
     * @param axis  the axis to join along
     */
    public Concatenation(int count, int axis) {
        super("concatenate");
        if (count < 1) {
            throw fail("needs at least one tensor to concatenate, got " + count);
        }
        this.count = count;
        this.axis = axis;
    }

    /** How many tensors it joins. */
    public int count() {
        return count;
    }

    /** The axis as given. */
    public int axis() {
        return axis;
    }

    @Override
    public String className() {
        return "Concatenate";
    }

    @Override
    int tensors() {
        return count;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        int[] first = in.get(0);
        int a = axis(axis, first.length, "axis");
        if (a == 0) {
            throw fail("axis " + axis + " joins along the batch axis; rnn4j keeps the batch axis (give axis 1 and "
                    + "up, or -1)");
        }
        int[] out = first.clone();
        for (int i = 1; i < in.size(); i++) {
            int[] x = in.get(i);
            boolean same = x.length == first.length;
            for (int d = 0; same && d < x.length; d++) {
                same = d == a || Shape.compatible(x[d], first[d]);
            }
            if (!same) {
                throw fail("every input must have the same shape except on axis " + axis + ", but input " + i + " "
                        + show(x) + " differs from the first " + show(first));
            }
            out[a] = out[a] == Shape.UNKNOWN || x[a] == Shape.UNKNOWN ? Shape.UNKNOWN : out[a] + x[a];
        }
        return out;
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        return in.size() == 1 ? in.get(0) : Ops.concat(axis(axis, in.get(0).rank(), "axis"),
                in.toArray(Variable[]::new));
    }
}
