package io.rnn4j.layers;

/**
 * Keras's AveragePooling2D (keras/src/layers/pooling/average_pooling2d.py): the mean of each
 * window, per channel, over {@code (batch, rows, cols, channels)} ("channels_last", the default) or
 * channels first (see {@link PoolingBase} for the windows, options and cost). With "same" the
 * padding is left out of the count, as TensorFlow does: a window holding 4 real positions of 6
 * divides their sum by 4. pool_size has no default, as in Keras 3.
 */
public final class AveragePooling2D extends PoolingBase<AveragePooling2D> {
    /**
     * Windows of {@code poolSize} (one size for every axis, or one per axis), every {@code poolSize}.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public AveragePooling2D(int... poolSize) {
        super("average_pooling2d", 2, poolSize, null);
    }

    /**
     * Windows of {@code poolSize} every {@code strides} (each one size for every axis, or one per axis).
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public AveragePooling2D(int[] poolSize, int[] strides) {
        super("average_pooling2d", 2, poolSize, strides);
    }

    @Override
    boolean max() {
        return false;
    }

    @Override
    String axes() {
        return "(batch, rows, cols, channels)";
    }
}
