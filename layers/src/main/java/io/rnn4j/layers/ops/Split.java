package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keras 3's {@code Split(indices_or_sections, axis)} operation (keras/src/ops/numpy.py), as
 * {@code keras.ops.split(x, 2, axis=1)} records it: several outputs, the pieces of x along
 * {@code axis} (the batch axis 0; negative from the end). An int N gives N equal sections (the
 * axis's size must divide by N, as Keras's compute_output_spec checks); a list of sorted indices
 * gives the pieces between them ({@code [2, 5]}: {@code [:2]}, {@code [2:5]}, {@code [5:]}), as the
 * TensorFlow backend computes it with tf.split (which refuses decreasing indices, and so does
 * rnn4j). An axis of None gives pieces of None (the last one's, for indices), as Keras's. Keras's
 * default {@code axis=0} would split the batch, which rnn4j keeps whole, and is refused. A piece of
 * a bool tensor (a mask) is a bool, as in Keras; rnn4j's are 0/1 floats anyway.
 */
public final class Split extends TensorOperation {
    private final int sections; // 0 with indices
    private final int[] indices; // null with sections
    private final int axis;

    /** {@code keras.ops.split(x, sections, axis)}: that many equal pieces, at least one. */
    public Split(int sections, int axis) {
        super("split");
        if (sections < 1) {
            throw fail("indices_or_sections " + sections + ": expected at least one section");
        }
        this.sections = sections;
        this.indices = null;
        this.axis = axis;
    }

    /** {@code keras.ops.split(x, [i1, i2, ...], axis)}: the pieces between sorted indices (at least one). */
    public Split(int[] indices, int axis) {
        super("split");
        if (indices.length == 0) {
            throw fail("indices_or_sections []: expected at least one index (TensorFlow's split refuses none)");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || i > 0 && indices[i] < indices[i - 1]) {
                throw fail("indices_or_sections " + Arrays.toString(indices) + ": expected non-negative indices in "
                        + "increasing order (the TensorFlow backend's split takes no other)");
            }
        }
        this.sections = 0;
        this.indices = indices.clone();
        this.axis = axis;
    }

    /** The number of equal sections, or 0 when split at {@link #indices()}. */
    public int sections() {
        return sections;
    }

    /** The indices split at (a copy), or null for equal sections. */
    public int[] indices() {
        return indices == null ? null : indices.clone();
    }

    /** The axis as given. */
    public int axis() {
        return axis;
    }

    @Override
    public String className() {
        return "Split";
    }

    @Override
    int tensors() {
        return 1;
    }

    @Override
    int[] outputDims(List<int[]> in) {
        return outputDimsAll(in).get(0);
    }

    @Override
    List<int[]> outputDimsAll(List<int[]> in) {
        int[] x = in.get(0);
        int a = axis(axis, x.length, "axis");
        if (a == 0) {
            throw fail("axis " + axis + " splits the batch axis; rnn4j keeps the batch axis whole (give axis 1 and "
                    + "up, or -1)");
        }
        List<int[]> out = new ArrayList<>();
        for (int size : sizes(x[a])) {
            int[] d = x.clone();
            d[a] = size;
            out.add(d);
        }
        return out;
    }

    /** The pieces' sizes along an axis of {@code size} (UNKNOWN: None), checked. */
    private int[] sizes(int size) {
        int n = indices == null ? sections : indices.length + 1;
        int[] out = new int[n];
        if (indices == null) {
            if (size != Shape.UNKNOWN && size % sections != 0) {
                throw fail("x's size on the given axis must be divisible by indices_or_sections when it is an int, "
                        + "but got " + size + " and " + sections);
            }
            Arrays.fill(out, size == Shape.UNKNOWN ? Shape.UNKNOWN : size / sections);
            return out;
        }
        int start = 0;
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] - start;
            start = indices[i];
        }
        if (size != Shape.UNKNOWN && start > size) {
            throw fail("index " + start + " of indices_or_sections " + Arrays.toString(indices) + " is past the "
                    + "axis's size " + size);
        }
        out[n - 1] = size == Shape.UNKNOWN ? Shape.UNKNOWN : size - start;
        return out;
    }

    @Override
    Variable compute(List<Variable> in, CallContext ctx) {
        return computeAll(in, ctx).get(0);
    }

    @Override
    List<Variable> computeAll(List<Variable> in, CallContext ctx) {
        Variable x = in.get(0);
        int a = axis(axis, x.rank(), "axis");
        int[] sizes = sizes(x.dim(a));
        for (int s : sizes) {
            if (s == 0) {
                throw fail("indices_or_sections " + Arrays.toString(indices) + " gives an empty piece of an axis of "
                        + x.dim(a) + "; rnn4j holds no empty tensors");
            }
        }
        return sizes.length == 1 ? List.of(x) : Arrays.asList(Ops.split(x, a, sizes));
    }
}
