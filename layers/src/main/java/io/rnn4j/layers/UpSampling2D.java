package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Locale;

/**
 * Keras's UpSampling2D with {@code interpolation="nearest"} (its default): repeats each row
 * {@code size[0]} times and each column {@code size[1]} times in place (Keras's {@code ops.repeat}
 * on each axis), {@code (batch, rows, cols, channels)} to {@code (batch, rows·size[0],
 * cols·size[1], channels)} (channels_first: channels on axis 1). Keras's default size is (2, 2).
 * The gradient of a value is the sum of its copies'; no weights; the mask is dropped as Keras 3
 * drops it (see {@link GridReshaping}). Keras's other interpolations (resizing through
 * {@code ops.image.resize}) are refused by name.
 */
public final class UpSampling2D extends GridReshaping<UpSampling2D> {
    private final int[] size;
    private String interpolation = "nearest";

    /** Each row and column twice (Keras's default {@code size=(2, 2)}). */
    public UpSampling2D() {
        this(2);
    }

    /**
     * @param size how many times each row and each column is repeated
     * @throws IllegalArgumentException unless size >= 1, naming this layer
     */
    public UpSampling2D(int size) {
        this(size, size);
    }

    /**
     * @param rows how many times each row is repeated
     * @param cols how many times each column is repeated
     * @throws IllegalArgumentException unless both are >= 1, naming this layer
     */
    public UpSampling2D(int rows, int cols) {
        super("up_sampling2d", 2);
        this.size = UpSampling3D.factors(where(), rows, cols);
    }

    /** The repeats per spatial axis (Keras's {@code size}); a copy. */
    public int[] size() {
        return size.clone();
    }

    /** Keras's {@code interpolation}: "nearest". */
    public String interpolation() {
        return interpolation;
    }

    /**
     * Keras's {@code interpolation}, any case (Keras lower-cases it). Only "nearest" is computed;
     * Keras's "bilinear", "bicubic", "lanczos3", "lanczos5" and "area" resize through
     * {@code tf.image.resize}, whose numbers rnn4j does not reproduce, and are refused.
     *
     * @throws IllegalArgumentException for any other value, naming this layer
     */
    public UpSampling2D interpolation(String value) {
        requireNotBuilt("interpolation");
        String v = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (!"nearest".equals(v)) {
            throw new IllegalArgumentException(where() + ": interpolation '" + value + "' is not supported; "
                    + "rnn4j computes 'nearest' only");
        }
        this.interpolation = v;
        return this;
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
