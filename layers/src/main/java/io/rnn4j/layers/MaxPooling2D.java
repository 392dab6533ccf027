package io.rnn4j.layers;

/**
 * Keras's MaxPooling2D (keras/src/layers/pooling/max_pooling2d.py): the largest value of each
 * window, per channel, over {@code (batch, rows, cols, channels)} ("channels_last", the default) or
 * channels first (see {@link PoolingBase} for the windows, options and cost). "same" padding never
 * wins a window (TensorFlow pads with -inf): a tap in the padding reads a real value of its own
 * window. In training the gradient of each output goes to one position, the window's first max in
 * row-major order, as TensorFlow's CPU MaxPoolGrad routes it.
 */
public final class MaxPooling2D extends PoolingBase<MaxPooling2D> {
    /** Keras's defaults: windows of 2 on every axis, strides = pool_size, "valid". */
    public MaxPooling2D() {
        this(2);
    }

    /**
     * Windows of {@code poolSize} (one size for every axis, or one per axis), every {@code poolSize}.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public MaxPooling2D(int... poolSize) {
        super("max_pooling2d", 2, poolSize, null);
    }

    /**
     * Windows of {@code poolSize} every {@code strides} (each one size for every axis, or one per axis).
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public MaxPooling2D(int[] poolSize, int[] strides) {
        super("max_pooling2d", 2, poolSize, strides);
    }

    @Override
    boolean max() {
        return true;
    }

    @Override
    String axes() {
        return "(batch, rows, cols, channels)";
    }
}
