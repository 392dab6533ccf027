package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's ZeroPadding2D: adds zeros before and after each spatial axis (rows, then columns),
 * {@code (batch, rows, cols, channels)} to the padded sizes (channels_first: channels on axis 1).
 * Keras's default pads one on each side of every axis. The zeros get no gradient; no weights;
 * the mask is dropped as Keras 3 drops it (see {@link GridReshaping}).
 */
public final class ZeroPadding2D extends GridReshaping<ZeroPadding2D> {
    private final int[][] padding;

    /** One row of zeros on each side of every spatial axis (Keras's default). */
    public ZeroPadding2D() {
        this(1);
    }

    /**
     * {@code padding} zeros on each side of every spatial axis (Keras's int form).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public ZeroPadding2D(int padding) {
        this(everyAxis(2, padding));
    }

    /**
     * {@code height} zeros above and below, {@code width} left and right (Keras's tuple of 2 ints).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public ZeroPadding2D(int height, int width) {
        this(symmetric(height, width));
    }

    /**
     * Keras's full form: one (before, after) pair per spatial axis, ((top, bottom), (left, right)).
     *
     * @throws IllegalArgumentException unless there are 2 pairs of sizes >= 0, naming this layer
     */
    public ZeroPadding2D(int[][] padding) {
        super("zero_padding2d", 2);
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
