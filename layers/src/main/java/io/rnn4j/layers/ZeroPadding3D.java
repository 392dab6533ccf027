package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's ZeroPadding3D: adds zeros before and after each spatial axis (dim1, dim2, then dim3),
 * {@code (batch, dim1, dim2, dim3, channels)} to the padded sizes (channels_first: channels on axis 1).
 * Keras's default pads one on each side of every axis. The zeros get no gradient; no weights;
 * the mask is dropped as Keras 3 drops it (see {@link GridReshaping}).
 */
public final class ZeroPadding3D extends GridReshaping<ZeroPadding3D> {
    private final int[][] padding;

    /** One row of zeros on each side of every spatial axis (Keras's default). */
    public ZeroPadding3D() {
        this(1);
    }

    /**
     * {@code padding} zeros on each side of every spatial axis (Keras's int form).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public ZeroPadding3D(int padding) {
        this(everyAxis(3, padding));
    }

    /**
     * {@code dim1}, {@code dim2} and {@code dim3} zeros on each side of the three spatial axes
     * (Keras's tuple of 3 ints).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public ZeroPadding3D(int dim1, int dim2, int dim3) {
        this(symmetric(dim1, dim2, dim3));
    }

    /**
     * Keras's full form: one (before, after) pair per spatial axis, ((left_dim1, right_dim1),
     * (left_dim2, right_dim2), (left_dim3, right_dim3)).
     *
     * @throws IllegalArgumentException unless there are 3 pairs of sizes >= 0, naming this layer
     */
    public ZeroPadding3D(int[][] padding) {
        super("zero_padding3d", 3);
        this.padding = pairs("padding", padding);
    }

    /** Keras's {@code padding} as it writes it: one (before, after) pair per spatial axis; a copy. */
    public int[][] padding() {
        return copy(padding);
    }

    @Override
    int outputSize(int a, int n, Shape input) {
        return size((long) n + padding[a][0] + padding[a][1], "the padded size of spatial axis " + (a + 1));
    }

    @Override
    Variable resample(Variable x, int a, int axis) {
        return Resampling.pad(x, axis, padding[a][0], padding[a][1]);
    }
}
