package io.rnn4j.layers;

/**
 * Keras's AveragePooling3D (keras/src/layers/pooling/average_pooling3d.py): the mean of each
 * window, per channel, over {@code (batch, depth, rows, cols, channels)} ("channels_last", the
 * default) or channels first (see {@link PoolingBase} for the windows, options and cost). With
 * "same" the padding is left out of the count, as TensorFlow does: a window holding 4 real
 * positions of 6 divides their sum by 4. pool_size has no default, as in Keras 3.
 */
public final class AveragePooling3D extends PoolingBase<AveragePooling3D> {
    /**
     * Windows of {@code poolSize} (one size for every axis, or one per axis), every {@code poolSize}.
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public AveragePooling3D(int... poolSize) {
        super("average_pooling3d", 3, poolSize, null);
    }

    /**
     * Windows of {@code poolSize} every {@code strides} (each one size for every axis, or one per axis).
     *
     * @throws IllegalArgumentException for a size below 1 or another count of sizes, naming the layer
     */
    public AveragePooling3D(int[] poolSize, int[] strides) {
        super("average_pooling3d", 3, poolSize, strides);
    }

    @Override
    boolean max() {
        return false;
    }

    @Override
    String axes() {
        return "(batch, depth, rows, cols, channels)";
    }
}
