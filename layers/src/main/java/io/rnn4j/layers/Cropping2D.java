package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's Cropping2D: drops values at the start and end of each spatial axis, {@code (batch, rows,
 * cols, channels)} to the cropped sizes (channels_first: channels on axis 1). Keras's default
 * crops nothing. At least one value of every axis must remain, as Keras requires: checked when
 * built for known sizes and on each call for None ones. The cropped values get a zero gradient; no
 * weights; the mask is dropped as Keras 3 drops it (see {@link GridReshaping}).
 */
public final class Cropping2D extends GridReshaping<Cropping2D> {
    private final int[][] cropping;

    /** Keras's default cropping: nothing off any spatial axis. */
    public Cropping2D() {
        this(0);
    }

    /**
     * {@code cropping} off each side of every spatial axis (Keras's int form).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public Cropping2D(int cropping) {
        this(everyAxis(2, cropping));
    }

    /**
     * {@code height} rows off the top and bottom, {@code width} columns off the left and right
     * (Keras's tuple of 2 ints).
     *
     * @throws IllegalArgumentException for a negative size, naming this layer
     */
    public Cropping2D(int height, int width) {
        this(symmetric(height, width));
    }

    /**
     * Keras's full form: one (start, end) pair per spatial axis, ((top, bottom), (left, right)).
     *
     * @throws IllegalArgumentException unless there are 2 pairs of sizes >= 0, naming this layer
     */
    public Cropping2D(int[][] cropping) {
        super("cropping2d", 2);
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
