package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's Cropping3D: drops values at the start and end of each spatial axis, {@code (batch, dim1,
 * dim2, dim3, channels)} to the cropped sizes (channels_first: channels on axis 1). Keras's
 * default crops one off each side of every axis. At least one value of every axis must remain, as
 * Keras requires: checked when built for known sizes and on each call for None ones. The cropped
 * values get a zero gradient; no weights; the mask is dropped as Keras 3 drops it (see {@link
 * GridReshaping}).
 */
public final class Cropping3D extends GridReshaping<Cropping3D> {
    private final int[][] cropping;

    /** Keras's default cropping: one off each side of every spatial axis. */
    public Cropping3D() {
        this(1);
    }

    /**
     * {@code cropping} off each side of every spatial axis (Keras's int form).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public Cropping3D(int cropping) {
        this(everyAxis(3, cropping));
    }

    /**
     * {@code dim1}, {@code dim2} and {@code dim3} off each side of the three spatial axes (Keras's
     * tuple of 3 ints).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public Cropping3D(int dim1, int dim2, int dim3) {
        this(symmetric(dim1, dim2, dim3));
    }

    /**
     * Keras's full form: one (start, end) pair per spatial axis, ((left_dim1, right_dim1),
     * (left_dim2, right_dim2), (left_dim3, right_dim3)).
     *
     * @throws IllegalArgumentException unless there are 3 pairs of sizes >= 0, naming this layer
     */
    public Cropping3D(int[][] cropping) {
        super("cropping3d", 3);
        this.cropping = pairs("cropping", cropping);
    }

    /** Keras's {@code cropping} as it writes it: one (start, end) pair per spatial axis; a copy. */
    public int[][] cropping() {
        return copy(cropping);
    }

    @Override
    int outputSize(int a, int n, Shape input) {
        long left = (long) n - cropping[a][0] - cropping[a][1];
        if (left <= 0) {
            throw new IllegalArgumentException(where() + ": cropping " + show(cropping) + " must be smaller than "
                    + "the input's spatial sizes: it leaves nothing of spatial axis " + (a + 1) + " of an input "
                    + batchless(input));
        }
        return (int) left;
    }

    @Override
    Variable resample(Variable x, int a, int axis) {
        return Resampling.crop(x, axis, cropping[a][0], cropping[a][1]);
    }
}
