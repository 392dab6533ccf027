package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;

/**
 * Keras's UpSampling3D: repeats each index of the three spatial axes {@code size[0]},
 * {@code size[1]} and {@code size[2]} times in place (Keras's {@code ops.repeat} on each axis),
 * {@code (batch, dim1, dim2, dim3, channels)} to {@code (batch, dim1·size[0], dim2·size[1],
 * dim3·size[2], channels)} (channels_first: channels on axis 1). Keras's default size is
 * (2, 2, 2). The gradient of a value is the sum of its copies'; no weights; the mask is dropped
 * as Keras 3 drops it (see {@link GridReshaping}).
 */
public final class UpSampling3D extends GridReshaping<UpSampling3D> {
    private final int[] size;

    /** Each index twice on every spatial axis (Keras's default {@code size=(2, 2, 2)}). */
    public UpSampling3D() {
        this(2);
    }

    /**
     * @param size how many times each index of every spatial axis is repeated
     * @throws IllegalArgumentException unless size >= 1, naming this layer
     */
    public UpSampling3D(int size) {
        this(size, size, size);
    }

    /**
     * @param dim1 the repeats on the first spatial axis
     * @param dim2 the repeats on the second
     * @param dim3 the repeats on the third
     * @throws IllegalArgumentException unless all are >= 1, naming this layer
     */
    public UpSampling3D(int dim1, int dim2, int dim3) {
        super("up_sampling3d", 3);
        this.size = factors(where(), dim1, dim2, dim3);
    }

    /** The repeats per spatial axis (Keras's {@code size}); a copy. */
    public int[] size() {
        return size.clone();
    }

    /** The factors if each is >= 1 (Keras's standardize_tuple without allow_zero), else a refusal naming the layer. */
    static int[] factors(String layer, int... size) {
        for (int s : size) {
            if (s < 1) {
                throw new IllegalArgumentException(layer + ": size must be positive integers, got "
                        + Arrays.toString(size).replace('[', '(').replace(']', ')'));
            }
        }
        return size.clone();
    }

    @Override
    int outputSize(int a, int n, Shape input) {
        return size((long) n * size[a], "the up-sampled size of spatial axis " + (a + 1));
    }

    @Override
    Variable resample(Variable x, int a, int axis) {
        return Resampling.repeat(x, axis, size[a]);
    }
}
