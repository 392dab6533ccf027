package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.Locale;

/**
 * Keras's UpSampling2D: {@code (batch, rows, cols, channels)} to {@code (batch, rows·size[0],
 * cols·size[1], channels)} (channels_first: channels on axis 1); Keras's default size is (2, 2).
 * With {@code interpolation="nearest"} (the default) each row is repeated {@code size[0]} times and
 * each column {@code size[1]} times in place (Keras's {@code ops.repeat}); with "bilinear" the
 * values are TensorFlow's {@code tf.image.resize(method="bilinear")}, as Keras 3's TensorFlow
 * backend calls it (half-pixel centers, no antialiasing, which upsampling never needs): columns
 * interpolated first, then rows, in float32 as its CPU kernel does. The gradient of a value is the
 * sum of what its copies or interpolation weights received; no weights; the mask is dropped as
 * Keras 3 drops it (see {@link GridReshaping}). Keras's other interpolations (bicubic, lanczos,
 * area) are refused by name.
 *
 * <p>Cost of "bilinear": per spatial axis two gathers of the output's size and three pointwise ops.
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

    /** Keras's {@code interpolation}: "nearest" or "bilinear". */
    public String interpolation() {
        return interpolation;
    }

    /**
     * Keras's {@code interpolation}, any case (Keras lower-cases it): "nearest" or "bilinear".
     * Keras's "bicubic", "lanczos3", "lanczos5" and "area" resize through {@code tf.image.resize}
     * kernels rnn4j does not reproduce, and are refused.
     *
     * @throws IllegalArgumentException for any other value, naming this layer
     */
    public UpSampling2D interpolation(String value) {
        requireNotBuilt("interpolation");
        String v = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (!"nearest".equals(v) && !"bilinear".equals(v)) {
            throw new IllegalArgumentException(where() + ": interpolation '" + value + "' is not supported; "
                    + "rnn4j computes 'nearest' and 'bilinear'");
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
        if (interpolation.equals("nearest")) {
            return Resampling.repeat(x, axis, size[a]);
        }
        if (size[0] == 1 && size[1] == 1) {
            return x; // TensorFlow's kernel copies an image of the same size unchanged
        }
        // TensorFlow interpolates along the columns, then between the rows of the result: both axes
        // are done at the columns' turn (a = 1), in that order, so that the float32 rounding is its own.
        if (a == 0) {
            return x;
        }
        Variable columns = ImageResize.linear(where(), x, axis, x.dim(axis) * size[1]);
        return ImageResize.linear(where(), columns, axis - 1, x.dim(axis - 1) * size[0]);
    }
}
